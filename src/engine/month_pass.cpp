#include "engine/month_pass.h"

#include <algorithm>
#include <array>
#include <atomic>
#include <bit>
#include <cassert>
#include <limits>
#include <optional>
#include <span>
#include <vector>

#include "common/prefetch.h"
#include "engine/cell_odometer.h"
#include "engine/month_rows.h"
#include "engine/month_rules.h"
#include "engine/month_spans.h"

namespace jobindsigt::engine {
namespace {

// Makes the distinct-person stamps of one evaluation (one shard of one query) unique without
// clearing them: each call takes a new generation, the high half of a stamp; the person's
// index in the shard is the low half.
std::atomic<uint32_t> next_generation{1};

constexpr size_t kPrefetchRows = 32;

}  // namespace

void EvaluateMonths(const ResolvedQuery& query, const Shard& shard,
                    const std::vector<uint8_t>& measures, bool leaves_wanted, bool spans_wanted,
                    Accumulators& accumulators) {
  const BenefitColumns& benefits = shard.benefits;
  const PersonColumns& persons = shard.persons;
  const size_t breakdown_count = query.breakdowns.size();
  const size_t dimensions = breakdown_count + 1;  // area, then each breakdown
  const DayNumber release_cut_off = query.release->cut_off_day;
  const MonthIndex cut_off_month = MonthOfDay(release_cut_off);

  thread_local std::vector<uint64_t> stamps;
  thread_local std::vector<uint32_t> month_rows;
  if (stamps.size() < query.cells) stamps.resize(query.cells, 0);
  const uint64_t generation = static_cast<uint64_t>(next_generation++) << 32;

  std::array<const std::vector<uint16_t>*, 8> matches{};
  const std::span<const std::vector<uint16_t>* const> active_matches(matches.data(), dimensions);
  const auto strides = std::span<const size_t>(query.stride).subspan(2);
  auto& numerator = accumulators.numerator;

  // The columns the breakdowns read, fetched ahead for each row and person (only those: the
  // rows are apart, so every column read is a cache line of its own).
  auto has = [&](BreakdownKind kind) {
    return std::any_of(query.breakdowns.begin(), query.breakdowns.end(),
                       [&](const ResolvedBreakdown& breakdown) { return breakdown.kind == kind; });
  };
  bool needs_spells = has(BreakdownKind::kDuration);
  const bool needs_visitation = has(BreakdownKind::kVisitation);
  const bool needs_fund = has(BreakdownKind::kUnemploymentFund);
  const bool needs_code = has(BreakdownKind::kBenefit);
  const bool needs_birth = has(BreakdownKind::kAge);
  const bool needs_sex = has(BreakdownKind::kSex);
  const bool needs_origin = has(BreakdownKind::kOrigin);
  const bool needs_education = has(BreakdownKind::kEducation);
  bool needs_degree = false;
  for (size_t measure = 0; measure < query.measures.size(); ++measure) {
    const Statistic statistic = query.measures[measure].statistic;
    needs_degree = needs_degree || (measures[measure] != 0 && AddsWeight(statistic) &&
                                    statistic != Statistic::kDurationEnded);
    needs_spells =
        needs_spells || (measures[measure] != 0 && statistic == Statistic::kDurationEnded);
  }
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
  };
  const OfferColumns& offers = shard.offers;
  bool needs_offers = false;
  for (size_t measure = 0; measure < query.measures.size(); ++measure)
    needs_offers =
        needs_offers || (measures[measure] != 0 &&
                         RuleOf(query.measures[measure].statistic) == MonthRule::kOfferDays);
  const bool needs_person =
      needs_birth || needs_offers || needs_sex || needs_origin || needs_education;
  auto prefetch_person = [&](uint32_t person) {
    if (needs_birth) Prefetch(&persons.birth_packed[person]);
    if (needs_offers) Prefetch(&offers.ranges.begin[person]);
    if (needs_sex) Prefetch(&persons.sex[person]);
    if (needs_origin) Prefetch(&persons.origin[person]);
    if (needs_education) Prefetch(&persons.education[person]);
  };

  const std::vector<MeasureGroup> groups = GroupMeasures(query, measures);

  // Only the municipalities some area covers are visited.
  const RecordMonthIndex& month_index = shard.benefit_months;
  std::vector<size_t> covered_slots;
  for (size_t slot = 0; slot < month_index.slots(); ++slot) {
    if (!query.areas.Of(month_index.municipalities[slot]).empty()) covered_slots.push_back(slot);
  }
  const std::vector<uint16_t>* uniform_areas =
      breakdown_count == 0 ? UniformAreas(query, month_index) : nullptr;

  const DimensionClasses area_classes = ClassesOf(query.areas);
  std::vector<DimensionClasses> breakdown_classes;
  std::vector<DimensionClasses> total_classes;
  for (const ResolvedBreakdown& breakdown : query.breakdowns) {
    breakdown_classes.push_back(ClassesOf(breakdown.map));
    total_classes.push_back(TotalOnly(breakdown.map));
  }

  for (const MeasureGroup& group : groups) {
    std::vector<uint32_t> row_periods;  // the periods answered from the rows
    for (size_t period_index = 0; period_index < query.periods.size(); ++period_index) {
      const Period& period = query.periods[period_index].period;
      if (uniform_areas != nullptr && group.persons_only && group.rule == MonthRule::kDays &&
          period.first_month() == period.last_month()) {
        // Each person's set of codes that month meets the group or not: no row to visit.
        uint64_t persons_in_group = 0;
        for (const MonthCodeSets::Entry& entry : shard.benefit_code_sets.Of(period.first_month()))
          persons_in_group += (entry.codes & group.mask) != 0 ? entry.persons : 0;
        for (const size_t measure : group.measures) {
          const size_t base = measure * query.stride[0] + period_index * query.stride[1];
          for (const uint16_t area : *uniform_areas)
            numerator[base + area * strides[0]] += static_cast<double>(persons_in_group);
        }
        continue;
      }
      row_periods.push_back(static_cast<uint32_t>(period_index));
    }
    if (row_periods.empty()) continue;
    const PeriodMonths months = MonthsOfPeriods(query, row_periods);
    // A group spell's first (end) record is also its own-code spell's: its gap from the earlier
    // rows of the group is one from those of its code too, and the latest `to` of a group spell
    // is the latest of the own-code spell holding it. So the rows' bits hold every candidate.
    const std::vector<uint64_t>* event_rows =
        group.rule == MonthRule::kSpellStart ? &benefits.spell_first
        : group.rule == MonthRule::kSpellEnd ? &benefits.spell_end
                                             : nullptr;
    GatherRows(month_index, group.mask, months, covered_slots, benefits.from.size(),
               /*beginning_only=*/group.rule == MonthRule::kSpellStart, event_rows, month_rows);

    // The leaves: a contribution is its period (by place in row_periods) and the class of
    // each dimension. When there are not many more leaves than cells, contributions are
    // summed by leaf and the leaves turned into cells at the end; each person's leaves are
    // collected while their rows pass (GatherRows keeps them adjacent), and a person with one
    // leaf in a period — nearly everyone — is one count there. Otherwise every contribution
    // goes to its cells at once.
    std::array<const DimensionClasses*, 8> classes{};
    classes[0] = &area_classes;
    for (size_t index = 0; index < breakdown_count; ++index)
      classes[index + 1] = group.applies[index] ? &breakdown_classes[index] : &total_classes[index];
    std::array<size_t, 8> leaf_stride{};
    size_t leaves_per_period = 1;
    for (size_t dimension = dimensions; dimension-- > 0;) {
      leaf_stride[dimension] = leaves_per_period;
      leaves_per_period *= std::max<size_t>(classes[dimension]->size(), 1);
    }
    const size_t leaf_count = leaves_per_period * row_periods.size();
    const bool by_leaf =
        leaves_wanted && leaf_count <= std::max<size_t>(query.cells, size_t{1} << 16);
    std::vector<uint32_t> slot_of_period(query.periods.size(), 0);
    for (size_t slot = 0; slot < row_periods.size(); ++slot)
      slot_of_period[row_periods[slot]] = slot;
    bool counts_persons = false;
    for (const size_t measure : group.measures)
      counts_persons = counts_persons || CountsDistinctPersons(query.measures[measure].statistic);
    thread_local std::vector<uint32_t> leaf_persons;
    thread_local std::vector<double> leaf_weight;
    thread_local std::vector<uint32_t> leaf_events;
    thread_local std::vector<double> leaf_full_weight;  // activation_rate's denominator
    thread_local std::vector<uint32_t> person_leaves;   // the current person's, in this group
    if (by_leaf) {
      leaf_persons.assign(counts_persons ? leaf_count : 0, 0);
      leaf_weight.assign(group.weighted ? leaf_count : 0, 0.0);
      leaf_events.assign(group.counted ? leaf_count : 0, 0);
      leaf_full_weight.assign(group.full_weighted ? leaf_count : 0, 0.0);
    }
    person_leaves.clear();
    uint32_t leaves_person = 0;

    // Points `matches` at the categories of the classes in `of`.
    // (A class of -1 reaching here is the survival week's: its cells are those of week 0.)
    auto set_matches = [&](const std::array<int32_t, 8>& of) {
      for (size_t dimension = 0; dimension < dimensions; ++dimension)
        matches[dimension] =
            of[dimension] < 0 ? &kFirstCategory : classes[dimension]->lists[of[dimension]];
    };
    auto period_base = [&](size_t measure, uint32_t period_index) {
      return measure * query.stride[0] + period_index * query.stride[1];
    };
    // Counts `person` once in every cell of the classes `of` in `period_index` they have not
    // been counted in yet (a person with several leaves in a period).
    auto count_person = [&](uint32_t person, uint32_t period_index,
                            const std::array<int32_t, 8>& of) {
      set_matches(of);
      const uint64_t stamp = generation | person;
      for (const size_t measure : group.measures) {
        if (!CountsDistinctPersons(query.measures[measure].statistic)) continue;
        ForEachCellOf(period_base(measure, period_index), active_matches, strides,
                      [&](size_t cell) {
                        if (stamps[cell] == stamp) return;
                        stamps[cell] = stamp;
                        numerator[cell] += 1;
                      });
      }
    };
    auto classes_of_leaf = [&](size_t leaf) {
      std::array<int32_t, 8> of{};
      for (size_t dimension = 0; dimension < dimensions; ++dimension) {
        of[dimension] = static_cast<int32_t>((leaf / leaf_stride[dimension]) %
                                             std::max<size_t>(classes[dimension]->size(), 1));
      }
      return of;
    };
    // Whether the current person's leaves came one period after another, each period once
    // (one row a period, or rows following each other: nearly everyone, even over years of
    // months); then each is one count, without sorting them.
    size_t leaves_last_slot = 0;
    bool leaves_one_per_period = true;
    auto flush_person = [&] {
      if (leaves_one_per_period) {
        for (const uint32_t leaf : person_leaves) ++leaf_persons[leaf];
      } else {
        std::sort(person_leaves.begin(), person_leaves.end());
        person_leaves.erase(std::unique(person_leaves.begin(), person_leaves.end()),
                            person_leaves.end());
        for (size_t at = 0; at < person_leaves.size();) {
          const size_t slot = person_leaves[at] / leaves_per_period;
          size_t end = at + 1;
          while (end < person_leaves.size() && person_leaves[end] / leaves_per_period == slot)
            ++end;
          if (end == at + 1) {
            ++leaf_persons[person_leaves[at]];
          } else {
            for (; at < end; ++at)
              count_person(leaves_person, row_periods[slot], classes_of_leaf(person_leaves[at]));
          }
          at = end;
        }
      }
      person_leaves.clear();
      leaves_one_per_period = true;
    };

    // A row's classes that do not change with the day (its area, codes and the person's
    // attributes), found once per row; age and duration are of each contribution's last day.
    struct RowClasses {
      std::array<int32_t, 8> of{};
      bool anywhere = true;
      size_t leaf_within_period = 0;  // by leaf: the part of the leaf of these classes
      DayNumber spell_start = 0;      // of the row's spell in the group, when needed
      DayNumber spell_end = 0;        // survival: of the spell the row starts
    };
    // The breakdowns that apply and change with the day, with what a contribution needs of
    // them at hand (it runs once per row and period).
    // status_after's breakdown is the person's situation k months after the end month.
    struct ByDay {
      size_t index = 0;                          // the breakdown's
      BreakdownKind kind = BreakdownKind::kAge;  // kAge, kDuration or kStatusAfter
      const DimensionClasses* classes = nullptr;
      size_t leaf_stride = 0;
    };
    std::array<ByDay, 8> by_day_list{};
    size_t by_day_count = 0;
    for (size_t index = 0; index < breakdown_count; ++index) {
      const BreakdownKind kind = query.breakdowns[index].kind;
      if (group.applies[index] &&
          (kind == BreakdownKind::kAge || kind == BreakdownKind::kDuration ||
           kind == BreakdownKind::kStatusAfter))
        by_day_list[by_day_count++] = {index, kind, &breakdown_classes[index],
                                       leaf_stride[index + 1]};
    }
    const std::span<const ByDay> by_day(by_day_list.data(), by_day_count);
    std::array<size_t, 8> fixed_stride = leaf_stride;  // 0 for the classes by day
    for (const ByDay& day_class : by_day) fixed_stride[day_class.index + 1] = 0;
    // Tables of single months counting persons (on a day or over the month) and full-time
    // days take a row's months as spans (MonthSpans): the same contributions, without one
    // per month. Age and duration change with the day, but only upwards, so a row's months
    // fall into a few runs of one class each.
    bool single_months = true;
    for (const uint32_t period_index : row_periods) {
      const Period& period = query.periods[period_index].period;
      single_months = single_months && period.first_month() == period.last_month();
    }
    const size_t window_months = static_cast<size_t>(months.last - months.first) + 1;
    bool by_span = spans_wanted && by_leaf && single_months && !group.counted && !group.survival &&
                   !group.full_weighted &&
                   (group.rule == MonthRule::kDays ||
                    (!group.weighted &&
                     (group.rule == MonthRule::kFirstDay || group.rule == MonthRule::kLastDay))) &&
                   (window_months + 1) * leaves_per_period <= 4 * leaf_count + (size_t{1} << 16);
    for (const ByDay& day_class : by_day)
      by_span = by_span && (day_class.kind == BreakdownKind::kAge ||
                            day_class.kind == BreakdownKind::kDuration);
    thread_local MonthSpans spans_of_thread_months;
    MonthSpans& month_spans = spans_of_thread_months;
    std::vector<int64_t> month_days;     // [month − first]
    std::vector<uint32_t> asked_before;  // [month − first]: the asked months before it
    if (by_span) {
      month_spans.Reset(window_months, leaves_per_period, counts_persons, group.weighted);
      asked_before.push_back(0);
      for (size_t month = 0; month < window_months; ++month) {
        month_days.push_back(months.starts[month + 1] - months.starts[month]);
        asked_before.push_back(asked_before.back() + (months.periods[month].empty() ? 0 : 1));
      }
    }

    auto classes_of_row = [&](uint32_t row, uint32_t person) {
      RowClasses found;
      found.of[0] = area_classes.Of(benefits.municipality[row]);
      found.anywhere = found.of[0] >= 0;
      for (size_t index = 0; index < breakdown_count; ++index) {
        if (!group.applies[index]) {
          found.of[index + 1] = total_classes[index].size() == 0 ? -1 : 0;
          found.anywhere = found.anywhere && found.of[index + 1] >= 0;
          continue;
        }
        int value = -1;
        switch (query.breakdowns[index].kind) {
          case BreakdownKind::kAge:
          case BreakdownKind::kDuration:
          case BreakdownKind::kStatusAfter:
            continue;  // by day
          case BreakdownKind::kSurvivalWeek:
            found.of[index + 1] = -1;  // week 0's cells: the survival counts give the rest
            continue;
          case BreakdownKind::kSex:
            value = CodeOf(persons.sex[person]);
            break;
          case BreakdownKind::kOrigin:
            value = CodeOf(persons.origin[person]);
            break;
          case BreakdownKind::kEducation:
            value = CodeOf(persons.education[person]);
            break;
          case BreakdownKind::kBenefit:
            value = CodeOf(benefits.benefit[row]);
            break;
          case BreakdownKind::kVisitation:
            value = CodeOf(benefits.visitation[row]);
            break;
          case BreakdownKind::kUnemploymentFund:
            value = CodeOf(benefits.fund[row]);
            break;
          default:
            assert(false && "MonthPassMeasures admits only the kinds above");
            break;
        }
        found.of[index + 1] = breakdown_classes[index].Of(value);
        found.anywhere = found.anywhere && found.of[index + 1] >= 0;
      }
      if (by_leaf && found.anywhere) {  // the classes by day add theirs per contribution
        for (size_t dimension = 0; dimension < dimensions; ++dimension)
          found.leaf_within_period +=
              static_cast<size_t>(found.of[dimension]) * fixed_stride[dimension];
      }
      return found;
    };

    // One contribution: `row` in the period `period_index`, which it overlaps (for the spell
    // rules: which holds the start or end day).
    // Inlined into the row loop: it runs once per row and period (tens of millions of times
    // for a group of long records over months); as a call it cost 15-25 % of these tables.
    auto contribute = [&](uint32_t row, uint32_t person, uint32_t period_index,
                          const RowClasses& row_classes) __attribute__((always_inline)) {
      const Period& period = query.periods[period_index].period;
      DayNumber first = 0;  // kDays: the first day of the row's overlap with the period
      DayNumber last = 0;   // the day the contribution is evaluated on (as PersonPass)
      switch (group.rule) {
        case MonthRule::kDays:  // the last day of the overlap
        case MonthRule::kOfferDays:
          first = std::max(benefits.from[row], period.first_day);
          last = std::min(benefits.to[row], period.last_day);
          break;
        case MonthRule::kFirstDay:
          if (benefits.from[row] > period.first_day) return;
          last = period.first_day;
          break;
        case MonthRule::kLastDay:
          if (benefits.to[row] < period.last_day) return;
          last = period.last_day;
          break;
        case MonthRule::kSpellStart:
          last = benefits.from[row];
          break;
        case MonthRule::kSpellEnd:
          last = benefits.to[row];
          break;
      }
      std::array<int32_t, 8> of = row_classes.of;
      bool anywhere = row_classes.anywhere;
      const size_t slot = slot_of_period[period_index];
      size_t leaf = slot * leaves_per_period + row_classes.leaf_within_period;
      std::optional<size_t> left_out;  // status_after: the breakdown whose month is too late
      for (const ByDay& day_class : by_day) {
        int value = 0;
        switch (day_class.kind) {
          case BreakdownKind::kAge:
            value = AgeFromPacked(persons.birth_packed[person], months.Packed(last));
            break;
          case BreakdownKind::kDuration:
            value = (last - row_classes.spell_start + 1) / 7;
            break;
          default: {  // kStatusAfter
            const MonthIndex month = MonthOfDay(last) + query.breakdowns[day_class.index].months;
            if (month > cut_off_month) {
              left_out = day_class.index;
              of[day_class.index + 1] = 0;  // any class: its cells are given below
              continue;
            }
            value = StatusOfPersonIn(shard, person, month);
            break;
          }
        }
        const int32_t class_of = day_class.classes->Of(value);
        of[day_class.index + 1] = class_of;
        if (class_of < 0) {
          anywhere = false;
          // Counted once per measure evaluated, as PersonPass counts.
          if (TakesBands(day_class.kind))
            accumulators.outside_bands[day_class.index] +=
                static_cast<int64_t>(group.measures.size());
        }
        leaf += static_cast<size_t>(class_of) * day_class.leaf_stride;
      }
      if (!anywhere) return;
      if (group.survival) {
        // Whole weeks on the group from the start day, censored when the spell still goes on.
        const bool ended = release_cut_off - row_classes.spell_end >= kSpellGapDays;
        const DayNumber until = ended ? row_classes.spell_end : release_cut_off;
        const auto weeks = static_cast<size_t>((until - last + 1) / 7);
        const auto last_slot =
            static_cast<size_t>(query.breakdowns[SurvivalBreakdown(query)].weeks.back());
        const size_t week_slot = std::min(weeks, last_slot);
        set_matches(of);
        for (const size_t measure : group.measures) {
          ForEachCellOf(period_base(measure, period_index), active_matches, strides,
                        [&](size_t cell) {
                          SurvivalCounts& counts = accumulators.survival[cell];
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
        set_matches(of);
        matches[*left_out + 1] = &kFirstCategory;
        for (const size_t measure : group.measures) {
          ForEachCellOf(period_base(measure, period_index), active_matches, strides,
                        [&](size_t cell) { ++accumulators.left_out[cell]; });
        }
        return;
      }

      // Activation: the days of the overlap in an offer; a person counts only with some.
      const bool offer_rule = group.rule == MonthRule::kOfferDays;
      const int64_t days =
          offer_rule ? offers.DaysInOffers(person, first, last, [](uint32_t) { return true; })
                     : last - first + 1;
      // Only full-time counts read the degree: for persons alone its column is not fetched.
      // An ended spell weighs its days (duration_ended), whole days: exact in any order.
      double weight = 0.0;
      if (group.weighted) {
        weight =
            group.rule == MonthRule::kSpellEnd
                ? static_cast<double>(last - row_classes.spell_start + 1)
                : static_cast<double>(days) * static_cast<double>(benefits.degree_millionths[row]);
      }
      const double full_weight = group.full_weighted
                                     ? static_cast<double>(last - first + 1) *
                                           static_cast<double>(benefits.degree_millionths[row])
                                     : 0.0;
      const bool person_counts = counts_persons && days > 0;
      if (by_leaf) {
        if (group.weighted) leaf_weight[leaf] += weight;
        if (group.counted) ++leaf_events[leaf];
        if (group.full_weighted) leaf_full_weight[leaf] += full_weight;
        if (!person_counts) return;
        if (person != leaves_person) {
          flush_person();
          leaves_person = person;
        }
        if (person_leaves.empty()) {
          person_leaves.push_back(static_cast<uint32_t>(leaf));
        } else if (person_leaves.back() != leaf) {
          leaves_one_per_period = leaves_one_per_period && slot > leaves_last_slot;
          person_leaves.push_back(static_cast<uint32_t>(leaf));
        }
        leaves_last_slot = slot;
        return;
      }
      if (person_counts) {
        count_person(person, period_index, of);  // and points `matches` at the cells
      } else {
        set_matches(of);
      }
      for (const size_t measure : group.measures) {
        const Statistic statistic = query.measures[measure].statistic;
        if (CountsDistinctPersons(statistic)) continue;
        const bool events = CountsEvents(statistic);
        const double add = events && statistic != Statistic::kDurationEnded ? 1.0
                           : offer_rule && !IsActivation(statistic)         ? full_weight
                                                                            : weight;
        const double below = statistic == Statistic::kDurationEnded    ? 1.0
                             : statistic == Statistic::kActivationRate ? full_weight
                                                                       : 0.0;
        ForEachCellOf(period_base(measure, period_index), active_matches, strides,
                      [&](size_t cell) {
                        numerator[cell] += add;
                        if (below != 0.0) accumulators.denominator[cell] += below;
                      });
      }
    };
    // The contributions of `row` to every month it counts in, as spans (by_span).
    // A person with several leaves in a month counts once in each cell of theirs, as in
    // flush_person.
    auto count_shared_month = [&](uint32_t shared_person, uint32_t month, uint32_t leaf) {
      for (const uint32_t period_index : months.periods[month])
        count_person(shared_person, period_index, classes_of_leaf(leaf));
    };
    // `first` and `last` are the row's months, held within the window.
    auto contribute_spans = [&](uint32_t row, uint32_t person, const RowClasses& row_classes,
                                MonthIndex first, MonthIndex last) {
      const DayNumber from = benefits.from[row];
      const DayNumber to = benefits.to[row];
      const auto first_month = static_cast<uint32_t>(first - months.first);
      const auto last_month = static_cast<uint32_t>(last - months.first);
      uint32_t begin = first_month;
      uint32_t end = last_month;
      if (group.rule == MonthRule::kFirstDay && from > months.starts[first_month]) ++begin;
      if (group.rule == MonthRule::kLastDay && to < months.starts[last_month + 1] - 1) {
        if (end == 0) return;
        --end;
      }
      if (begin > end) return;
      // The day a month's contribution is evaluated on, as `contribute` takes it.
      auto day_of = [&](uint32_t month) {
        switch (group.rule) {
          case MonthRule::kFirstDay:
            return months.starts[month];
          case MonthRule::kLastDay:
            return months.starts[month + 1] - 1;
          default:
            return std::min(to, months.starts[month + 1] - 1);
        }
      };
      std::array<int, 8> values{};
      auto values_on = [&](uint32_t month, std::array<int, 8>& into) {
        const DayNumber day = day_of(month);
        for (size_t at = 0; at < by_day.size(); ++at) {
          into[at] = by_day[at].kind == BreakdownKind::kAge
                         ? AgeFromPacked(persons.birth_packed[person], months.Packed(day))
                         : (day - row_classes.spell_start + 1) / 7;
        }
      };
      const int64_t degree = group.weighted ? benefits.degree_millionths[row] : 0;
      for (uint32_t run_first = begin; run_first <= end;) {
        // The run of months with the values of its first: they never go down, so the last
        // month with the same values is found by halving.
        uint32_t run_last = run_first;
        if (!by_day.empty()) {
          values_on(run_first, values);
          std::array<int, 8> probe{};
          uint32_t low = run_first;
          uint32_t high = end;
          values_on(high, probe);
          if (probe != values) {
            while (high - low > 1) {
              const uint32_t middle = low + (high - low) / 2;
              values_on(middle, probe);
              (probe == values ? low : high) = middle;
            }
            run_last = low;
          } else {
            run_last = end;
          }
        } else {
          run_last = end;
        }
        size_t leaf = row_classes.leaf_within_period;
        bool anywhere = row_classes.anywhere;
        for (size_t at = 0; at < by_day.size(); ++at) {
          const int32_t class_of = by_day[at].classes->Of(values[at]);
          if (class_of < 0) {
            anywhere = false;
            // Counted once per measure and asked month, as `contribute` counts.
            if (TakesBands(by_day[at].kind))
              accumulators.outside_bands[by_day[at].index] +=
                  static_cast<int64_t>(group.measures.size()) *
                  (asked_before[run_last + 1] - asked_before[run_first]);
          } else {
            leaf += static_cast<size_t>(class_of) * by_day[at].leaf_stride;
          }
        }
        if (anywhere) {
          const auto leaf_index = static_cast<uint32_t>(leaf);
          if (counts_persons)
            month_spans.AddPerson(person, leaf_index, run_first, run_last, count_shared_month);
          if (group.weighted) {  // kDays: the row's first and last months may be partly held
            auto add_days_of = [&](uint32_t month) {
              if (month < run_first || month > run_last) return;
              const DayNumber days = std::min(to, months.starts[month + 1] - 1) -
                                     std::max(from, months.starts[month]) + 1;
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
    };
    // The spell rules count a row only when it is its spell's first (or ended end) record,
    // and only in the periods holding that day.
    const bool by_event =
        group.rule == MonthRule::kSpellStart || group.rule == MonthRule::kSpellEnd;
    const DayNumber cut_off = query.release->cut_off_day;
    // The group's spells: the rows' own-code spells for one benefit, else built per person.
    // (An ended spell's start only for its duration: spells_ended alone does not read it.)
    bool spell_starts_needed = group.rule == MonthRule::kSpellEnd && group.weighted;
    for (const ByDay& day_class : by_day)
      spell_starts_needed = spell_starts_needed || day_class.kind == BreakdownKind::kDuration;
    const bool several_codes = std::popcount(group.mask) > 1;
    const bool spells_per_person = several_codes && (by_event || spell_starts_needed);
    // A plain reference in the loop: a thread_local object is reached through a call.
    thread_local GroupSpells spells_of_thread;
    GroupSpells& spells = spells_of_thread;
    uint32_t spells_person = std::numeric_limits<uint32_t>::max();
    auto classes_with_spell = [&](uint32_t row, uint32_t person) __attribute__((always_inline)) {
      RowClasses found = classes_of_row(row, person);
      if (spell_starts_needed)
        found.spell_start = several_codes ? spells.Start(row) : benefits.own_spell_start[row];
      return found;
    };

    // The end of the spell whose first record is `row`: its end record's `to`.
    auto spell_end_of = [&](uint32_t row, uint32_t person) {
      const uint32_t end = benefits.ranges.Last(person);
      for (uint32_t at = row; at < end; ++at) {
        if (several_codes) {
          const int code = CodeOf(benefits.benefit[at]);
          if (code >= 0 && (group.mask >> code & 1) != 0 && spells.Start(at) == spells.Start(row) &&
              spells.End(at))
            return benefits.to[at];
        } else if (benefits.benefit[at] == benefits.benefit[row] &&
                   benefits.own_spell_start[at] == benefits.own_spell_start[row] &&
                   benefits.SpellEnd(at)) {
          return benefits.to[at];
        }
      }
      assert(false && "a spell's rows hold its end record");
      return benefits.to[row];
    };

    const std::span<const uint32_t> rows(month_rows);
    for (size_t at = 0; at < rows.size(); ++at) {
      // The rows are ascending but apart: fetch ahead so the cache misses of several rows
      // overlap (the loop is bound by memory latency).
      if (at + kPrefetchRows < rows.size()) prefetch_row(rows[at + kPrefetchRows]);
      if (needs_person && at + kPrefetchRows / 2 < rows.size())
        prefetch_person(benefits.person[rows[at + kPrefetchRows / 2]]);
      const uint32_t row = rows[at];
      const uint32_t person = benefits.person[row];
      if (spells_per_person && person != spells_person) {
        spells.Build(benefits, person, row, group.mask);  // its first row visited: all follow
        spells_person = person;
      }
      if (by_event) {
        const bool start = group.rule == MonthRule::kSpellStart;
        bool event = false;
        if (start) {
          event = several_codes ? spells.First(row) : benefits.SpellFirst(row);
        } else {
          event = (several_codes ? spells.End(row) : benefits.SpellEnd(row)) &&
                  cut_off - benefits.to[row] >= kSpellGapDays;
        }
        if (!event) continue;
        const DayNumber day = start ? benefits.from[row] : benefits.to[row];
        if (day < months.starts.front() || day >= months.starts.back()) continue;
        RowClasses row_classes = classes_with_spell(row, person);
        if (!row_classes.anywhere && by_day.empty()) continue;
        if (group.survival) row_classes.spell_end = spell_end_of(row, person);
        for (const uint32_t period_index : months.Of(months.Within(day)))
          contribute(row, person, period_index, row_classes);
        continue;
      }
      // Each period the row overlaps, once: at the first of its months that the row covers.
      // (Every gathered row overlaps first … last.)
      const MonthIndex first_month = months.Within(benefits.from[row]);
      const MonthIndex last_month = months.Within(benefits.to[row]);
      const RowClasses row_classes = classes_with_spell(row, person);
      // Nowhere whatever the day, and no band to be outside of: nothing to count.
      if (!row_classes.anywhere && by_day.empty()) continue;
      if (by_span) {
        contribute_spans(row, person, row_classes, first_month, last_month);
        continue;
      }
      for (const uint32_t period_index : months.Of(first_month))
        contribute(row, person, period_index, row_classes);
      for (MonthIndex month = months.NextStart(first_month + 1); month <= last_month;
           month = months.NextStart(month + 1)) {
        for (const uint32_t period_index : months.StartingIn(month))
          contribute(row, person, period_index, row_classes);
      }
    }
    if (!by_leaf) continue;
    if (by_span) {
      month_spans.EndPerson(count_shared_month);
      month_spans.ForEach(
          month_days, [&](size_t month, size_t leaf, int64_t persons_here, int64_t weight_here) {
            for (const uint32_t period_index : months.periods[month]) {
              const size_t at = slot_of_period[period_index] * leaves_per_period + leaf;
              if (counts_persons) leaf_persons[at] += static_cast<uint32_t>(persons_here);
              if (group.weighted) leaf_weight[at] += static_cast<double>(weight_here);
            }
          });
    }
    if (counts_persons) flush_person();
    // Each leaf's sums into its cells, in leaf order (integers: the same in any order).
    for (size_t leaf = 0; leaf < leaf_count; ++leaf) {
      const uint32_t persons_here = counts_persons ? leaf_persons[leaf] : 0;
      const double weight_here = group.weighted ? leaf_weight[leaf] : 0.0;
      const uint32_t events_here = group.counted ? leaf_events[leaf] : 0;
      const double full_weight_here = group.full_weighted ? leaf_full_weight[leaf] : 0.0;
      if (persons_here == 0 && weight_here == 0.0 && events_here == 0 && full_weight_here == 0.0)
        continue;
      set_matches(classes_of_leaf(leaf));
      const uint32_t period_index = row_periods[leaf / leaves_per_period];
      for (const size_t measure : group.measures) {
        const Statistic statistic = query.measures[measure].statistic;
        double add = weight_here;
        if (CountsDistinctPersons(statistic)) {
          add = static_cast<double>(persons_here);
        } else if (CountsEvents(statistic) && statistic != Statistic::kDurationEnded) {
          add = static_cast<double>(events_here);
        } else if (group.rule == MonthRule::kOfferDays && !IsActivation(statistic)) {
          add = full_weight_here;  // fte beside the activation measures
        }
        const double below = statistic == Statistic::kDurationEnded    ? events_here
                             : statistic == Statistic::kActivationRate ? full_weight_here
                                                                       : 0.0;
        if (add == 0.0 && below == 0.0) continue;
        ForEachCellOf(period_base(measure, period_index), active_matches, strides,
                      [&](size_t cell) {
                        numerator[cell] += add;
                        if (below != 0.0) accumulators.denominator[cell] += below;
                      });
      }
    }
  }
}

}  // namespace jobindsigt::engine
