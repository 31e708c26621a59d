#include "engine/month_pass.h"

#include <algorithm>
#include <array>
#include <atomic>
#include <bit>
#include <cassert>
#include <limits>
#include <span>
#include <vector>

#include "common/prefetch.h"
#include "engine/cell_odometer.h"
#include "engine/month_rows.h"

namespace jobindsigt::engine {
namespace {

bool KindSupported(BreakdownKind kind) {
  switch (kind) {
    case BreakdownKind::kAge:
    case BreakdownKind::kSex:
    case BreakdownKind::kOrigin:
    case BreakdownKind::kEducation:
    case BreakdownKind::kDuration:
    case BreakdownKind::kBenefit:
    case BreakdownKind::kVisitation:
    case BreakdownKind::kUnemploymentFund:
      return true;
    default:
      return false;
  }
}

// Which rows a statistic counts in a period, and on which day they are evaluated.
enum class MonthRule : uint8_t {
  kDays,        // persons, fte (share_of_population's numerator): every row overlapping the
                // period, on the last day of the overlap
  kFirstDay,    // persons_start: rows covering the period's first day, on that day
  kLastDay,     // persons_end: rows covering its last day, on that day
  kSpellStart,  // spells_started, persons_started: a spell's first record, on its from day
                // in the period (the group's spells: GroupSpells, or own-code for one benefit)
  kSpellEnd,    // spells_ended, duration_ended: an ended spell's end record, on its end day
  kOfferDays,   // activated_*, activation_rate: as kDays, with the days of the overlap on
                // which the person is in an offer (a person counts if there are any)
};

MonthRule RuleOf(Statistic statistic) {
  switch (statistic) {
    case Statistic::kPersonsStart:
      return MonthRule::kFirstDay;
    case Statistic::kPersonsEnd:
      return MonthRule::kLastDay;
    case Statistic::kSpellsStarted:
    case Statistic::kPersonsStarted:
      return MonthRule::kSpellStart;
    case Statistic::kSpellsEnded:
    case Statistic::kDurationEnded:
      return MonthRule::kSpellEnd;
    case Statistic::kActivatedPersons:
    case Statistic::kActivatedFte:
    case Statistic::kActivationRate:
      return MonthRule::kOfferDays;
    default:
      return MonthRule::kDays;
  }
}

bool IsActivation(Statistic statistic) {
  return RuleOf(statistic) == MonthRule::kOfferDays;
}

// Statistics counting each person once per cell (the others add a weight or a count).
bool CountsDistinctPersons(Statistic statistic) {
  return statistic == Statistic::kPersons || statistic == Statistic::kPersonsStart ||
         statistic == Statistic::kPersonsEnd || statistic == Statistic::kPersonsStarted ||
         statistic == Statistic::kActivatedPersons;
}

// Statistics adding one per contribution: a spell (and duration_ended's denominator).
bool CountsEvents(Statistic statistic) {
  return statistic == Statistic::kSpellsStarted || statistic == Statistic::kSpellsEnded ||
         statistic == Statistic::kDurationEnded;
}

// Statistics adding a weight per contribution: full-time days (in an offer, for activation),
// or an ended spell's days.
bool AddsWeight(Statistic statistic) {
  return statistic == Statistic::kFte || statistic == Statistic::kShareOfPopulation ||
         statistic == Statistic::kDurationEnded || statistic == Statistic::kActivatedFte ||
         statistic == Statistic::kActivationRate;
}

// The classes of one dimension as the month pass reads them (CategoryMap::class_of_value):
// a contribution is recorded by its period and the class of each dimension (its leaf), and
// each leaf is turned into cells once at the end, not every contribution into cells.
struct DimensionClasses {
  const CategoryMap* map = nullptr;                 // null: the total alone (TotalOnly)
  std::vector<const std::vector<uint16_t>*> lists;  // class → categories (never empty)

  int32_t Of(int value) const { return map->ClassOf(value); }
  size_t size() const { return lists.size(); }
};

DimensionClasses ClassesOf(const CategoryMap& map) {
  DimensionClasses classes;
  classes.map = &map;
  for (size_t of = 0; of < map.class_count(); ++of)
    classes.lists.push_back(&map.ClassList(static_cast<int32_t>(of)));
  return classes;
}

// A breakdown that does not apply to a statistic: every value counts in the total alone.
DimensionClasses TotalOnly(const CategoryMap& map) {
  DimensionClasses classes;
  if (!map.total_only.empty()) classes.lists.push_back(&map.total_only);
  return classes;
}

// Makes the distinct-person stamps of one evaluation (one shard of one query) unique without
// clearing them: each call takes a new generation, the high half of a stamp; the person's
// index in the shard is the low half.
std::atomic<uint32_t> next_generation{1};

constexpr size_t kPrefetchRows = 32;

// The areas every municipality with benefit rows falls in, when they are the same for all
// of them (the whole country, or a group of all): then a person counts in those areas iff they
// have a row of the group that month, whatever its municipality (rows without one count
// nowhere). nullptr otherwise.
const std::vector<uint16_t>* UniformAreas(const ResolvedQuery& query,
                                          const RecordMonthIndex& index) {
  const std::vector<uint16_t>* common = nullptr;
  for (size_t slot = 0; slot < index.slots(); ++slot) {
    const int municipality = index.municipalities[slot];
    const std::vector<uint16_t>& areas = query.areas.Of(municipality);
    if (municipality < 0) {
      if (!areas.empty()) return nullptr;
      continue;
    }
    if (areas.empty() || (common != nullptr && areas != *common)) return nullptr;
    common = &areas;
  }
  return common;
}

}  // namespace

std::vector<uint8_t> MonthPassMeasures(const ResolvedQuery& query, bool residents_by_table) {
  std::vector<uint8_t> measures(query.measures.size(), 0);
  for (const ResolvedPeriod& period : query.periods) {
    if (!period.period.WholeMonths()) return measures;
  }
  for (const ResolvedBreakdown& breakdown : query.breakdowns) {
    if (!KindSupported(breakdown.kind)) return measures;
  }
  if (query.breakdowns.size() + 1 > 8) return measures;
  for (size_t index = 0; index < query.measures.size(); ++index) {
    const ResolvedMeasure& measure = query.measures[index];
    bool counted = false;
    switch (measure.statistic) {
      case Statistic::kPersons:
      case Statistic::kFte:
      case Statistic::kPersonsStart:
      case Statistic::kPersonsEnd:
      case Statistic::kSpellsStarted:
      case Statistic::kPersonsStarted:
      case Statistic::kSpellsEnded:
      case Statistic::kDurationEnded:
      case Statistic::kActivatedPersons:
      case Statistic::kActivatedFte:
      case Statistic::kActivationRate:
        counted = true;
        break;
      case Statistic::kShareOfPopulation:
        counted = residents_by_table;
        break;
      default:
        break;
    }
    measures[index] = counted ? 1 : 0;
  }
  return measures;
}

void EvaluateMonths(const ResolvedQuery& query, const Shard& shard,
                    const std::vector<uint8_t>& measures, bool leaves_wanted,
                    Accumulators& accumulators) {
  const BenefitColumns& benefits = shard.benefits;
  const PersonColumns& persons = shard.persons;
  const size_t breakdown_count = query.breakdowns.size();
  const size_t dimensions = breakdown_count + 1;  // area, then each breakdown

  thread_local std::vector<uint64_t> stamps;
  thread_local std::vector<uint32_t> month_rows;
  if (stamps.size() < query.cells) stamps.resize(query.cells, 0);
  const uint64_t generation = static_cast<uint64_t>(next_generation++) << 32;

  std::array<const std::vector<uint16_t>*, 8> matches{};
  const std::span<const std::vector<uint16_t>* const> active_matches(matches.data(), dimensions);
  const auto strides = std::span<const size_t>(query.stride).subspan(2);
  auto& numerator = accumulators.numerator;

  bool needs_spells = false;
  bool needs_codes = false;
  bool needs_person_codes = false;
  for (const ResolvedBreakdown& breakdown : query.breakdowns) {
    needs_spells = needs_spells || breakdown.kind == BreakdownKind::kDuration;
    needs_codes = needs_codes || breakdown.kind == BreakdownKind::kVisitation ||
                  breakdown.kind == BreakdownKind::kUnemploymentFund ||
                  breakdown.kind == BreakdownKind::kBenefit;
    needs_person_codes = needs_person_codes || breakdown.kind == BreakdownKind::kSex ||
                         breakdown.kind == BreakdownKind::kOrigin ||
                         breakdown.kind == BreakdownKind::kEducation;
  }
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
    if (needs_codes) {
      Prefetch(&benefits.visitation[row]);
      Prefetch(&benefits.fund[row]);
      Prefetch(&benefits.benefit[row]);
    }
  };
  const OfferColumns& offers = shard.offers;
  bool needs_offers = false;
  for (size_t measure = 0; measure < query.measures.size(); ++measure)
    needs_offers =
        needs_offers || (measures[measure] != 0 &&
                         RuleOf(query.measures[measure].statistic) == MonthRule::kOfferDays);
  auto prefetch_person = [&](uint32_t person) {
    Prefetch(&persons.birth_packed[person]);
    if (needs_offers) Prefetch(&offers.ranges.begin[person]);
    if (needs_person_codes) {
      Prefetch(&persons.sex[person]);
      Prefetch(&persons.origin[person]);
      Prefetch(&persons.education[person]);
    }
  };

  // Measures of the same group, rule and breakdown applicability share one visit of each row.
  struct MeasureGroup {
    uint64_t mask = 0;
    MonthRule rule = MonthRule::kDays;
    std::array<bool, 8> applies{};
    std::vector<size_t> measures;
    bool persons_only = true;  // every measure counts distinct persons: no weight, no count
    bool weighted = false;     // some measure adds a weight (AddsWeight)
    bool counted = false;      // some measure adds one per contribution (CountsEvents)
    // In a kOfferDays group: some measure adds all of a contribution's full-time days
    // (activation_rate's denominator, or fte beside the activation measures).
    bool full_weighted = false;
  };
  auto applies_to = [&](Statistic statistic) {
    std::array<bool, 8> applies{};
    for (size_t index = 0; index < breakdown_count; ++index)
      applies[index] = BreakdownApplies(query.breakdowns[index].kind, statistic);
    return applies;
  };
  // Full-time persons beside activation measures of the same group (the activation rate's
  // usual companion) join their visit of the rows: its weight is the rate's denominator.
  auto joins_activation = [&](size_t measure) {
    const ResolvedMeasure& full = query.measures[measure];
    if (full.statistic != Statistic::kFte && full.statistic != Statistic::kShareOfPopulation)
      return false;
    for (size_t other = 0; other < query.measures.size(); ++other) {
      const ResolvedMeasure& activation = query.measures[other];
      if (measures[other] != 0 && RuleOf(activation.statistic) == MonthRule::kOfferDays &&
          activation.benefit_mask == full.benefit_mask &&
          applies_to(activation.statistic) == applies_to(full.statistic))
        return true;
    }
    return false;
  };
  std::vector<MeasureGroup> groups;
  for (size_t measure = 0; measure < query.measures.size(); ++measure) {
    if (measures[measure] == 0) continue;
    MeasureGroup group;
    group.mask = query.measures[measure].benefit_mask;
    group.rule = joins_activation(measure) ? MonthRule::kOfferDays
                                           : RuleOf(query.measures[measure].statistic);
    group.applies = applies_to(query.measures[measure].statistic);
    auto same = [&](const MeasureGroup& other) {
      return other.mask == group.mask && other.rule == group.rule && other.applies == group.applies;
    };
    auto found = std::find_if(groups.begin(), groups.end(), same);
    if (found == groups.end()) found = groups.insert(groups.end(), std::move(group));
    found->measures.push_back(measure);
    const Statistic statistic = query.measures[measure].statistic;
    found->persons_only = found->persons_only && CountsDistinctPersons(statistic);
    found->weighted = found->weighted || AddsWeight(statistic);
    found->counted = found->counted || CountsEvents(statistic);
    found->full_weighted = found->full_weighted ||
                           (found->rule == MonthRule::kOfferDays && !IsActivation(statistic) &&
                            AddsWeight(statistic)) ||
                           statistic == Statistic::kActivationRate;
  }

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
    auto set_matches = [&](const std::array<int32_t, 8>& of) {
      for (size_t dimension = 0; dimension < dimensions; ++dimension)
        matches[dimension] = classes[dimension]->lists[of[dimension]];
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
    };
    // The breakdowns that apply and change with the day, with what a contribution needs of
    // them at hand (it runs once per row and period).
    struct ByDay {
      size_t index = 0;  // the breakdown's
      bool age = false;  // else duration
      const DimensionClasses* classes = nullptr;
      size_t leaf_stride = 0;
    };
    std::array<ByDay, 8> by_day_list{};
    size_t by_day_count = 0;
    for (size_t index = 0; index < breakdown_count; ++index) {
      const BreakdownKind kind = query.breakdowns[index].kind;
      if (group.applies[index] && (kind == BreakdownKind::kAge || kind == BreakdownKind::kDuration))
        by_day_list[by_day_count++] = {index, kind == BreakdownKind::kAge,
                                       &breakdown_classes[index], leaf_stride[index + 1]};
    }
    const std::span<const ByDay> by_day(by_day_list.data(), by_day_count);
    std::array<size_t, 8> fixed_stride = leaf_stride;  // 0 for the classes by day
    for (const ByDay& day_class : by_day) fixed_stride[day_class.index + 1] = 0;
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
            continue;  // by day
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
      for (const ByDay& day_class : by_day) {
        const int value = day_class.age
                              ? AgeFromPacked(persons.birth_packed[person], months.Packed(last))
                              : (last - row_classes.spell_start + 1) / 7;
        const int32_t class_of = day_class.classes->Of(value);
        of[day_class.index + 1] = class_of;
        if (class_of < 0) {
          anywhere = false;
          // Counted once per measure evaluated, as PersonPass counts.
          accumulators.outside_bands[day_class.index] +=
              static_cast<int64_t>(group.measures.size());
        }
        leaf += static_cast<size_t>(class_of) * day_class.leaf_stride;
      }
      if (!anywhere) return;

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
    // The spell rules count a row only when it is its spell's first (or ended end) record,
    // and only in the periods holding that day.
    const bool by_event =
        group.rule == MonthRule::kSpellStart || group.rule == MonthRule::kSpellEnd;
    const DayNumber cut_off = query.release->cut_off_day;
    // The group's spells: the rows' own-code spells for one benefit, else built per person.
    bool spell_starts_needed = group.rule == MonthRule::kSpellEnd;
    for (const ByDay& day_class : by_day)
      spell_starts_needed = spell_starts_needed || !day_class.age;
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

    const std::span<const uint32_t> rows(month_rows);
    for (size_t at = 0; at < rows.size(); ++at) {
      // The rows are ascending but apart: fetch ahead so the cache misses of several rows
      // overlap (the loop is bound by memory latency).
      if (at + kPrefetchRows < rows.size()) prefetch_row(rows[at + kPrefetchRows]);
      if (at + kPrefetchRows / 2 < rows.size())
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
        const RowClasses row_classes = classes_with_spell(row, person);
        if (!row_classes.anywhere && by_day.empty()) continue;
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
      for (const uint32_t period_index : months.Of(first_month))
        contribute(row, person, period_index, row_classes);
      for (MonthIndex month = months.NextStart(first_month + 1); month <= last_month;
           month = months.NextStart(month + 1)) {
        for (const uint32_t period_index : months.StartingIn(month))
          contribute(row, person, period_index, row_classes);
      }
    }
    if (!by_leaf) continue;
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
