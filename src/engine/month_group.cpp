#include "engine/month_group.h"

#include <algorithm>
#include <bit>
#include <cassert>
#include <limits>
#include <optional>

#include "common/prefetch.h"
#include "engine/cell_odometer.h"

namespace jobindsigt::engine {

// Points `matches_` at the categories of the classes in `of`.
// (A class of -1 reaching here is the survival week's: its cells are those of week 0.)
void MonthGroup::SetMatches(const std::array<int32_t, 8>& of) {
  for (size_t dimension = 0; dimension < dimensions_; ++dimension)
    matches_[dimension] =
        of[dimension] < 0 ? &kFirstCategory : classes_[dimension]->lists[of[dimension]];
}

// Counts `person` once in every cell of the classes `of` in `period_index` they have not been
// counted in yet (a person with several leaves in a period); leaves `matches_` at those cells.
void MonthGroup::CountPerson(uint32_t person, uint32_t period_index,
                             const std::array<int32_t, 8>& of) {
  SetMatches(of);
  const uint64_t stamp = shared_.generation | person;
  std::vector<uint64_t>& stamps = shared_.stamps;
  auto& numerator = accumulators_.numerator;
  for (const size_t measure : group_.measures) {
    if (!CountsDistinctPersons(query_.measures[measure].statistic)) continue;
    ForEachCellOf(PeriodBase(measure, period_index),
                  std::span<const std::vector<uint16_t>* const>(matches_.data(), dimensions_),
                  strides_, [&](size_t cell) {
                    if (stamps[cell] == stamp) return;
                    stamps[cell] = stamp;
                    numerator[cell] += 1;
                  });
  }
}

std::array<int32_t, 8> MonthGroup::ClassesOfLeaf(size_t leaf) const {
  std::array<int32_t, 8> of{};
  for (size_t dimension = 0; dimension < dimensions_; ++dimension) {
    of[dimension] = static_cast<int32_t>((leaf / leaf_stride_[dimension]) %
                                         std::max<size_t>(classes_[dimension]->size(), 1));
  }
  return of;
}

// The current person's leaves into the leaf counts. When they came one period after another,
// each period once (one row a period, or rows following each other: nearly everyone, even
// over years of months), each is one count, without sorting them.
void MonthGroup::FlushPerson() {
  std::vector<uint32_t>& person_leaves = buffers_.person_leaves;
  std::vector<uint32_t>& leaf_persons = buffers_.leaf_persons;
  if (leaves_one_per_period_) {
    for (const uint32_t leaf : person_leaves) ++leaf_persons[leaf];
  } else {
    std::sort(person_leaves.begin(), person_leaves.end());
    person_leaves.erase(std::unique(person_leaves.begin(), person_leaves.end()),
                        person_leaves.end());
    for (size_t at = 0; at < person_leaves.size();) {
      const size_t slot = person_leaves[at] / leaves_per_period_;
      size_t end = at + 1;
      while (end < person_leaves.size() && person_leaves[end] / leaves_per_period_ == slot) ++end;
      if (end == at + 1) {
        ++leaf_persons[person_leaves[at]];
      } else {
        for (; at < end; ++at)
          CountPerson(leaves_person_, row_periods_[slot], ClassesOfLeaf(person_leaves[at]));
      }
      at = end;
    }
  }
  for (const uint32_t leaf : person_leaves) buffers_.slot_leaf[leaf / leaves_per_period_] = kNoLeaf;
  person_leaves.clear();
  leaves_one_per_period_ = true;
}

__attribute__((always_inline)) inline MonthGroup::RowClasses MonthGroup::ClassesOfRow(
    uint32_t row, uint32_t person) const {
  RowClasses found;
  found.of[0] = shared_.area_classes.Of(benefits_->municipality[row]);
  found.anywhere = found.of[0] >= 0;
  for (size_t index = 0; index < breakdown_count_; ++index) {
    if (!group_.applies[index]) {
      found.of[index + 1] = shared_.total_classes[index].size() == 0 ? -1 : 0;
      found.anywhere = found.anywhere && found.of[index + 1] >= 0;
      continue;
    }
    int value = -1;
    switch (query_.breakdowns[index].kind) {
      case BreakdownKind::kAge:
      case BreakdownKind::kDuration:
      case BreakdownKind::kStatusAfter:
        continue;  // by day
      case BreakdownKind::kSurvivalWeek:
        found.of[index + 1] = -1;  // week 0's cells: the survival counts give the rest
        continue;
      case BreakdownKind::kSex:
        value = CodeOf(persons_->sex[person]);
        break;
      case BreakdownKind::kOrigin:
        value = CodeOf(persons_->origin[person]);
        break;
      case BreakdownKind::kEducation:
        value = CodeOf(persons_->education[person]);
        break;
      case BreakdownKind::kBenefit:
        value = CodeOf(benefits_->benefit[row]);
        break;
      case BreakdownKind::kVisitation:
        value = CodeOf(benefits_->visitation[row]);
        break;
      case BreakdownKind::kUnemploymentFund:
        value = CodeOf(benefits_->fund[row]);
        break;
      default:
        assert(false && "MonthPassMeasures admits only the kinds above");
        break;
    }
    found.of[index + 1] = shared_.breakdown_classes[index].Of(value);
    found.anywhere = found.anywhere && found.of[index + 1] >= 0;
  }
  if (by_leaf_ && found.anywhere) {  // the classes by day add theirs per contribution
    for (size_t dimension = 0; dimension < dimensions_; ++dimension)
      found.leaf_within_period +=
          static_cast<size_t>(found.of[dimension]) * fixed_stride_[dimension];
  }
  return found;
}

__attribute__((always_inline)) inline MonthGroup::RowClasses MonthGroup::ClassesWithSpell(
    uint32_t row, uint32_t person) const {
  return WithSpell(ClassesOfRow(row, person), row);
}

__attribute__((always_inline)) inline MonthGroup::RowClasses MonthGroup::WithSpell(
    RowClasses found, uint32_t row) const {
  if (!spell_starts_needed_) return found;
  if (!several_codes_) {
    found.spell_start = benefits_->own_spell_start[row];
  } else if (group_spells_ != nullptr) {
    found.spell_start = benefits_->from[group_spells_->FirstRecordOf(row)];
  } else {
    found.spell_start = buffers_.spells.Start(row);
  }
  return found;
}

// The end of the spell whose first record is `row`: its end record's `to`.
DayNumber MonthGroup::SpellEndOf(uint32_t row, uint32_t person) const {
  if (group_spells_ != nullptr) return benefits_->to[group_spells_->EndRecordFrom(row)];
  const uint32_t end = benefits_->ranges.Last(person);
  if (!several_codes_) {
    // The next end record of the row's code and spell: only the rows with the end bit are
    // looked at (a spell of years has dozens of rows between its first and end records).
    for (uint32_t at = NextBit(benefits_->spell_end, row, end); at < end;
         at = NextBit(benefits_->spell_end, at + 1, end)) {
      if (benefits_->benefit[at] == benefits_->benefit[row] &&
          benefits_->own_spell_start[at] == benefits_->own_spell_start[row])
        return benefits_->to[at];
    }
  }
  const GroupSpells& spells = buffers_.spells;
  for (uint32_t at = row; several_codes_ && at < end; ++at) {
    const int code = CodeOf(benefits_->benefit[at]);
    if (code >= 0 && (group_.mask >> code & 1) != 0 && spells.Start(at) == spells.Start(row) &&
        spells.End(at))
      return benefits_->to[at];
  }
  assert(false && "a spell's rows hold its end record");
  return benefits_->to[row];
}

// Out of line: the month of a day is a calendar conversion, which the compiler would
// otherwise compute ahead for every contribution of any by-day breakdown (9 % of q04).
[[gnu::noinline]] int MonthGroup::StatusAfter(uint32_t row, uint32_t person, DayNumber day,
                                              size_t index) const {
  const MonthIndex month = MonthOfDay(day) + query_.breakdowns[index].months;
  if (month > cut_off_month_) return kTooLate;
  // An ended spell's end record `row` ends on `day`: the person's rows before the stretch
  // holding it end 29 days or more before its first day, so before the month after `day`'s
  // (months ≥ 1) — the status is read from that stretch on.
  const uint32_t first_row = group_.rule == MonthRule::kSpellEnd
                                 ? benefits_->StretchStart(benefits_->ranges.First(person), row)
                                 : 0;
  return StatusOfPersonIn(*shared_.shard, person, month, first_row);
}

void MonthGroup::ValuesOn(uint32_t person, DayNumber spell_start, DayNumber day,
                          std::array<int, 8>& into) const {
  for (size_t at = 0; at < by_day_.size(); ++at) {
    into[at] = by_day_[at].kind == BreakdownKind::kAge
                   ? AgeFromPacked(persons_->birth_packed[person], months_.Packed(day))
                   : (day - spell_start + 1) / 7;
  }
}

// One contribution: `row` in the period `period_index`, which it overlaps (for the spell
// rules: which holds the start or end day). Inlined into Visit: it runs once per row and
// period (tens of millions of times for a group of long records over months); as a call it
// cost 15-25 % of these tables.
__attribute__((always_inline)) inline void MonthGroup::Contribute(uint32_t row, uint32_t person,
                                                                  uint32_t period_index,
                                                                  const RowClasses& row_classes) {
  const Period& period = query_.periods[period_index].period;
  DayNumber first = 0;  // kDays: the first day of the row's overlap with the period
  DayNumber last = 0;   // the day the contribution is evaluated on (as PersonPass)
  switch (group_.rule) {
    case MonthRule::kDays:  // the last day of the overlap
    case MonthRule::kOfferDays:
      first = std::max(benefits_->from[row], period.first_day);
      last = std::min(benefits_->to[row], period.last_day);
      break;
    case MonthRule::kFirstDay:
      if (benefits_->from[row] > period.first_day) return;
      last = period.first_day;
      break;
    case MonthRule::kLastDay:
      if (benefits_->to[row] < period.last_day) return;
      last = period.last_day;
      break;
    case MonthRule::kSpellStart:
      last = benefits_->from[row];
      break;
    case MonthRule::kSpellEnd:
      last = benefits_->to[row];
      break;
  }
  std::array<int32_t, 8> of = row_classes.of;
  bool anywhere = row_classes.anywhere;
  const size_t slot = slot_of_period_[period_index];
  size_t leaf = slot * leaves_per_period_ + row_classes.leaf_within_period;
  std::optional<size_t> left_out;  // status_after: the breakdown whose month is too late
  std::array<int, 8> values{};
  if (!by_day_.empty()) ValuesOn(person, row_classes.spell_start, last, values);
  for (size_t at = 0; at < by_day_.size(); ++at) {
    const ByDay& day_class = by_day_[at];
    int value = values[at];
    if (day_class.kind == BreakdownKind::kStatusAfter) {
      value = StatusAfter(row, person, last, day_class.index);
      if (value == kTooLate) {
        left_out = day_class.index;
        of[day_class.index + 1] = 0;  // any class: its cells are given below
        continue;
      }
    }
    const int32_t class_of = day_class.classes->Of(value);
    of[day_class.index + 1] = class_of;
    if (class_of < 0) {
      anywhere = false;
      // Counted once per measure evaluated, as PersonPass counts.
      if (TakesBands(day_class.kind))
        accumulators_.outside_bands[day_class.index] +=
            static_cast<int64_t>(group_.measures.size());
    }
    leaf += static_cast<size_t>(class_of) * day_class.leaf_stride;
  }
  if (!anywhere) return;
  const std::span<const std::vector<uint16_t>* const> active(matches_.data(), dimensions_);
  if (group_.survival) {
    // Whole weeks on the group from the start day, censored when the spell still goes on.
    const DayNumber cut_off = query_.release->cut_off_day;
    const bool ended = cut_off - row_classes.spell_end >= kSpellGapDays;
    const DayNumber until = ended ? row_classes.spell_end : cut_off;
    const auto weeks = static_cast<size_t>((until - last + 1) / 7);
    const auto last_slot =
        static_cast<size_t>(query_.breakdowns[SurvivalBreakdown(query_)].weeks.back());
    const size_t week_slot = std::min(weeks, last_slot);
    SetMatches(of);
    for (const size_t measure : group_.measures) {
      ForEachCellOf(PeriodBase(measure, period_index), active, strides_, [&](size_t cell) {
        SurvivalCounts& counts = accumulators_.survival[cell];
        if (counts.ended.empty()) {
          counts.ended.assign(last_slot + 1, 0);
          counts.censored.assign(last_slot + 1, 0);
        }
        ++(ended ? counts.ended : counts.censored)[week_slot];
      });
    }
    return;
  }
  if (left_out) {
    // Not counted: the cells of the breakdown's first category say how many were left out.
    SetMatches(of);
    matches_[*left_out + 1] = &kFirstCategory;
    for (const size_t measure : group_.measures) {
      ForEachCellOf(PeriodBase(measure, period_index), active, strides_,
                    [&](size_t cell) { ++accumulators_.left_out[cell]; });
    }
    return;
  }

  // Activation: the days of the overlap in an offer; a person counts only with some.
  const bool offer_rule = group_.rule == MonthRule::kOfferDays;
  const int64_t days =
      offer_rule ? offers_->DaysInOffers(person, first, last, [](uint32_t) { return true; })
                 : last - first + 1;
  // Only full-time counts read the degree: for persons alone its column is not fetched.
  // An ended spell weighs its days (duration_ended), whole days: exact in any order.
  double weight = 0.0;
  if (group_.weighted) {
    weight =
        group_.rule == MonthRule::kSpellEnd
            ? static_cast<double>(last - row_classes.spell_start + 1)
            : static_cast<double>(days) * static_cast<double>(benefits_->degree_millionths[row]);
  }
  const double full_weight = group_.full_weighted
                                 ? static_cast<double>(last - first + 1) *
                                       static_cast<double>(benefits_->degree_millionths[row])
                                 : 0.0;
  const bool person_counts = counts_persons_ && days > 0;
  if (by_leaf_) {
    if (group_.weighted) buffers_.leaf_weight[leaf] += weight;
    if (group_.counted) ++buffers_.leaf_events[leaf];
    if (group_.full_weighted) buffers_.leaf_full_weight[leaf] += full_weight;
    if (!person_counts) return;
    if (person != leaves_person_) {
      FlushPerson();
      leaves_person_ = person;
    }
    // The person's leaf in each period so far: a leaf met again is not kept again, and only a
    // second leaf in one period (a move, a birthday into another band) needs FlushPerson's
    // sorting. Periods that overlap (a year to date within a rolling year) take turns row by
    // row, which a check of the last leaf alone took for a second leaf.
    uint32_t& slot_leaf = buffers_.slot_leaf[slot];
    if (slot_leaf == leaf) return;
    if (slot_leaf != kNoLeaf) leaves_one_per_period_ = false;
    slot_leaf = static_cast<uint32_t>(leaf);
    buffers_.person_leaves.push_back(static_cast<uint32_t>(leaf));
    return;
  }
  if (person_counts) {
    CountPerson(person, period_index, of);  // and points `matches_` at the cells
  } else {
    SetMatches(of);
  }
  for (const size_t measure : group_.measures) {
    const Statistic statistic = query_.measures[measure].statistic;
    if (CountsDistinctPersons(statistic)) continue;
    const bool events = CountsEvents(statistic);
    const double add = events && statistic != Statistic::kDurationEnded ? 1.0
                       : offer_rule && !IsActivation(statistic)         ? full_weight
                                                                        : weight;
    const double below = statistic == Statistic::kDurationEnded    ? 1.0
                         : statistic == Statistic::kActivationRate ? full_weight
                                                                   : 0.0;
    ForEachCellOf(PeriodBase(measure, period_index), active, strides_, [&](size_t cell) {
      accumulators_.numerator[cell] += add;
      if (below != 0.0) accumulators_.denominator[cell] += below;
    });
  }
}

// A person with several leaves in a month counts once in each cell of theirs, as in
// FlushPerson.
void MonthGroup::CountSharedMonth(uint32_t person, uint32_t month, uint32_t leaf) {
  for (const uint32_t period_index : months_.periods[month])
    CountPerson(person, period_index, ClassesOfLeaf(leaf));
}

// The contributions of `row` to every month it counts in, as spans (by_span_). `first` and
// `last` are the row's months, held within the window.
void MonthGroup::ContributeSpans(uint32_t row, uint32_t person, const RowClasses& row_classes,
                                 MonthIndex first, MonthIndex last) {
  const DayNumber from = benefits_->from[row];
  const DayNumber to = benefits_->to[row];
  const auto first_month = static_cast<uint32_t>(first - months_.first);
  const auto last_month = static_cast<uint32_t>(last - months_.first);
  uint32_t begin = first_month;
  uint32_t end = last_month;
  if (group_.rule == MonthRule::kFirstDay && from > months_.starts[first_month]) ++begin;
  if (group_.rule == MonthRule::kLastDay && to < months_.starts[last_month + 1] - 1) {
    if (end == 0) return;
    --end;
  }
  if (begin > end) return;
  // The values of a month's contribution, on the day `Contribute` takes.
  auto values_in = [&](uint32_t month, std::array<int, 8>& into) {
    DayNumber day = std::min(to, months_.starts[month + 1] - 1);
    if (group_.rule == MonthRule::kFirstDay) day = months_.starts[month];
    if (group_.rule == MonthRule::kLastDay) day = months_.starts[month + 1] - 1;
    ValuesOn(person, row_classes.spell_start, day, into);
  };
  MonthSpans& month_spans = buffers_.spans;
  auto shared = [this](uint32_t shared_person, uint32_t month, uint32_t leaf) {
    CountSharedMonth(shared_person, month, leaf);
  };
  const int64_t degree = group_.weighted ? benefits_->degree_millionths[row] : 0;
  std::array<int, 8> values{};
  for (uint32_t run_first = begin; run_first <= end;) {
    // The run of months with the classes of its first: the values never go down, so when
    // the last month's are within the first's bands, every month's are; else the last month
    // with the same values is found by halving.
    uint32_t run_last = end;
    if (!by_day_.empty()) {
      values_in(run_first, values);
      std::array<int, 8> probe{};
      values_in(end, probe);
      bool same_classes = true;
      for (size_t at = 0; at < by_day_.size(); ++at)
        same_classes = same_classes && probe[at] <= by_day_[at].SameClassUntil(values[at]);
      if (!same_classes) {
        uint32_t low = run_first;
        uint32_t high = end;
        while (high - low > 1) {
          const uint32_t middle = low + (high - low) / 2;
          values_in(middle, probe);
          (probe == values ? low : high) = middle;
        }
        run_last = low;
      }
    }
    size_t leaf = row_classes.leaf_within_period;
    bool anywhere = row_classes.anywhere;
    for (size_t at = 0; at < by_day_.size(); ++at) {
      const int32_t class_of = by_day_[at].classes->Of(values[at]);
      if (class_of < 0) {
        anywhere = false;
        // Counted once per measure and asked month, as `Contribute` counts.
        if (TakesBands(by_day_[at].kind))
          accumulators_.outside_bands[by_day_[at].index] +=
              static_cast<int64_t>(group_.measures.size()) *
              (asked_before_[run_last + 1] - asked_before_[run_first]);
      } else {
        leaf += static_cast<size_t>(class_of) * by_day_[at].leaf_stride;
      }
    }
    if (anywhere) {
      const auto leaf_index = static_cast<uint32_t>(leaf);
      if (counts_persons_) month_spans.AddPerson(person, leaf_index, run_first, run_last, shared);
      if (group_.weighted) {  // kDays: the row's first and last months may be partly held
        auto add_days_of = [&](uint32_t month) {
          if (month < run_first || month > run_last) return;
          const DayNumber days = std::min(to, months_.starts[month + 1] - 1) -
                                 std::max(from, months_.starts[month]) + 1;
          month_spans.AddWeight(leaf_index, month, days * degree);
        };
        add_days_of(first_month);
        if (last_month != first_month) add_days_of(last_month);
        const uint32_t whole_first = std::max(run_first, first_month + 1);
        if (last_month > first_month + 1 && whole_first <= std::min(run_last, last_month - 1))
          month_spans.AddDegree(leaf_index, whole_first, std::min(run_last, last_month - 1),
                                degree);
      }
    }
    run_first = run_last + 1;
  }
}

__attribute__((always_inline)) inline void MonthGroup::Visit(uint32_t row, uint32_t person) {
  VisitWith(row, person, nullptr);
}

__attribute__((always_inline)) inline void MonthGroup::VisitSharingClasses(
    std::span<MonthGroup* const> groups, uint32_t row, uint32_t person) {
  const RowClasses classes = groups.front()->ClassesOfRow(row, person);
  for (MonthGroup* group : groups) group->VisitWith(row, person, &classes);
}

__attribute__((always_inline)) inline void MonthGroup::VisitWith(uint32_t row, uint32_t person,
                                                                 const RowClasses* shared) {
  if (spells_per_person_ && person != spells_person_) {
    // Its first row shown to the group: all of the person's that follow are from the stretch
    // holding it on.
    buffers_.spells.Build(*benefits_, person, row, group_.mask);
    spells_person_ = person;
  }
  if (by_event_) {
    const bool start = group_.rule == MonthRule::kSpellStart;
    const GroupSpells& spells = buffers_.spells;
    bool event = false;
    if (!several_codes_) {
      event = start ? benefits_->SpellFirst(row) : benefits_->SpellEnd(row);
    } else if (group_spells_ != nullptr) {
      event = start ? group_spells_->First(row) : group_spells_->End(row);
    } else {
      event = start ? spells.First(row) : spells.End(row);
    }
    if (!start) event = event && query_.release->cut_off_day - benefits_->to[row] >= kSpellGapDays;
    if (!event) return;
    const DayNumber day = start ? benefits_->from[row] : benefits_->to[row];
    if (day < months_.starts.front() || day >= months_.starts.back()) return;
    RowClasses row_classes = ClassesWithSpell(row, person);
    if (!row_classes.anywhere && by_day_.empty()) return;
    if (group_.survival) row_classes.spell_end = SpellEndOf(row, person);
    for (const uint32_t period_index : months_.Of(months_.Within(day)))
      Contribute(row, person, period_index, row_classes);
    return;
  }
  // Each period the row overlaps, once: at the first of its months that the row covers.
  // (Every row shown overlaps first … last, or ends before first: groups counting days share
  // their rows only with groups of the same months, and many rows are gathered without
  // reading their `to`, GatherRows.)
  if (benefits_->to[row] < months_.starts.front()) return;
  const MonthIndex first_month = months_.Within(benefits_->from[row]);
  const MonthIndex last_month = months_.Within(benefits_->to[row]);
  const RowClasses row_classes =
      shared == nullptr ? ClassesWithSpell(row, person) : WithSpell(*shared, row);
  // Nowhere whatever the day, and no band to be outside of: nothing to count.
  if (!row_classes.anywhere && by_day_.empty()) return;
  if (by_span_) {
    ContributeSpans(row, person, row_classes, first_month, last_month);
    return;
  }
  for (const uint32_t period_index : months_.Of(first_month))
    Contribute(row, person, period_index, row_classes);
  for (MonthIndex month = months_.NextStart(first_month + 1); month <= last_month;
       month = months_.NextStart(month + 1)) {
    for (const uint32_t period_index : months_.StartingIn(month))
      Contribute(row, person, period_index, row_classes);
  }
}

namespace {

constexpr size_t kPrefetchRows = 32;

}  // namespace

void VisitRows(const MonthPassShared& shared, std::span<MonthGroup* const> groups,
               std::span<const uint32_t> rows) {
  const ResolvedQuery& query = shared.query;
  const BenefitColumns& benefits = *shared.rows;
  const PersonColumns& persons = shared.shard->persons;
  const OfferColumns& offers = shared.shard->offers;
  // The columns the groups read, fetched ahead for each row and person (only those: the
  // rows are apart, so every column read is a cache line of its own).
  auto has = [&](BreakdownKind kind) {
    return std::any_of(query.breakdowns.begin(), query.breakdowns.end(),
                       [&](const ResolvedBreakdown& breakdown) { return breakdown.kind == kind; });
  };
  bool needs_spells = has(BreakdownKind::kDuration);
  const bool needs_visitation = has(BreakdownKind::kVisitation);
  const bool needs_fund = has(BreakdownKind::kUnemploymentFund);
  bool needs_code = has(BreakdownKind::kBenefit);
  const bool needs_birth = has(BreakdownKind::kAge);
  const bool needs_sex = has(BreakdownKind::kSex);
  const bool needs_origin = has(BreakdownKind::kOrigin);
  const bool needs_education = has(BreakdownKind::kEducation);
  bool needs_degree = false;
  bool needs_offers = false;
  bool needs_spell_ends = false;
  for (const MonthGroup* group : groups) {
    for (const size_t measure : group->group().measures) {
      const Statistic statistic = query.measures[measure].statistic;
      needs_degree =
          needs_degree || (AddsWeight(statistic) && statistic != Statistic::kDurationEnded);
      needs_spells = needs_spells || statistic == Statistic::kDurationEnded;
    }
    needs_offers = needs_offers || group->group().rule == MonthRule::kOfferDays;
    needs_spell_ends = needs_spell_ends || group->ReadsOwnSpellEnds();
  }
  needs_code = needs_code || needs_spell_ends;
  needs_spells = needs_spells || needs_spell_ends;
  const bool needs_person =
      needs_birth || needs_offers || needs_sex || needs_origin || needs_education;
  auto prefetch_row = [&](uint32_t row) {
    Prefetch(&benefits.person[row]);
    Prefetch(&benefits.from[row]);
    Prefetch(&benefits.to[row]);
    Prefetch(&benefits.municipality[row]);
    if (needs_degree) Prefetch(&benefits.degree_millionths[row]);
    if (needs_spells) Prefetch(&benefits.own_spell_start[row]);
    if (needs_visitation) Prefetch(&benefits.visitation[row]);
    if (needs_fund) Prefetch(&benefits.fund[row]);
    if (needs_code) Prefetch(&benefits.benefit[row]);
    if (needs_spell_ends) Prefetch(&benefits.spell_end[row >> 6]);
  };
  auto prefetch_person = [&](uint32_t person) {
    if (needs_birth) Prefetch(&persons.birth_packed[person]);
    if (needs_offers) Prefetch(&offers.ranges.begin[person]);
    if (needs_sex) Prefetch(&persons.sex[person]);
    if (needs_origin) Prefetch(&persons.origin[person]);
    if (needs_education) Prefetch(&persons.education[person]);
  };
  // A group of several codes builds each person's spells from the stretch of their history
  // holding the first row it is shown (GroupSpells): rows before it, not fetched ahead above.
  // Fetched ahead in two steps: the person's range and stretch bits, then the stretch's
  // first rows.
  const bool needs_stretch = std::any_of(
      groups.begin(), groups.end(), [](const MonthGroup* group) { return group->BuildsSpells(); });
  uint32_t stretch_person = std::numeric_limits<uint32_t>::max();
  auto prefetch_stretch = [&](size_t at) {
    if (at + kPrefetchRows * 3 / 4 < rows.size()) {
      const uint32_t ahead = rows[at + kPrefetchRows * 3 / 4];
      Prefetch(&benefits.ranges.begin[benefits.person[ahead]]);
      Prefetch(&benefits.apart[ahead >> 6]);
    }
    if (at + kPrefetchRows / 2 < rows.size()) {
      const uint32_t ahead = rows[at + kPrefetchRows / 2];
      const uint32_t person = benefits.person[ahead];
      if (person == stretch_person) return;
      stretch_person = person;
      const uint32_t start = benefits.StretchStart(benefits.ranges.First(person), ahead);
      Prefetch(&benefits.benefit[start]);
      Prefetch(&benefits.from[start]);
      Prefetch(&benefits.to[start]);
    }
  };
  // The status after an ended spell reads the person's employment and education (and rows
  // of their stretch, fetched above when spells are built): fetched ahead the same way.
  const bool needs_status = std::any_of(groups.begin(), groups.end(), [](const MonthGroup* group) {
    return group->ReadsStatusAfter();
  });
  const MonthColumns& employment = shared.shard->employment;
  const IntervalColumns& education = shared.shard->education;
  uint32_t status_person = std::numeric_limits<uint32_t>::max();
  auto prefetch_status = [&](size_t at) {
    if (at + kPrefetchRows * 3 / 4 < rows.size()) {
      const uint32_t person = benefits.person[rows[at + kPrefetchRows * 3 / 4]];
      Prefetch(&employment.ranges.begin[person]);
      Prefetch(&education.ranges.begin[person]);
    }
    if (at + kPrefetchRows / 2 < rows.size()) {
      const uint32_t person = benefits.person[rows[at + kPrefetchRows / 2]];
      if (person == status_person) return;
      status_person = person;
      const uint32_t runs = employment.ranges.First(person);
      if (runs < employment.first.size()) {
        Prefetch(&employment.first[runs]);
        Prefetch(&employment.last[runs]);
      }
      const uint32_t enrolments = education.ranges.First(person);
      if (enrolments < education.from.size()) {
        Prefetch(&education.from[enrolments]);
        Prefetch(&education.to[enrolments]);
      }
    }
  };
  auto visit = [&](auto each_group) {
    for (size_t at = 0; at < rows.size(); ++at) {
      // The rows are ascending but apart: fetch ahead so the cache misses of several rows
      // overlap (the loop is bound by memory latency).
      if (at + kPrefetchRows < rows.size()) prefetch_row(rows[at + kPrefetchRows]);
      if (needs_person && at + kPrefetchRows / 2 < rows.size())
        prefetch_person(benefits.person[rows[at + kPrefetchRows / 2]]);
      if (needs_stretch) prefetch_stretch(at);
      if (needs_status) prefetch_status(at);
      const uint32_t row = rows[at];
      each_group(row, benefits.person[row]);
    }
  };
  // Groups of the same breakdowns counting every row (persons on the first and the last
  // day, persons and full-time persons) find a row's classes once for all of them.
  const bool share_classes = std::all_of(
      groups.begin(), groups.end(),
      [&](const MonthGroup* group) { return group->SharesRowClassesWith(*groups.front()); });
  if (groups.size() == 1) {  // the commonest: no loop over the groups per row
    MonthGroup& group = *groups.front();
    visit([&](uint32_t row, uint32_t person) { group.Visit(row, person); });
  } else if (share_classes) {
    visit([&](uint32_t row, uint32_t person) {
      MonthGroup::VisitSharingClasses(groups, row, person);
    });
  } else {
    visit([&](uint32_t row, uint32_t person) {
      for (MonthGroup* group : groups) group->Visit(row, person);
    });
  }
}

}  // namespace jobindsigt::engine
