// Population figures from the release's resident table (evaluator.h, CountResidents): the
// residents aged 16–66 on a period's last day, by municipality, sex and age, are counted once
// at load time (ResidentTable), so a query adds up table entries instead of looking up every
// person's residence on every period's last day. Each entry is matched to cells as
// PersonPass::Residents matches one resident, weighted by its count; outside_bands too.
// docs/decisions/0005-engine-residents-and-payments.md.
#include <array>
#include <span>

#include "engine/cell_odometer.h"
#include "engine/evaluator.h"

namespace jobindsigt::engine {
bool ResidentTableApplies(const ResolvedQuery& query) {
  const ResidentTable& table = query.release->residents;
  bool any = false;
  for (const ResolvedMeasure& measure : query.measures) {
    if (!IsPopulation(measure.statistic)) continue;
    any = true;
    for (const ResolvedBreakdown& breakdown : query.breakdowns) {
      if (BreakdownApplies(breakdown.kind, measure.statistic) &&
          breakdown.kind != BreakdownKind::kAge && breakdown.kind != BreakdownKind::kSex)
        return false;  // origin, education: not in the table
    }
  }
  if (!any || query.breakdowns.size() + 1 > 8) return false;
  for (const ResolvedPeriod& resolved : query.periods) {
    const MonthIndex month = resolved.period.last_month();
    if (resolved.period.last_day != LastDayOfMonth(month) || !table.Covers(month)) return false;
  }
  return true;
}

void CountResidents(const ResolvedQuery& query, Accumulators& accumulators) {
  const ResidentTable& table = query.release->residents;
  const size_t breakdown_count = query.breakdowns.size();
  std::array<const std::vector<uint16_t>*, 8> matches{};
  const std::span<const std::vector<uint16_t>* const> active(matches.data(), breakdown_count + 1);
  const auto strides = std::span<const size_t>(query.stride).subspan(2);
  const size_t sex_codes = table.sex_slots - 1;
  for (size_t measure = 0; measure < query.measures.size(); ++measure) {
    const Statistic statistic = query.measures[measure].statistic;
    if (!IsPopulation(statistic)) continue;
    auto& target =
        statistic == Statistic::kPopulation ? accumulators.numerator : accumulators.denominator;
    for (size_t period = 0; period < query.periods.size(); ++period) {
      const MonthIndex month = query.periods[period].period.last_month();
      const size_t base = measure * query.stride[0] + period * query.stride[1];
      for (size_t slot = 0; slot < table.municipalities.size(); ++slot) {
        matches[0] = &query.areas.Of(table.municipalities[slot]);
        for (size_t sex_slot = 0; sex_slot < table.sex_slots; ++sex_slot) {
          const int sex = sex_slot < sex_codes ? static_cast<int>(sex_slot) : -1;
          for (int age = ResidentTable::kFirstAge; age <= ResidentTable::kLastAge; ++age) {
            const uint32_t count = table.counts[table.Index(slot, sex_slot, month, age)];
            if (count == 0) continue;
            for (size_t index = 0; index < breakdown_count; ++index) {
              const ResolvedBreakdown& breakdown = query.breakdowns[index];
              if (!BreakdownApplies(breakdown.kind, statistic)) {
                matches[index + 1] = &breakdown.map.total_only;
                continue;
              }
              matches[index + 1] =
                  &breakdown.map.Of(breakdown.kind == BreakdownKind::kAge ? age : sex);
              if (matches[index + 1]->empty() && TakesBands(breakdown.kind))
                accumulators.outside_bands[index] += count;
            }
            ForEachCellOf(base, active, strides, [&](size_t cell) { target[cell] += count; });
          }
        }
      }
    }
  }
}

}  // namespace jobindsigt::engine
