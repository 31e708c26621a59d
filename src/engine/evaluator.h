#pragma once
// Evaluates a resolved query over a range of persons of one shard into per-cell counters,
// and turns merged counters into the answer. Each person's cells are evaluated once per
// measure and period; distinct-person counts are made by collecting the cells a person
// touches and counting each once, so they add up across persons, ranges and shards.

#include <cstdint>
#include <span>
#include <unordered_map>
#include <vector>

#include "engine/cube.h"
#include "engine/query_resolver.h"
#include "engine/release_data.h"

namespace jobindsigt::engine {

// Kaplan–Meier inputs of one cell: spells by whole weeks T, ended or censored. T past the
// last week asked for is kept in the last slot (those spells are at risk throughout).
struct SurvivalCounts {
  std::vector<int64_t> ended;
  std::vector<int64_t> censored;
};

struct Accumulators {
  std::vector<double> numerator;                        // counts, sums
  std::vector<double> denominator;                      // ratios only
  std::unordered_map<size_t, SurvivalCounts> survival;  // by cell with survival week 0
  std::unordered_map<size_t, int64_t> left_out;         // by cell with status_after 0
  std::vector<int64_t> outside_bands;                   // per breakdown

  explicit Accumulators(const ResolvedQuery& query);
  void Merge(Accumulators&& other);
};

// Which of the passes besides the person pass may be used (the tests switch them off to
// compare each with the person pass). Expenditure is always counted from the payments of the
// months asked for (EvaluatePayments): payments are held month by month, not by person.
struct PassChoices {
  bool month_pass = true;      // persons, fte (and share_of_population's numerator): month_pass.h
  bool resident_table = true;  // population figures: ResidentTable
  bool sums = true;            // fte, expenditure, persons by area …: MonthCodeSums
  bool month_leaves = true;    // the month pass sums by leaf (EngineSettings::month_leaves)
  bool month_spans = true;     // … and months as spans (EngineSettings::month_spans)
  bool runs = true;            // … over the runs where they count the same (Shard::runs)
};

// Which pass answers which part of a query. The person pass is general; each other pass
// answers the parts it can with the same definitions, so the numbers do not depend on the plan.
struct EvaluationPlan {
  std::vector<uint8_t> by_person;   // per measure: PersonPass evaluates it (what is left of it)
  std::vector<uint8_t> by_month;    // per measure: MonthPass over the rows (month_pass.h)
  std::vector<uint8_t> by_runs;     // per measure: MonthPass over the runs (Shard::runs)
  std::vector<uint8_t> by_sums;     // per measure: AddSums (before the others are asked)
  bool residents_by_table = false;  // population, share_of_population's denominator
  bool payments_by_month = false;   // expenditure_gross, expenditure_net: EvaluatePayments
  bool month_leaves = true;         // MonthPass sums by leaf when there are few enough
  bool month_spans = true;          // … and takes a row's single months as spans

  bool AnyByPerson() const;
  bool AnyByMonth() const;
  bool AnyByRuns() const;
  bool AnyBySums() const;
};

EvaluationPlan PlanEvaluation(const ResolvedQuery& query, const PassChoices& choices);

// The persons of `shard` who can count in the person pass's part of the query (sorted
// indexes): those with a row of a measure's group overlapping its periods' months, or
// everyone for population figures the resident table does not answer.
std::vector<uint32_t> CandidatePersons(const ResolvedQuery& query, const EvaluationPlan& plan,
                                       const Shard& shard);

void EvaluatePersons(const ResolvedQuery& query, const EvaluationPlan& plan, const Shard& shard,
                     std::span<const uint32_t> persons, Accumulators& accumulators);

// Population and share_of_population's denominator from the release's resident table, when
// every period ends on the last day of a month the table holds and each breakdown that
// applies to them is age or sex.
bool ResidentTableApplies(const ResolvedQuery& query);
void CountResidents(const ResolvedQuery& query, Accumulators& accumulators);

// Expenditure from the payments of the months asked for (PaymentColumns, month by month), each
// row evaluated with PersonPass's own rules.
void EvaluatePayments(const ResolvedQuery& query, const EvaluationPlan& plan, const Shard& shard,
                      Accumulators& accumulators);

// Full-time persons (and share_of_population's numerator) over whole months and expenditure,
// by area and benefit only (and by age over single months), and persons by area and age over
// single months (person_sums.h), from the release's MonthCodeSums: which measures (1 = yes),
// and their sums added to `accumulators` (once per query, not per shard).
std::vector<uint8_t> SumPassMeasures(const ResolvedQuery& query, bool residents_by_table);
void AddSums(const ResolvedQuery& query, const std::vector<uint8_t>& measures,
             Accumulators& accumulators);

Cube FinishCube(const ResolvedQuery& query, const Accumulators& accumulators);

}  // namespace jobindsigt::engine
