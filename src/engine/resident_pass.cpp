// Population figures from the release's resident table (evaluator.h, CountResidents): the
// residents aged 16–66 on a period's last day, by municipality, sex and age, are counted once
// at load time (ResidentTable), so a query adds up table entries instead of looking up every
// person's residence on every period's last day. Each entry is matched to cells as
// PersonPass::Residents matches one resident, weighted by its count; outside_bands too.
// docs/decisions/0005-engine-residents-and-payments.md.
#include <algorithm>
#include <array>
#include <bit>
#include <span>
#include <vector>

#include "engine/cell_odometer.h"
#include "engine/evaluator.h"
#include "engine/month_rules.h"

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

// The table's entries of one period are first summed by leaf — the class of the area and of
// each breakdown, as the month pass sums its contributions (month_rules.h) — and each leaf is
// turned into cells once: a table by region and age bands matches a few dozen leaves instead of
// every municipality, sex and age (150,000 entries a period).
void CountResidents(const ResolvedQuery& query, Accumulators& accumulators) {
  const ResidentTable& table = query.release->residents;
  const size_t breakdown_count = query.breakdowns.size();
  const size_t dimensions = breakdown_count + 1;
  std::array<const std::vector<uint16_t>*, 8> matches{};
  const std::span<const std::vector<uint16_t>* const> active(matches.data(), dimensions);
  const auto strides = std::span<const size_t>(query.stride).subspan(2);
  const size_t sex_codes = table.sex_slots - 1;
  const DimensionClasses area_classes = ClassesOf(query.areas);
  std::vector<int32_t> area_of_slot;
  for (const int16_t municipality : table.municipalities)
    area_of_slot.push_back(area_classes.Of(municipality));
  std::vector<uint64_t> by_leaf;
  for (size_t measure = 0; measure < query.measures.size(); ++measure) {
    const Statistic statistic = query.measures[measure].statistic;
    if (!IsPopulation(statistic)) continue;
    auto& target =
        statistic == Statistic::kPopulation ? accumulators.numerator : accumulators.denominator;
    // Each dimension's classes; a breakdown that does not apply counts in its total alone
    // (nowhere without a total). Each breakdown's class by age and by sex slot.
    std::array<DimensionClasses, 8> classes{};
    classes[0] = area_classes;
    std::array<size_t, 8> leaf_stride{};
    std::vector<std::array<int32_t, ResidentTable::kAges>> class_by_age(breakdown_count);
    std::vector<std::vector<int32_t>> class_by_sex(breakdown_count);
    std::array<bool, 8> counts_outside{};  // an applying breakdown of bands
    for (size_t index = 0; index < breakdown_count; ++index) {
      const ResolvedBreakdown& breakdown = query.breakdowns[index];
      const bool applies = BreakdownApplies(breakdown.kind, statistic);
      counts_outside[index] = applies && TakesBands(breakdown.kind);
      classes[index + 1] = applies ? ClassesOf(breakdown.map) : TotalOnly(breakdown.map);
      const int32_t fixed = classes[index + 1].size() > 0 ? 0 : -1;
      for (int age = ResidentTable::kFirstAge; age <= ResidentTable::kLastAge; ++age) {
        class_by_age[index][static_cast<size_t>(age - ResidentTable::kFirstAge)] =
            !applies                                ? fixed
            : breakdown.kind == BreakdownKind::kAge ? breakdown.map.ClassOf(age)
                                                    : 0;  // by sex: below
      }
      for (size_t sex_slot = 0; sex_slot < table.sex_slots; ++sex_slot) {
        const int sex = sex_slot < sex_codes ? static_cast<int>(sex_slot) : -1;
        class_by_sex[index].push_back(!applies ? fixed
                                      : breakdown.kind == BreakdownKind::kSex
                                          ? breakdown.map.ClassOf(sex)
                                          : 0);
      }
    }
    size_t leaves = 1;
    for (size_t dimension = dimensions; dimension-- > 0;) {
      leaf_stride[dimension] = leaves;
      leaves *= std::max<size_t>(classes[dimension].size(), 1);
    }
    // Entry by entry, every period's month at once: the table holds an entry's months side
    // by side, and an entry's leaf is the same in every period.
    const size_t periods = query.periods.size();
    std::vector<size_t> month_at;  // by period: its month's place among an entry's months
    for (const ResolvedPeriod& resolved : query.periods)
      month_at.push_back(static_cast<size_t>(resolved.period.last_month() - table.first_month));
    by_leaf.assign(periods * leaves, 0);
    for (size_t slot = 0; slot < table.municipalities.size(); ++slot) {
      for (size_t sex_slot = 0; sex_slot < table.sex_slots; ++sex_slot) {
        for (int age = ResidentTable::kFirstAge; age <= ResidentTable::kLastAge; ++age) {
          bool anywhere = area_of_slot[slot] >= 0;
          size_t leaf = static_cast<size_t>(std::max(area_of_slot[slot], 0)) * leaf_stride[0];
          uint64_t outside = 0;  // the breakdowns whose bands leave this age out, a bit each
          for (size_t index = 0; index < breakdown_count; ++index) {
            const int32_t by_age =
                class_by_age[index][static_cast<size_t>(age - ResidentTable::kFirstAge)];
            const int32_t of = std::min(by_age, class_by_sex[index][sex_slot]) < 0
                                   ? -1
                                   : by_age + class_by_sex[index][sex_slot];
            if (of < 0) {
              anywhere = false;
              if (counts_outside[index]) outside |= uint64_t{1} << index;
              continue;
            }
            leaf += static_cast<size_t>(of) * leaf_stride[index + 1];
          }
          if (!anywhere && outside == 0) continue;
          const size_t first = table.Index(slot, sex_slot, table.first_month, age);
          for (size_t period = 0; period < periods; ++period) {
            const uint32_t count = table.counts[first + month_at[period]];
            if (count == 0) continue;
            if (anywhere) by_leaf[period * leaves + leaf] += count;
            // Every entry at an age in no band counts in the hint, whatever its area.
            for (uint64_t rest = outside; rest != 0; rest &= rest - 1)
              accumulators.outside_bands[static_cast<size_t>(std::countr_zero(rest))] += count;
          }
        }
      }
    }
    for (size_t period = 0; period < periods; ++period) {
      const size_t base = measure * query.stride[0] + period * query.stride[1];
      for (size_t leaf = 0; leaf < leaves; ++leaf) {
        const uint64_t sum = by_leaf[period * leaves + leaf];
        if (sum == 0) continue;
        for (size_t dimension = 0; dimension < dimensions; ++dimension)
          matches[dimension] =
              classes[dimension].lists[leaf / leaf_stride[dimension] % classes[dimension].size()];
        const auto count = static_cast<double>(sum);
        ForEachCellOf(base, active, strides, [&](size_t cell) { target[cell] += count; });
      }
    }
  }
}

}  // namespace jobindsigt::engine
