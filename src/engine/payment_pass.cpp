// Expenditure from the payments of the months asked for (evaluator.h, EvaluatePayments): the
// payments are held month by month (PaymentColumns), so a query visits the rows of the months
// some whole-month period holds, in memory order, and evaluates each with PersonPass's rules.
// Sums are whole øre, exact in any order. docs/decisions/0005-engine-residents-and-payments.md,
// docs/decisions/0006-engine-payments-by-month.md.
#include <algorithm>
#include <vector>

#include "common/prefetch.h"
#include "engine/evaluator.h"
#include "engine/person_pass.h"

namespace jobindsigt::engine {
namespace {

// The persons' columns are visited in person order within a month but skip most persons:
// fetch them a few rows ahead so that the misses overlap.
constexpr size_t kPrefetchRows = 16;

}  // namespace

void EvaluatePayments(const ResolvedQuery& query, const EvaluationPlan& plan, const Shard& shard,
                      Accumulators& accumulators) {
  std::vector<size_t> measures;
  for (size_t index = 0; index < query.measures.size(); ++index) {
    const Statistic statistic = query.measures[index].statistic;
    if (IsExpenditure(statistic) && plan.by_sums[index] == 0) measures.push_back(index);
  }
  if (measures.empty()) return;
  // The months some period of whole months holds, each once: a payment counts in every such
  // period holding its month (PersonPass::PaymentRow finds them).
  std::vector<MonthIndex> months;
  for (const ResolvedPeriod& resolved : query.periods) {
    if (!resolved.period.WholeMonths()) continue;
    for (MonthIndex month = resolved.period.first_month(); month <= resolved.period.last_month();
         ++month)
      months.push_back(month);
  }
  std::sort(months.begin(), months.end());
  months.erase(std::unique(months.begin(), months.end()), months.end());

  const PaymentColumns& payments = shard.payments;
  const PersonColumns& persons = shard.persons;
  PersonPass pass(query, plan, shard, accumulators);
  for (const MonthIndex month : months) {
    const auto [first, last] = payments.RowsOf(month);
    for (uint32_t row = first; row < last; ++row) {
      if (row + kPrefetchRows < last) {
        const uint32_t ahead = payments.person[row + kPrefetchRows];
        Prefetch(&persons.birth_packed[ahead]);
        Prefetch(&persons.sex[ahead]);
      }
      for (const size_t measure : measures)
        pass.PaymentRow(payments.person[row], measure, month, row);
    }
  }
}

}  // namespace jobindsigt::engine
