#include "engine/month_pass.h"

#include <algorithm>
#include <atomic>
#include <memory>
#include <span>
#include <vector>

#include "engine/month_group.h"
#include "engine/month_rows.h"
#include "engine/month_rules.h"

namespace jobindsigt::engine {
namespace {

// Makes the distinct-person stamps of one evaluation (one shard of one query) unique without
// clearing them: each call takes a new generation, the high half of a stamp; the person's
// index in the shard is the low half.
std::atomic<uint32_t> next_generation{1};

// The gathering that shows every group of `choices` the rows it counts: their union.
RowChoice Union(const std::vector<RowChoice>& choices) {
  RowChoice all = choices.front();
  for (const RowChoice& choice : choices) {
    if (choice.only == nullptr) return {};  // some group counts every row overlapping
    all.beginning_only = all.beginning_only && choice.beginning_only;
    if (choice.only != all.only) all.or_only = choice.only;
  }
  return all;
}

}  // namespace

void EvaluateMonths(const ResolvedQuery& query, const Shard& shard,
                    const std::vector<uint8_t>& measures, bool leaves_wanted, bool spans_wanted,
                    Accumulators& accumulators) {
  thread_local std::vector<uint64_t> stamps;
  thread_local std::vector<uint32_t> month_rows;
  if (stamps.size() < query.cells) stamps.resize(query.cells, 0);
  MonthPassShared shared{query,
                         shard,
                         accumulators,
                         stamps,
                         static_cast<uint64_t>(next_generation++) << 32,
                         ClassesOf(query.areas),
                         {},
                         {}};
  for (const ResolvedBreakdown& breakdown : query.breakdowns) {
    shared.breakdown_classes.push_back(ClassesOf(breakdown.map));
    shared.total_classes.push_back(TotalOnly(breakdown.map));
  }
  const std::vector<MeasureGroup> groups = GroupMeasures(query, measures);

  // Only the municipalities some area covers are visited.
  const RecordMonthIndex& month_index = shard.benefit_months;
  std::vector<size_t> covered_slots;
  for (size_t slot = 0; slot < month_index.slots(); ++slot) {
    if (!query.areas.Of(month_index.municipalities[slot]).empty()) covered_slots.push_back(slot);
  }
  const std::vector<uint16_t>* uniform_areas =
      query.breakdowns.empty() ? UniformAreas(query, month_index) : nullptr;
  const auto strides = std::span<const size_t>(query.stride).subspan(2);

  thread_local std::vector<std::unique_ptr<MonthGroupBuffers>> buffers;
  while (buffers.size() < groups.size()) buffers.push_back(std::make_unique<MonthGroupBuffers>());
  std::vector<std::unique_ptr<MonthGroup>> passes;
  for (size_t index = 0; index < groups.size(); ++index) {
    const MeasureGroup& group = groups[index];
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
            accumulators.numerator[base + area * strides[0]] +=
                static_cast<double>(persons_in_group);
        }
        continue;
      }
      row_periods.push_back(static_cast<uint32_t>(period_index));
    }
    if (row_periods.empty()) continue;
    passes.push_back(std::make_unique<MonthGroup>(shared, group, std::move(row_periods),
                                                  leaves_wanted, spans_wanted, *buffers[index]));
  }

  // Groups of the same codes and periods are shown the same rows in one visit: the union of
  // the rows each counts, gathered once, each row's columns fetched once for all of them.
  std::vector<bool> visited(passes.size(), false);
  for (size_t first = 0; first < passes.size(); ++first) {
    if (visited[first]) continue;
    std::vector<MonthGroup*> together;
    std::vector<RowChoice> choices;
    for (size_t other = first; other < passes.size(); ++other) {
      if (visited[other] || passes[other]->group().mask != passes[first]->group().mask ||
          passes[other]->row_periods() != passes[first]->row_periods())
        continue;
      visited[other] = true;
      together.push_back(passes[other].get());
      choices.push_back(passes[other]->Rows());
    }
    const RowChoice rows = Union(choices);
    GatherRows(month_index, passes[first]->group().mask, passes[first]->months(), covered_slots,
               rows.beginning_only, shard.benefits.to, rows.only, rows.or_only, month_rows);
    VisitRows(shared, together, month_rows);
    for (MonthGroup* group : together) group->Finish();
  }
}

}  // namespace jobindsigt::engine
