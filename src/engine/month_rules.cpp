// Which measures the month pass answers (month_pass.h).
#include "engine/month_rules.h"

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

}  // namespace jobindsigt::engine
