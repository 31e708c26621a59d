#pragma once
// What the month pass (month_pass.cpp) counts for each statistic, and the classes of
// categories it sums by: the rules shared by its planning (MonthPassMeasures, month_rules.cpp)
// and its evaluation. Internal to the engine.

#include <array>
#include <cassert>
#include <cstdint>
#include <vector>

#include "engine/evaluator.h"

namespace jobindsigt::engine {

inline bool KindSupported(BreakdownKind kind) {
  switch (kind) {
    case BreakdownKind::kAge:
    case BreakdownKind::kSex:
    case BreakdownKind::kOrigin:
    case BreakdownKind::kEducation:
    case BreakdownKind::kDuration:
    case BreakdownKind::kBenefit:
    case BreakdownKind::kVisitation:
    case BreakdownKind::kUnemploymentFund:
    case BreakdownKind::kStatusAfter:
    case BreakdownKind::kSurvivalWeek:
      return true;
    default:
      return false;
  }
}

// A breakdown whose class a contribution takes on its evaluation day (the person's age, the
// spell's duration) or from the spell (status after, survival week), not from the row alone.
inline bool ClassedByDay(BreakdownKind kind) {
  return kind == BreakdownKind::kAge || kind == BreakdownKind::kDuration ||
         kind == BreakdownKind::kStatusAfter || kind == BreakdownKind::kSurvivalWeek;
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

inline MonthRule RuleOf(Statistic statistic) {
  switch (statistic) {
    case Statistic::kPersonsStart:
      return MonthRule::kFirstDay;
    case Statistic::kPersonsEnd:
      return MonthRule::kLastDay;
    case Statistic::kSpellsStarted:
    case Statistic::kPersonsStarted:
    case Statistic::kSurvival:
      return MonthRule::kSpellStart;
    case Statistic::kSpellsEnded:
    case Statistic::kDurationEnded:
    case Statistic::kStatusAfter:
      return MonthRule::kSpellEnd;
    case Statistic::kActivatedPersons:
    case Statistic::kActivatedFte:
    case Statistic::kActivationRate:
      return MonthRule::kOfferDays;
    default:
      return MonthRule::kDays;
  }
}

// Statistics counting each person once per cell (the others add a weight or a count).
inline bool CountsDistinctPersons(Statistic statistic) {
  return statistic == Statistic::kPersons || statistic == Statistic::kPersonsStart ||
         statistic == Statistic::kPersonsEnd || statistic == Statistic::kPersonsStarted ||
         statistic == Statistic::kActivatedPersons;
}

// Statistics adding one per contribution: a spell (and duration_ended's denominator).
inline bool CountsEvents(Statistic statistic) {
  return statistic == Statistic::kSpellsStarted || statistic == Statistic::kSpellsEnded ||
         statistic == Statistic::kDurationEnded || statistic == Statistic::kStatusAfter;
}

// Statistics adding a weight per contribution: full-time days (in an offer, for activation),
// or an ended spell's days.
inline bool AddsWeight(Statistic statistic) {
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

inline DimensionClasses ClassesOf(const CategoryMap& map) {
  DimensionClasses classes;
  classes.map = &map;
  for (size_t of = 0; of < map.class_count(); ++of)
    classes.lists.push_back(&map.ClassList(static_cast<int32_t>(of)));
  return classes;
}

// A breakdown that does not apply to a statistic: every value counts in the total alone.
inline DimensionClasses TotalOnly(const CategoryMap& map) {
  DimensionClasses classes;
  if (!map.total_only.empty()) classes.lists.push_back(&map.total_only);
  return classes;
}

inline const std::vector<uint16_t> kFirstCategory = {0};

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
  bool survival = false;  // survival: Kaplan–Meier counts by cell (its breakdown applies
                          // to it alone, so its group holds survival measures only)
};

// The groups of the measures marked in `measures` (MonthPassMeasures), in order of their
// first measure.
std::vector<MeasureGroup> GroupMeasures(const ResolvedQuery& query,
                                        const std::vector<uint8_t>& measures);

// The index of the query's survival_week breakdown (a survival measure has one).
inline size_t SurvivalBreakdown(const ResolvedQuery& query) {
  for (size_t index = 0; index < query.breakdowns.size(); ++index) {
    if (query.breakdowns[index].kind == BreakdownKind::kSurvivalWeek) return index;
  }
  assert(false && "survival is asked with its survival_week breakdown");
  return 0;
}

// The areas every municipality with benefit rows (in any shard of the release) falls in, when
// they are the same for all of them (the whole country, or a group of all): then a person
// counts in those areas iff they have a row of the group that month, whatever its
// municipality (rows without one count nowhere). nullptr otherwise. Over the whole release, so
// that every shard answers the same periods from its rows (their sums by leaf add up).
inline const std::vector<uint16_t>* UniformAreas(const ResolvedQuery& query) {
  const std::vector<uint16_t>* common = nullptr;
  for (const Shard& shard : query.release->shards) {
    const RecordMonthIndex& index = shard.benefit_months;
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
  }
  return common;
}

}  // namespace jobindsigt::engine
