// Which measures the month pass answers (month_pass.h).
#include "engine/month_rules.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <vector>

#include "engine/month_pass.h"

namespace jobindsigt::engine {

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
      case Statistic::kStatusAfter:
      case Statistic::kSurvival:
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

std::vector<uint8_t> RunPassMeasures(const ResolvedQuery& query,
                                     const std::vector<uint8_t>& by_month) {
  std::vector<uint8_t> measures(query.measures.size(), 0);
  if (query.release->shards.empty()) return measures;
  const MonthIndex runs_first = query.release->shards.front().runs_first_month;
  for (const ResolvedPeriod& period : query.periods) {
    if (period.period.first_month() < runs_first) return measures;
  }
  for (size_t index = 0; index < query.measures.size(); ++index) {
    const Statistic statistic = query.measures[index].statistic;
    const MonthRule rule = RuleOf(statistic);
    if (by_month[index] == 0 || rule == MonthRule::kSpellStart || rule == MonthRule::kSpellEnd)
      continue;
    const bool by_day = std::any_of(
        query.breakdowns.begin(), query.breakdowns.end(), [&](const ResolvedBreakdown& breakdown) {
          return ClassedByDay(breakdown.kind) && BreakdownApplies(breakdown.kind, statistic);
        });
    measures[index] = by_day ? 0 : 1;
  }
  return measures;
}

std::vector<MeasureGroup> GroupMeasures(const ResolvedQuery& query,
                                        const std::vector<uint8_t>& measures) {
  const size_t breakdown_count = query.breakdowns.size();
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
    found->survival = found->survival || statistic == Statistic::kSurvival;
    found->full_weighted = found->full_weighted ||
                           (found->rule == MonthRule::kOfferDays && !IsActivation(statistic) &&
                            AddsWeight(statistic)) ||
                           statistic == Statistic::kActivationRate;
  }
  return groups;
}

}  // namespace jobindsigt::engine
