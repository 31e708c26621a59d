#pragma once
// Month-major evaluation of the commonest Databank tables: persons and full-time persons by
// month, quarter, year, rolling year or year to date; persons on a period's first or last
// day; spells started and ended, with their persons, durations, status after and survival
// (docs/decisions/0012-…, 0013-…); activation.
// Instead of walking every candidate person's whole history (PersonPass), it visits only the
// benefit rows of the measure's codes in the areas' municipalities that overlap the periods'
// months (Shard::benefit_months), so its cost follows the size of the answer, not the persons'
// histories. The rows are gathered once for all the periods, in row order (so person order,
// and the columns read front to back), and each row is counted in every period it overlaps;
// measure groups of the same codes and periods share one gathering and visit (MonthGroup,
// month_group.h, docs/decisions/0015-…). Measures that need no day within a row visit the
// rows merged into runs instead (Shard::runs, RunPassMeasures, decision 0019).
// Same definitions, same numbers: a row's contribution to a period is evaluated on the last
// day of the overlap (or the day the statistic names) exactly as PersonPass does, and a person
// counts once per cell because each person's rows are adjacent. Internal to the evaluator;
// docs/decisions/0004-engine-month-pass.md.

#include <cstdint>
#include <memory>
#include <vector>

#include "engine/evaluator.h"

namespace jobindsigt::engine {

// Which measures of `query` can be evaluated month by month (per measure, 1 = yes): those
// counting persons, full-time persons, persons on the first or last day, spells started or
// ended, persons starting one, durations of ended spells, the status after them, survival and
// activation — and share_of_population when its denominator comes from the resident table
// (its numerator is a full-time count) — when every period is made of whole calendar months
// (not an ISO week) and every breakdown is a person or record attribute, duration, status
// after or survival week (offer types and providers stay with the person pass).
std::vector<uint8_t> MonthPassMeasures(const ResolvedQuery& query, bool residents_by_table);

// Which of `by_month`'s measures count the same over the shards' runs (Shard::runs, decision
// 0019), 1 = yes: those that need no day within a row — persons and fte (and
// share_of_population's numerator) over whole months, persons on a period's first or last
// day, activation — with no breakdown classed by day (age, duration, status after, survival
// week) applying to them, when every period lies in the months the runs hold.
std::vector<uint8_t> RunPassMeasures(const ResolvedQuery& query,
                                     const std::vector<uint8_t>& by_month);

// One worker's share of a query's month pass: the shards it takes, one after another, adding
// the contributions of the measures marked in `measures` to `accumulators`.
// With `by_leaf`, contributions are summed by leaf — their period and the class of categories
// of each dimension — and each leaf is turned into cells once (when there are not many more
// leaves than cells); without, each contribution goes to its cells at once. With `by_span`
// too, a table of single months takes each row's months as spans (MonthSpans) rather than
// one contribution per month. The sums by leaf add up over all the worker's shards (a person
// is in one shard) and are turned into cells once, by Finish: per shard, that conversion cost
// a tenth of a table of months at `full` (23 shards).
// Built and used on the worker's thread: it reuses that thread's buffers.
class MonthPass {
 public:
  // `on_runs`: visits the shards' runs (Shard::runs, run_months) instead of their rows, for
  // measures RunPassMeasures admits.
  MonthPass(const ResolvedQuery& query, const std::vector<uint8_t>& measures, bool by_leaf,
            bool by_span, bool on_runs, Accumulators& accumulators);
  ~MonthPass();
  MonthPass(const MonthPass&) = delete;
  MonthPass& operator=(const MonthPass&) = delete;

  // Visits `shard`'s rows for the measures.
  void Evaluate(const Shard& shard);
  // Once every shard the worker takes is evaluated.
  void Finish();

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace jobindsigt::engine
