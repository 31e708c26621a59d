// Expenditure from the payments of the months asked for (evaluator.h, EvaluatePayments):
// instead of walking every candidate person's payments since the first delivery, it visits
// the rows of the months some whole-month period holds (Shard::payment_months) and evaluates
// each with PersonPass's own code, so the numbers are the same. Sums are whole øre, exact in
// any order. docs/decisions/0005-engine-residents-and-payments.md.
#include <algorithm>
#include <span>
#include <vector>

#include "common/prefetch.h"
#include "engine/evaluator.h"
#include "engine/person_pass.h"

namespace jobindsigt::engine {
namespace {

// The person whose range holds `row`, searching forward from `person` (rows come ascending, so
// the answer never goes back): doubling steps, then a binary search.
size_t PersonOfRow(const PersonRanges& ranges, size_t person, uint32_t row) {
  const size_t persons = ranges.begin.size() - 1;
  if (ranges.Last(person) > row) return person;
  size_t low = person;  // ranges.begin[low] <= row
  size_t step = 1;
  while (low + step < persons && ranges.begin[low + step] <= row) {
    low += step;
    step *= 2;
  }
  const auto end = ranges.begin.begin() + static_cast<ptrdiff_t>(std::min(low + step, persons) + 1);
  const auto found = std::upper_bound(ranges.begin.begin() + static_cast<ptrdiff_t>(low), end, row);
  return static_cast<size_t>(found - ranges.begin.begin()) - 1;
}

constexpr size_t kPrefetchRows = 16;

}  // namespace

void EvaluatePayments(const ResolvedQuery& query, const EvaluationPlan& plan, const Shard& shard,
                      Accumulators& accumulators) {
  std::vector<size_t> measures;
  for (size_t index = 0; index < query.measures.size(); ++index) {
    const Statistic statistic = query.measures[index].statistic;
    if (statistic == Statistic::kExpenditureGross || statistic == Statistic::kExpenditureNet)
      measures.push_back(index);
  }
  if (measures.empty()) return;
  // The months some period of whole months holds, each once: a payment counts in every such
  // period holding its month (PersonPass::Payment finds them).
  std::vector<MonthIndex> months;
  for (const ResolvedPeriod& resolved : query.periods) {
    if (!resolved.period.WholeMonths()) continue;
    for (MonthIndex month = resolved.period.first_month(); month <= resolved.period.last_month();
         ++month)
      months.push_back(month);
  }
  std::sort(months.begin(), months.end());
  months.erase(std::unique(months.begin(), months.end()), months.end());

  const PersonRanges& ranges = shard.payments.ranges;
  if (ranges.begin.size() < 2) return;
  const PaymentColumns& payments = shard.payments;
  const PersonColumns& persons = shard.persons;
  PersonPass pass(query, plan, shard, accumulators);
  thread_local std::vector<uint32_t> person_of;
  for (const MonthIndex month : months) {
    const std::span<const uint32_t> rows = shard.payment_months.Rows(month);
    // The rows' persons first (one forward walk), so that their columns can be fetched ahead.
    person_of.resize(rows.size());
    size_t person = 0;
    for (size_t at = 0; at < rows.size(); ++at) {
      person = PersonOfRow(ranges, person, rows[at]);
      person_of[at] = static_cast<uint32_t>(person);
    }
    for (size_t at = 0; at < rows.size(); ++at) {
      // A month's rows lie far apart in the person-sorted columns: fetch ahead so that the
      // cache misses of several rows overlap.
      if (at + kPrefetchRows < rows.size()) {
        const uint32_t ahead = rows[at + kPrefetchRows];
        Prefetch(&payments.month[ahead]);
        Prefetch(&payments.benefit[ahead]);
        Prefetch(&payments.municipality[ahead]);
        Prefetch(payments.gross_ore.data() + ahead);
        Prefetch(payments.refund_ore.data() + ahead);
        Prefetch(&persons.birth_packed[person_of[at + kPrefetchRows]]);
        Prefetch(&persons.sex[person_of[at + kPrefetchRows]]);
      }
      for (const size_t measure : measures) pass.PaymentRow(person_of[at], measure, rows[at]);
    }
  }
}

}  // namespace jobindsigt::engine
