// Randomised differential tests: the engine against the independent reference evaluator on
// generated data (issue 4, "Correctness"). Thousands of seeded random queries over every
// statistic, breakdown, band set, benefit group, area level and period type; integers must
// agree exactly, other values to 1e-9 (relative), statuses and left_out exactly. A failure
// prints the seed and the query as a JSON request. Set JOBINDSIGT_DIFF_SEED and
// JOBINDSIGT_DIFF_QUERIES to replay or to run more. Plus the identities of the issue: fte
// sums over any breakdown; persons in a total lie between the largest part and the sum.

#include <gtest/gtest.h>

#include <chrono>
#include <cmath>
#include <cstdlib>
#include <iostream>
#include <sstream>

#include "engine_data_set.h"
#include "golden_cases.h"

namespace jobindsigt::test {
namespace {

using engine::CellStatus;
using engine::Statistic;

uint64_t EnvNumber(const char* name, uint64_t fallback) {
  const char* text = std::getenv(name);
  return text == nullptr ? fallback : std::strtoull(text, nullptr, 10);
}

bool IsCount(Statistic statistic) {
  switch (statistic) {
    case Statistic::kFte:
    case Statistic::kActivatedFte:
    case Statistic::kActivationRate:
    case Statistic::kDurationEnded:
    case Statistic::kSurvival:
    case Statistic::kTimeliness:
    case Statistic::kExpenditureGross:
    case Statistic::kExpenditureNet:
    case Statistic::kShareOfPopulation:
      return false;
    default:
      return true;
  }
}

bool SameValue(double engine_value, double reference_value, bool exact) {
  if (std::isnan(engine_value) || std::isnan(reference_value)) {
    return std::isnan(engine_value) && std::isnan(reference_value);
  }
  if (exact) return engine_value == reference_value;
  return std::fabs(engine_value - reference_value) <=
         1e-9 * std::max({1.0, std::fabs(engine_value), std::fabs(reference_value)});
}

std::string Ids(const std::vector<std::string>& ids) {
  std::string text;
  for (const auto& id : ids) text += (text.empty() ? "" : ",") + id;
  return text;
}

// The differences between the engine's answer and the reference's, at most `limit` of them.
std::vector<std::string> Compare(const engine::Query& query, const engine::Cube& cube,
                                 const RefCube& expected, size_t limit = 8) {
  std::vector<std::string> problems;
  std::vector<std::vector<std::string>> categories;
  for (const auto& dimension : cube.dimensions) {
    categories.emplace_back();
    for (const auto& category : dimension.categories) categories.back().push_back(category.id);
  }
  if (cube.dimensions.size() != expected.dimensions.size()) {
    return {"layout: " + std::to_string(cube.dimensions.size()) + " dimensions, expected " +
            std::to_string(expected.dimensions.size())};
  }
  for (size_t d = 0; d < expected.dimensions.size(); ++d) {
    if (cube.dimensions[d].id != expected.dimensions[d].id) {
      problems.push_back("layout: dimension " + std::to_string(d) + " is " + cube.dimensions[d].id +
                         ", expected " + expected.dimensions[d].id);
    }
    if (categories[d] != expected.dimensions[d].categories) {
      problems.push_back("layout: " + expected.dimensions[d].id + " categories [" +
                         Ids(categories[d]) + "], expected [" +
                         Ids(expected.dimensions[d].categories) + "]");
    }
  }
  if (!problems.empty()) return problems;
  const size_t cells = expected.cells.size();
  if (cube.values.size() != cells || cube.statuses.size() != cells ||
      cube.left_out.size() != cells) {
    return {"layout: " + std::to_string(cube.values.size()) + " values, " +
            std::to_string(cube.statuses.size()) + " statuses, " +
            std::to_string(cube.left_out.size()) + " left_out, expected " + std::to_string(cells)};
  }
  size_t block = cells / std::max<size_t>(1, query.measures.size());
  for (size_t cell = 0; cell < cells && problems.size() < limit; ++cell) {
    const Statistic statistic = query.measures[cell / block].statistic;
    const RefCell& want = expected.cells[cell];
    const bool same = cube.statuses[cell] == want.status &&
                      SameValue(cube.values[cell], want.value, IsCount(statistic)) &&
                      cube.left_out[cell] == want.left_out;
    if (same) continue;
    std::ostringstream text;
    text.precision(17);
    text << "cell [";
    size_t rest = cell;
    std::vector<std::string> at(categories.size());
    for (size_t d = categories.size(); d-- > 0;) {
      at[d] = categories[d][rest % categories[d].size()];
      rest /= categories[d].size();
    }
    text << Ids(at) << "]: engine " << cube.values[cell] << " " << StatusText(cube.statuses[cell])
         << " left_out " << cube.left_out[cell] << "; reference " << want.value << " "
         << StatusText(want.status) << " left_out " << want.left_out;
    problems.push_back(text.str());
  }
  return problems;
}

// What the random queries covered, printed so that a run shows it was not all zeros.
struct Coverage {
  std::map<std::string, int> queries_by;  // "statistic:persons", "breakdown:age", …
  int64_t cells = 0;
  int64_t nonzero_cells = 0;
  int outside_bands_differ = 0;
  double engine_seconds = 0;
  double reference_seconds = 0;

  void Add(const engine::Query& query, const RefCube& cube) {
    for (const auto& measure : query.measures) ++queries_by["statistic:" + measure.id];
    for (const auto& breakdown : query.breakdowns) {
      ++queries_by["breakdown:" + RefBreakdownId(breakdown.by)];
    }
    ++queries_by["area:" + RefAreaLevelId(query.areas.level)];
    for (const auto& period : query.periods) {
      ++queries_by["period:" + std::to_string(static_cast<int>(ParsePeriod(period)->type))];
    }
    for (const auto& cell : cube.cells) {
      ++cells;
      if (!std::isnan(cell.value) && cell.value != 0) ++nonzero_cells;
    }
  }
  void Print(const std::string& what) const {
    std::cout << what << ": " << cells << " cells compared, " << nonzero_cells
              << " with a value other than 0; outside_bands differ on " << outside_bands_differ
              << " queries; engine " << engine_seconds << " s, reference " << reference_seconds
              << " s\n  ";
    for (const auto& [key, count] : queries_by) std::cout << key << "=" << count << " ";
    std::cout << "\n";
  }
};

// Runs `count` random queries from `seed` (only `statistics` when given) and reports every
// query on which the engine and the reference differ.
void RunDifferential(DataSet& data, uint64_t seed, int count,
                     const std::vector<Statistic>& statistics = {},
                     const QuerySpace* space = nullptr) {
  std::mt19937_64 random(seed);
  Coverage coverage;
  int failures = 0;
  for (int i = 0; i < count; ++i) {
    const engine::Query query = RandomQueryOf(random, space ? *space : data.space, statistics);
    auto clock = std::chrono::steady_clock::now();
    const RefCube expected = data.reference->Evaluate(query);
    auto now = std::chrono::steady_clock::now();
    coverage.reference_seconds += std::chrono::duration<double>(now - clock).count();
    clock = now;
    std::vector<std::string> problems;
    try {
      const engine::Cube cube = data.engine->Run(query);
      problems = Compare(query, cube, expected);
      // Not asserted: docs/measures.md does not say what one "contribution outside the
      // bands" is for statistics other than persons and fte (see the report of issue 4).
      if (cube.outside_bands != expected.outside_bands) ++coverage.outside_bands_differ;
    } catch (const std::exception& error) {
      problems = {std::string("the engine refused the query: ") + error.what()};
    }
    coverage.engine_seconds +=
        std::chrono::duration<double>(std::chrono::steady_clock::now() - clock).count();
    coverage.Add(query, expected);
    if (problems.empty()) continue;
    if (++failures <= 20) {
      std::string text;
      for (const auto& problem : problems) text += "\n    " + problem;
      ADD_FAILURE() << "seed " << seed << ", query " << i << ":\n  " << QueryText(query) << text;
    }
  }
  coverage.Print("seed " + std::to_string(seed) + ", " + std::to_string(count) + " queries");
  EXPECT_EQ(failures, 0) << "queries on which engine and reference differ (seed " << seed << ")";
}

TEST(DifferentialTest, TinyRandomQueries) {
  const uint64_t seed = EnvNumber("JOBINDSIGT_DIFF_SEED", 20240601);
  RunDifferential(Tiny(), seed, static_cast<int>(EnvNumber("JOBINDSIGT_DIFF_QUERIES", 1500)));
}

// Every statistic on its own, so that none is left to chance.
TEST(DifferentialTest, TinyEveryStatistic) {
  const uint64_t seed = EnvNumber("JOBINDSIGT_DIFF_SEED", 7);
  for (int s = 0; s < engine::kStatisticCount; ++s) {
    const auto statistic = static_cast<Statistic>(s);
    SCOPED_TRACE(RefStatisticId(statistic));
    RunDifferential(Tiny(), seed + s, 25, {statistic});
  }
}

// `space` with periods of whole months only (what the month pass and the sums answer).
QuerySpace WholeMonthsOnly(QuerySpace space) {
  space.whole_months_only = true;
  return space;
}

// Persons and full-time persons over whole months (months, quarters, years, rolling years,
// years to date) are answered by the engine's month pass (src/engine/month_pass.h), not
// person by person: the same comparison with the reference, and the month pass against the
// person pass of the same engine, bit for bit.
// Runs `count` random queries of `statistics` from `seed` on `data`'s engine and on one with
// `settings` (the passes under test switched off), and requires the same answer bit for bit:
// values, statuses, left_out, and outside_bands when `with_outside_bands` (the month pass counts
// only the contributions in the query's areas, docs/query.md). Returns the number of cells
// with a value.
// With `fast_settings`, the first engine is opened with those rather than the defaults.
int CompareWithSettings(DataSet& data, uint64_t seed, int count, const QuerySpace& space,
                        const std::vector<Statistic>& statistics,
                        const engine::EngineSettings& settings, bool with_outside_bands,
                        const engine::EngineSettings* fast_settings = nullptr) {
  const auto other =
      engine::Engine::Open(data.folder / "store", JOBINDSIGT_TEST_CATALOG_DIR, settings);
  const auto fast_engine = fast_settings == nullptr
                               ? nullptr
                               : engine::Engine::Open(data.folder / "store",
                                                      JOBINDSIGT_TEST_CATALOG_DIR, *fast_settings);
  const engine::Engine& first = fast_engine ? *fast_engine : *data.engine;
  std::mt19937_64 random(seed);
  int compared = 0;
  for (int i = 0; i < count; ++i) {
    const engine::Query query = RandomQueryOf(random, space, statistics);
    const engine::Cube fast = first.Run(query);
    const engine::Cube by_person = other->Run(query);
    EXPECT_EQ(fast.values.size(), by_person.values.size()) << QueryText(query);
    if (fast.values.size() != by_person.values.size()) return compared;
    for (size_t cell = 0; cell < fast.values.size(); ++cell) {
      const bool same = fast.values[cell] == by_person.values[cell] ||
                        (std::isnan(fast.values[cell]) && std::isnan(by_person.values[cell]));
      EXPECT_TRUE(same) << "cell " << cell << ": fast passes " << fast.values[cell]
                        << ", person pass " << by_person.values[cell] << "\n"
                        << QueryText(query);
      EXPECT_EQ(fast.statuses[cell], by_person.statuses[cell]) << QueryText(query);
      EXPECT_EQ(fast.left_out[cell], by_person.left_out[cell]) << QueryText(query);
      if (!same) return compared;
      if (!std::isnan(fast.values[cell]) && fast.values[cell] != 0) ++compared;
    }
    if (with_outside_bands) {
      EXPECT_EQ(fast.outside_bands, by_person.outside_bands) << QueryText(query);
    }
  }
  return compared;
}

TEST(DifferentialTest, TinyMonthPass) {
  DataSet& data = Tiny();
  const QuerySpace months = WholeMonthsOnly(data.space);
  const uint64_t seed = EnvNumber("JOBINDSIGT_DIFF_SEED", 31);
  const std::vector<Statistic> statistics{Statistic::kPersons, Statistic::kFte};
  RunDifferential(data, seed, 400, statistics, &months);

  engine::EngineSettings person_pass;
  person_pass.month_pass = false;
  const int compared =
      CompareWithSettings(data, seed + 1, 400, months, statistics, person_pass, false);
  EXPECT_GT(compared, 1000) << "too few cells with a value to compare the two passes";

  // Summed by leaf (the default) and each contribution to its cells at once: bit for bit,
  // the contributions left outside the bands too.
  engine::EngineSettings cell_by_cell;
  cell_by_cell.month_leaves = false;
  EXPECT_GT(CompareWithSettings(data, seed + 2, 400, months, statistics, cell_by_cell, true), 1000)
      << "too few cells with a value to compare the month pass by leaf and cell by cell";
}

// Random queries of `statistics` over whole months from `seed`: against the reference, bit
// for bit against the person pass, and summed by leaf against cell by cell.
void CheckMonthPass(DataSet& data, uint64_t seed, const std::vector<Statistic>& statistics) {
  const QuerySpace months = WholeMonthsOnly(data.space);
  RunDifferential(data, seed, 400, statistics, &months);
  engine::EngineSettings person_pass;
  person_pass.month_pass = false;
  EXPECT_GT(CompareWithSettings(data, seed + 1, 400, months, statistics, person_pass, false), 1000)
      << "too few cells with a value to compare the two passes";
  engine::EngineSettings cell_by_cell;
  cell_by_cell.month_leaves = false;
  EXPECT_GT(CompareWithSettings(data, seed + 2, 400, months, statistics, cell_by_cell, true), 1000)
      << "too few cells with a value to compare the month pass by leaf and cell by cell";
}

// Tables of single months count each row's months as spans, not one contribution per month
// (month_spans.h, decision 0014): persons, on the first or last day too, and full-time
// persons by any breakdown (age and duration in runs of months of one value, a person with
// several leaves in a month once per cell): against the reference, and bit for bit against
// one contribution per month (the sums by month off in both, so fte comes from the rows), the
// contributions outside the bands too.
TEST(DifferentialTest, TinyMonthSpans) {
  DataSet& data = Tiny();
  QuerySpace months = data.space;
  months.single_months_only = true;
  const uint64_t seed = EnvNumber("JOBINDSIGT_DIFF_SEED", 107);
  const std::vector<Statistic> statistics{Statistic::kPersons, Statistic::kFte,
                                          Statistic::kPersonsStart, Statistic::kPersonsEnd};
  RunDifferential(data, seed, 400, statistics, &months);
  engine::EngineSettings spans;
  spans.sums = false;
  engine::EngineSettings per_month = spans;
  per_month.month_spans = false;
  EXPECT_GT(CompareWithSettings(data, seed + 1, 600, months, statistics, per_month, true, &spans),
            1000)
      << "too few cells with a value to compare spans with a contribution per month";
}

// Persons and fte over whole months, persons on a period's first or last day and activation,
// with no breakdown classed by day, are counted over the benefit rows merged into runs for the
// latest 36 months (Shard::runs, decision 0019): against the reference, and bit for bit
// against the same month pass over the rows (the sums off in both, so that persons and fte
// come from the pass).
TEST(DifferentialTest, TinyRuns) {
  DataSet& data = Tiny();
  const QuerySpace months = WholeMonthsOnly(data.space);
  const uint64_t seed = EnvNumber("JOBINDSIGT_DIFF_SEED", 113);
  const std::vector<Statistic> statistics{Statistic::kPersons,          Statistic::kFte,
                                          Statistic::kPersonsStart,     Statistic::kPersonsEnd,
                                          Statistic::kActivatedPersons, Statistic::kActivatedFte,
                                          Statistic::kActivationRate};
  RunDifferential(data, seed, 400, statistics, &months);
  engine::EngineSettings runs;
  runs.sums = false;
  engine::EngineSettings rows = runs;
  rows.runs = false;
  EXPECT_GT(CompareWithSettings(data, seed + 1, 600, months, statistics, rows, true, &runs), 1000)
      << "too few cells with a value to compare the runs with the rows";
}

// Persons on the first and last day of a period, spells started and ended, persons starting
// one and the durations of ended spells, over whole months, are answered by the month pass
// too (the spell statistics for a group of one benefit, from the rows' own-code spells and
// the bits marking each spell's first and end record): against the reference, bit for bit
// against the person pass, and summed by leaf against cell by cell.
TEST(DifferentialTest, TinyMonthPassEvents) {
  DataSet& data = Tiny();
  const uint64_t seed = EnvNumber("JOBINDSIGT_DIFF_SEED", 97);
  const std::vector<Statistic> statistics{Statistic::kPersonsStart,  Statistic::kPersonsEnd,
                                          Statistic::kSpellsStarted, Statistic::kPersonsStarted,
                                          Statistic::kSpellsEnded,   Statistic::kDurationEnded,
                                          Statistic::kPersons,       Statistic::kFte};
  CheckMonthPass(data, seed, statistics);
}

// The status after ended spells, and survival from spells started, over whole months, are
// counted by the month pass too (decision 0013): the same three comparisons, with the spells
// ended or started beside them.
TEST(DifferentialTest, TinyMonthPassStatusAndSurvival) {
  DataSet& data = Tiny();
  const uint64_t seed = EnvNumber("JOBINDSIGT_DIFF_SEED", 103);
  CheckMonthPass(data, seed, {Statistic::kStatusAfter, Statistic::kSpellsEnded});
  CheckMonthPass(data, seed + 3, {Statistic::kSurvival, Statistic::kSpellsStarted});
}

// Activation (activated persons and full-time persons, the activation rate) over whole
// months is counted by the month pass too, each contribution's days in an offer from the
// person's offers (decision 0013): against the reference, bit for bit against the person pass
// and, by leaf, against cell by cell. Offer-type and provider breakdowns stay with the person
// pass.
TEST(DifferentialTest, TinyMonthPassActivation) {
  DataSet& data = Tiny();
  const uint64_t seed = EnvNumber("JOBINDSIGT_DIFF_SEED", 101);
  const std::vector<Statistic> statistics{Statistic::kActivatedPersons, Statistic::kActivatedFte,
                                          Statistic::kActivationRate, Statistic::kPersons,
                                          Statistic::kFte};
  CheckMonthPass(data, seed, statistics);
}

// Population figures from the resident table, expenditure from the payments of the months
// asked for, and share_of_population's numerator in the month pass (decision 0005), mixed
// with persons and fte: against the reference, and bit for bit against the person pass for
// all but expenditure, which is always counted from the payments month by month (decision
// 0006; the reference checks it). Whole months mostly (the table answers periods ending on a
// month's last day), ISO weeks too (they fall back to the person pass, or end on a month's
// last day).
TEST(DifferentialTest, TinyResidentsAndPayments) {
  DataSet& data = Tiny();
  const QuerySpace months = WholeMonthsOnly(data.space);
  const uint64_t seed = EnvNumber("JOBINDSIGT_DIFF_SEED", 53);
  const std::vector<Statistic> statistics{Statistic::kPopulation,
                                          Statistic::kShareOfPopulation,
                                          Statistic::kExpenditureGross,
                                          Statistic::kExpenditureNet,
                                          Statistic::kFte,
                                          Statistic::kPersons};
  RunDifferential(data, seed, 300, statistics, &months);
  RunDifferential(data, seed + 1, 100, statistics);

  engine::EngineSettings person_pass;
  person_pass.month_pass = false;
  person_pass.resident_table = false;
  int compared = CompareWithSettings(data, seed + 2, 300, months, statistics, person_pass, false);
  compared += CompareWithSettings(data, seed + 3, 100, data.space, statistics, person_pass, false);
  EXPECT_GT(compared, 1000) << "too few cells with a value to compare the passes";
  // Each pass on its own against the person pass.
  for (int pass = 0; pass < 2; ++pass) {
    engine::EngineSettings one;
    one.month_pass = pass != 0;
    one.resident_table = pass != 1;
    // outside_bands depends on the plan (docs/query.md).
    CompareWithSettings(data, seed + 4 + pass, 100, months, statistics, one, false);
  }
  // Population alone: every resident is evaluated either way, so outside_bands too.
  engine::EngineSettings no_table;
  no_table.resident_table = false;
  CompareWithSettings(data, seed + 7, 200, months, {Statistic::kPopulation}, no_table, true);
}

// Checks queries on `data`'s engine against the reference and, bit for bit (values and
// statuses), against an engine opened with `settings` (a pass switched off, named `other`).
// Counts the cells with a value compared and the failing queries.
class AgainstReferenceAndOther {
 public:
  AgainstReferenceAndOther(DataSet& data, const engine::EngineSettings& settings, std::string other,
                           uint64_t seed)
      : data_(data),
        other_(engine::Engine::Open(data.folder / "store", JOBINDSIGT_TEST_CATALOG_DIR, settings)),
        other_name_(std::move(other)),
        seed_(seed) {}

  void Check(const engine::Query& query, int index) {
    const RefCube expected = data_.reference->Evaluate(query);
    const engine::Cube cube = data_.engine->Run(query);
    const auto problems = Compare(query, cube, expected);
    const engine::Cube by_other = other_->Run(query);
    bool same = cube.values.size() == by_other.values.size();
    for (size_t cell = 0; same && cell < cube.values.size(); ++cell) {
      same = (cube.values[cell] == by_other.values[cell] ||
              (std::isnan(cube.values[cell]) && std::isnan(by_other.values[cell]))) &&
             cube.statuses[cell] == by_other.statuses[cell];
      if (!std::isnan(cube.values[cell]) && cube.values[cell] != 0) ++compared_;
    }
    if (problems.empty() && same) return;
    ++failures_;
    ADD_FAILURE() << "seed " << seed_ << ", query " << index << ": " << QueryText(query)
                  << (same ? "" : "\n    differs from " + other_name_)
                  << (problems.empty() ? "" : "\n    " + problems.front());
  }
  int compared() const { return compared_; }
  int failures() const { return failures_; }

 private:
  DataSet& data_;
  std::unique_ptr<engine::Engine> other_;
  std::string other_name_;
  uint64_t seed_;
  int compared_ = 0;
  int failures_ = 0;
};

// Persons without breakdowns over the whole country (the long series): the month pass
// counts them from each month's sets of codes per person (decision 0005). Random groups,
// periods and one or two measures, against the reference and bit for bit against the person
// pass.
TEST(DifferentialTest, TinyCodeSets) {
  DataSet& data = Tiny();
  const QuerySpace months = WholeMonthsOnly(data.space);
  const uint64_t seed = EnvNumber("JOBINDSIGT_DIFF_SEED", 71);
  engine::EngineSettings person_pass;
  person_pass.month_pass = false;
  AgainstReferenceAndOther check(data, person_pass, "the person pass", seed);
  std::mt19937_64 random(seed);
  for (int i = 0; i < 300 && check.failures() < 5; ++i) {
    engine::Query query = RandomQueryOf(random, months, {Statistic::kPersons});
    query.breakdowns.clear();
    query.areas = {};
    // Single months mostly (the sets are per month), and the random periods besides.
    const MonthIndex last_month = MonthOfDay(months.cut_off);
    std::uniform_int_distribution<MonthIndex> month_of(months.first_month, last_month);
    if (i % 4 != 0) query.periods.clear();
    for (int count = 1 + i % 3; count > 0; --count) {
      const MonthIndex month = month_of(random);
      char id[16];
      std::snprintf(id, sizeof id, "%04dM%02d", YearOfMonth(month), MonthOfYear(month));
      if (std::find(query.periods.begin(), query.periods.end(), id) == query.periods.end())
        query.periods.emplace_back(id);
    }
    check.Check(query, i);
  }
  EXPECT_GT(check.compared(), 300) << "too few cells with a value to compare the passes";
}

// Runs 400 random queries of `statistics` from `seed` (whole months four times in five),
// each without breakdowns but one of `kind` every `every`-th query (its total too every
// second time that), against the reference and bit for bit against the engine with the sums
// off (`label` says what that engine does instead).
void CheckSumsAgainstOther(DataSet& data, uint64_t seed, const std::vector<Statistic>& statistics,
                           engine::BreakdownKind kind, int every, const char* label) {
  const QuerySpace months = WholeMonthsOnly(data.space);
  engine::EngineSettings without_sums;
  without_sums.sums = false;
  AgainstReferenceAndOther check(data, without_sums, label, seed);
  std::mt19937_64 random(seed);
  for (int i = 0; i < 400 && check.failures() < 5; ++i) {
    engine::Query query = RandomQueryOf(random, i % 5 == 0 ? data.space : months, statistics);
    query.breakdowns.clear();
    if (i % every == 0) {
      engine::BreakdownRequest breakdown;
      breakdown.by = kind;
      breakdown.total = (i / every) % 2 == 0;
      query.breakdowns.push_back(breakdown);
    }
    check.Check(query, i);
  }
  EXPECT_GT(check.compared(), 1000) << "too few cells with a value to compare the passes";
}

// Full-time persons and expenditure by area and benefit (no other breakdown, or ones that do
// not apply) come from the release's sums by month, code and municipality (decision 0008).
// Random groups, areas, periods (whole months mostly) and a benefit breakdown half the time:
// against the reference, and bit for bit against the engine counting them row by row.
TEST(DifferentialTest, TinySums) {
  CheckSumsAgainstOther(Tiny(), EnvNumber("JOBINDSIGT_DIFF_SEED", 89),
                        {Statistic::kFte, Statistic::kExpenditureGross, Statistic::kExpenditureNet,
                         Statistic::kShareOfPopulation, Statistic::kPersons},
                        engine::BreakdownKind::kBenefit, 2, "the engine counting row by row");
}

// Meetings due, timely, no-shows and timeliness by area over whole months come from the
// meeting sums (by due month, municipality and the codes covering the due day; decision
// 0014): against the reference, and bit for bit against the person pass (the sums off), with
// ISO weeks and a sex breakdown at times (those go to the person pass).
TEST(DifferentialTest, TinyMeetingSums) {
  CheckSumsAgainstOther(Tiny(), EnvNumber("JOBINDSIGT_DIFF_SEED", 109),
                        {Statistic::kMeetingsDue, Statistic::kMeetingsTimely,
                         Statistic::kTimeliness, Statistic::kNoShows, Statistic::kMeetingsHeld},
                        engine::BreakdownKind::kSex, 7, "the engine counting person by person");
}

// Full-time persons by age over single months come from the sums by age of the latest 36
// months (decision 0013), and persons by age (with no other breakdown that applies) from the
// persons summed by the same months (decision 0018). Random groups, areas, age bands (with gaps and
// open ends), a benefit or sex breakdown besides at times, and one to three single months drawn
// from a few more months than the sums hold (older ones and longer periods go to the month pass):
// against the reference, and bit for bit against the engine counting row by row, contributions
// outside the bands included.
TEST(DifferentialTest, TinyAgeSums) {
  DataSet& data = Tiny();
  const QuerySpace months = WholeMonthsOnly(data.space);
  const uint64_t seed = EnvNumber("JOBINDSIGT_DIFF_SEED", 97);
  engine::EngineSettings by_rows;
  by_rows.sums = false;
  AgainstReferenceAndOther check(data, by_rows, "the engine counting row by row", seed);
  const auto by_rows_engine =
      engine::Engine::Open(data.folder / "store", JOBINDSIGT_TEST_CATALOG_DIR, by_rows);
  const std::vector<Statistic> statistics{Statistic::kFte, Statistic::kShareOfPopulation,
                                          Statistic::kPersons};
  std::mt19937_64 random(seed);
  auto uniform = [&](int low, int high) {
    return std::uniform_int_distribution(low, high)(random);
  };
  const MonthIndex last_month = MonthOfDay(months.cut_off);
  int outside_compared = 0;
  for (int i = 0; i < 400 && check.failures() < 5; ++i) {
    engine::Query query = RandomQueryOf(random, months, statistics);
    query.breakdowns.clear();
    engine::BreakdownRequest age;
    age.by = engine::BreakdownKind::kAge;
    age.total = uniform(0, 1) == 1;
    for (int low = uniform(0, 50), count = uniform(1, 4); count > 0; --count) {
      if (count == 1 && uniform(0, 1) == 1) {
        age.bands.push_back({std::to_string(low) + "-", low, std::nullopt});
        break;
      }
      const int high = low + uniform(0, 15);
      age.bands.push_back({std::to_string(low) + "-" + std::to_string(high), low, high});
      low = high + 1 + uniform(0, 3);
    }
    query.breakdowns.push_back(age);
    if (i % 3 != 0) {
      engine::BreakdownRequest other;
      other.by = i % 3 == 1 ? engine::BreakdownKind::kBenefit : engine::BreakdownKind::kSex;
      other.total = uniform(0, 1) == 1;
      query.breakdowns.insert(query.breakdowns.begin() + uniform(0, 1), other);
    }
    if (i % 8 != 0) query.periods.clear();  // else the random periods stay besides
    for (int count = uniform(1, 3); count > 0; --count) {
      const MonthIndex month = std::max(months.first_month, last_month - uniform(0, 40));
      char id[16];
      std::snprintf(id, sizeof id, "%04dM%02d", YearOfMonth(month), MonthOfYear(month));
      if (std::find(query.periods.begin(), query.periods.end(), id) == query.periods.end())
        query.periods.emplace_back(id);
    }
    check.Check(query, i);
    // The hint of contributions outside the bands, counted from the sums as row by row.
    const engine::Cube fast = data.engine->Run(query);
    const engine::Cube rows = by_rows_engine->Run(query);
    EXPECT_EQ(fast.outside_bands, rows.outside_bands) << QueryText(query);
    for (const int64_t outside : fast.outside_bands) outside_compared += outside > 0 ? 1 : 0;
  }
  EXPECT_GT(check.compared(), 1000) << "too few cells with a value to compare the passes";
  EXPECT_GT(outside_compared, 50) << "too few queries with contributions outside the bands";
}

// The same on `small` (six municipalities, five years): a separate CTest entry.
TEST(DifferentialSmallTest, SmallRandomQueries) {
  const uint64_t seed = EnvNumber("JOBINDSIGT_DIFF_SEED", 20240602);
  RunDifferential(Small(), seed, static_cast<int>(EnvNumber("JOBINDSIGT_DIFF_SMALL_QUERIES", 60)));
}

}  // namespace
}  // namespace jobindsigt::test
