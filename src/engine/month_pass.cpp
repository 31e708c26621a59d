#include "engine/month_pass.h"

#include <algorithm>
#include <array>
#include <atomic>
#include <memory>
#include <span>
#include <vector>

#include "engine/month_group.h"
#include "engine/month_rows.h"
#include "engine/month_rules.h"

namespace jobindsigt::engine {
namespace {

// Makes the distinct-person stamps of one shard's visit for a query unique without clearing
// them: each visit takes a new generation, the high half of a stamp; the person's index in the
// shard is the low half.
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

// A group answered from the shards' sets of codes by month (a period of one month, areas all
// alike, persons only): each shard adds its persons with a code of the group, no row visited.
struct FromCodeSets {
  size_t group;
  uint32_t period_index;
};

}  // namespace

struct MonthPass::State {
  State(const ResolvedQuery& query, bool runs, Accumulators& accumulators)
      : shared{query, accumulators, stamps, nullptr, nullptr, 0, ClassesOf(query.areas), {}, {}},
        on_runs(runs) {}

  // Thread-local: reused from query to query by the worker's thread. A worker may hold a pass
  // over the rows and one over the runs at once: each has its own buffers (their sums by leaf
  // last until Finish).
  static thread_local std::vector<uint64_t> stamps;
  static thread_local std::vector<uint32_t> rows;
  static thread_local std::array<std::vector<std::unique_ptr<MonthGroupBuffers>>, 2> buffers;

  MonthPassShared shared;
  bool on_runs;
  std::vector<MeasureGroup> groups;
  const std::vector<uint16_t>* uniform_areas = nullptr;
  std::vector<FromCodeSets> from_code_sets;
  std::vector<std::unique_ptr<MonthGroup>> passes;
  // Groups of the same codes and periods are shown the same rows in one visit: the union of
  // the rows each counts, gathered once, each row's columns fetched once for all of them.
  std::vector<std::vector<MonthGroup*>> visits;
};

thread_local std::vector<uint64_t> MonthPass::State::stamps;
thread_local std::vector<uint32_t> MonthPass::State::rows;
thread_local std::array<std::vector<std::unique_ptr<MonthGroupBuffers>>, 2>
    MonthPass::State::buffers;

MonthPass::MonthPass(const ResolvedQuery& query, const std::vector<uint8_t>& measures, bool by_leaf,
                     bool by_span, bool on_runs, Accumulators& accumulators)
    : state_(std::make_unique<State>(query, on_runs, accumulators)) {
  State& state = *state_;
  std::vector<std::unique_ptr<MonthGroupBuffers>>& buffers = State::buffers[on_runs ? 1 : 0];
  if (State::stamps.size() < query.cells) State::stamps.resize(query.cells, 0);
  for (const ResolvedBreakdown& breakdown : query.breakdowns) {
    state.shared.breakdown_classes.push_back(ClassesOf(breakdown.map));
    state.shared.total_classes.push_back(TotalOnly(breakdown.map));
  }
  state.groups = GroupMeasures(query, measures);
  state.uniform_areas = query.breakdowns.empty() ? UniformAreas(query) : nullptr;
  while (buffers.size() < state.groups.size())
    buffers.push_back(std::make_unique<MonthGroupBuffers>());
  for (size_t index = 0; index < state.groups.size(); ++index) {
    const MeasureGroup& group = state.groups[index];
    std::vector<uint32_t> row_periods;  // the periods answered from the rows
    for (size_t period_index = 0; period_index < query.periods.size(); ++period_index) {
      const Period& period = query.periods[period_index].period;
      if (state.uniform_areas != nullptr && group.persons_only && group.rule == MonthRule::kDays &&
          period.first_month() == period.last_month()) {
        state.from_code_sets.push_back({index, static_cast<uint32_t>(period_index)});
        continue;
      }
      row_periods.push_back(static_cast<uint32_t>(period_index));
    }
    if (row_periods.empty()) continue;
    state.passes.push_back(std::make_unique<MonthGroup>(state.shared, group, std::move(row_periods),
                                                        by_leaf, by_span, *buffers[index]));
  }
  std::vector<bool> visited(state.passes.size(), false);
  for (size_t first = 0; first < state.passes.size(); ++first) {
    if (visited[first]) continue;
    std::vector<MonthGroup*>& together = state.visits.emplace_back();
    for (size_t other = first; other < state.passes.size(); ++other) {
      if (visited[other] ||
          state.passes[other]->group().mask != state.passes[first]->group().mask ||
          state.passes[other]->row_periods() != state.passes[first]->row_periods())
        continue;
      visited[other] = true;
      together.push_back(state.passes[other].get());
    }
  }
}

MonthPass::~MonthPass() = default;

void MonthPass::Evaluate(const Shard& shard) {
  State& state = *state_;
  const ResolvedQuery& query = state.shared.query;
  state.shared.shard = &shard;
  state.shared.rows = state.on_runs ? &shard.runs : &shard.benefits;
  state.shared.generation = static_cast<uint64_t>(next_generation++) << 32;

  // Each person's set of codes that month meets the group or not: no row to visit.
  const auto strides = std::span<const size_t>(query.stride).subspan(2);
  for (const FromCodeSets& answer : state.from_code_sets) {
    const MeasureGroup& group = state.groups[answer.group];
    const Period& period = query.periods[answer.period_index].period;
    uint64_t persons_in_group = 0;
    for (const MonthCodeSets::Entry& entry : shard.benefit_code_sets.Of(period.first_month()))
      persons_in_group += (entry.codes & group.mask) != 0 ? entry.persons : 0;
    for (const size_t measure : group.measures) {
      const size_t base = measure * query.stride[0] + answer.period_index * query.stride[1];
      for (const uint16_t area : *state.uniform_areas)
        state.shared.accumulators.numerator[base + area * strides[0]] +=
            static_cast<double>(persons_in_group);
    }
  }

  // Only the municipalities some area covers are visited.
  const RecordMonthIndex& month_index = state.on_runs ? shard.run_months : shard.benefit_months;
  std::vector<size_t> covered_slots;
  for (size_t slot = 0; slot < month_index.slots(); ++slot) {
    if (!query.areas.Of(month_index.municipalities[slot]).empty()) covered_slots.push_back(slot);
  }
  for (const std::vector<MonthGroup*>& together : state.visits) {
    std::vector<RowChoice> choices;
    for (MonthGroup* group : together) {
      group->StartShard();
      choices.push_back(group->Rows());
    }
    const RowChoice rows = Union(choices);
    const MonthGroup& first = *together.front();
    GatherRows(month_index, first.group().mask, first.months(), covered_slots, rows.beginning_only,
               state.shared.rows->to, rows.only, rows.or_only, State::rows);
    VisitRows(state.shared, together, State::rows);
    for (MonthGroup* group : together) group->EndShard();
  }
}

void MonthPass::Finish() {
  for (const std::unique_ptr<MonthGroup>& group : state_->passes) group->Finish();
}

}  // namespace jobindsigt::engine
