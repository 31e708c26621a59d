// Identities that hold whatever the data (issue 4): the total of an additive statistic (fte,
// spells, meetings, expenditure, population …) over a breakdown or over the areas is the sum
// of its parts; persons in a total are at least the largest part and at most the sum of the
// parts; and a total over bands or codes that cover every value equals the statistic
// without that breakdown. Checked on the engine's answers to random queries on `tiny`, and on
// the reference's, so that the reference is held to them too.

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "engine_data_set.h"

namespace jobindsigt::test {
namespace {

using engine::BreakdownKind;
using engine::CellStatus;
using engine::Statistic;

// The answer's dimensions and cells as plain vectors, for engine and reference alike.
struct Answer {
  std::vector<std::vector<std::string>> categories;
  std::vector<double> values;
  std::vector<CellStatus> statuses;
};

Answer FromEngine(const engine::Cube& cube) {
  Answer answer;
  for (const auto& dimension : cube.dimensions) {
    answer.categories.emplace_back();
    for (const auto& category : dimension.categories) {
      answer.categories.back().push_back(category.id);
    }
  }
  answer.values = cube.values;
  answer.statuses = cube.statuses;
  return answer;
}

Answer FromReference(const RefCube& cube) {
  Answer answer;
  for (const auto& dimension : cube.dimensions) answer.categories.push_back(dimension.categories);
  for (const auto& cell : cube.cells) {
    answer.values.push_back(cell.value);
    answer.statuses.push_back(cell.status);
  }
  return answer;
}

bool Additive(Statistic statistic) {
  switch (statistic) {
    case Statistic::kFte:
    case Statistic::kActivatedFte:
    case Statistic::kSpellsStarted:
    case Statistic::kSpellsEnded:
    case Statistic::kMeetingsDue:
    case Statistic::kMeetingsTimely:
    case Statistic::kMeetingsHeld:
    case Statistic::kNoShows:
    case Statistic::kExpenditureGross:
    case Statistic::kExpenditureNet:
    case Statistic::kPopulation:
    case Statistic::kStatusAfter:
      return true;
    default:
      return false;
  }
}

// Checks every total of `answer` against its parts; returns what does not hold.
std::vector<std::string> CheckTotals(const engine::Query& query, const Answer& answer) {
  std::vector<std::string> problems;
  const size_t dimensions = answer.categories.size();
  std::vector<size_t> stride(dimensions, 1);
  for (size_t d = dimensions - 1; d-- > 0;) {
    stride[d] = stride[d + 1] * answer.categories[d + 1].size();
  }
  for (size_t d = 2; d < dimensions; ++d) {
    const auto& ids = answer.categories[d];
    const auto total_at = std::find(ids.begin(), ids.end(), engine::kTotalId);
    if (total_at == ids.end()) continue;
    const size_t total = total_at - ids.begin();
    // Parts that may overlap (custom groups) make no identity.
    const bool overlapping =
        d == 2 ? !query.areas.groups.empty() : !query.breakdowns[d - 3].groups.empty();
    if (overlapping) continue;
    // Activated days over offer types or providers: an offer of two kinds counts once in
    // the total, so even activated_fte is only bounded by its parts there.
    const bool offers = d > 2 && (query.breakdowns[d - 3].by == BreakdownKind::kOfferType ||
                                  query.breakdowns[d - 3].by == BreakdownKind::kProvider);
    for (size_t cell = 0; cell < answer.values.size(); ++cell) {
      if ((cell / stride[d]) % ids.size() != total) continue;
      const Statistic statistic = query.measures[cell / stride[0]].statistic;
      const bool additive = Additive(statistic) && !offers;
      const bool persons =
          statistic == Statistic::kPersons || statistic == Statistic::kPersonsStart ||
          statistic == Statistic::kPersonsEnd || statistic == Statistic::kPersonsStarted ||
          statistic == Statistic::kActivatedPersons ||
          (statistic == Statistic::kActivatedFte && offers);
      if (!additive && !persons) continue;
      if (std::isnan(answer.values[cell])) continue;
      double sum = 0;
      double largest = 0;
      bool complete = true;
      for (size_t part = 0; part < ids.size(); ++part) {
        if (part == total) continue;
        const size_t index = cell - total * stride[d] + part * stride[d];
        if (answer.statuses[index] == CellStatus::kNotApplicable) complete = false;
        sum += answer.values[index];
        largest = std::max(largest, answer.values[index]);
      }
      if (!complete) continue;
      const double value = answer.values[cell];
      const double slack = 1e-9 * std::max(1.0, std::fabs(value));
      const bool holds = additive ? std::fabs(sum - value) <= slack
                                  : value + slack >= largest && value <= sum + slack;
      if (!holds) {
        problems.push_back(RefStatisticId(statistic) + " over " + std::to_string(d) + ": total " +
                           std::to_string(value) + ", parts sum " + std::to_string(sum) +
                           ", largest " + std::to_string(largest) + " (cell " +
                           std::to_string(cell) + ")");
      }
    }
  }
  return problems;
}

TEST(IdentityTest, TotalsAreSumsOfAdditivePartsAndPersonsLieBetween) {
  DataSet& data = Tiny();
  std::mt19937_64 random(4242);
  const std::vector<Statistic> statistics = {
      Statistic::kFte,         Statistic::kPersons,          Statistic::kActivatedFte,
      Statistic::kSpellsEnded, Statistic::kPersonsStarted,   Statistic::kMeetingsDue,
      Statistic::kPersonsEnd,  Statistic::kExpenditureGross, Statistic::kPopulation,
      Statistic::kStatusAfter, Statistic::kActivatedPersons, Statistic::kNoShows};
  int checked = 0;
  for (int i = 0; i < 300; ++i) {
    engine::Query query = RandomQueryOf(random, data.space, {statistics[i % statistics.size()]});
    query.areas.total = true;  // every query checks the areas too
    for (auto& breakdown : query.breakdowns) {
      breakdown.total = breakdown.by != BreakdownKind::kSurvivalWeek;  // weeks have no total
    }
    for (const auto& [who, answer] :
         {std::make_pair("engine", FromEngine(data.engine->Run(query))),
          std::make_pair("reference", FromReference(data.reference->Evaluate(query)))}) {
      for (const auto& problem : CheckTotals(query, answer)) {
        ADD_FAILURE() << who << ": " << problem << "\n  " << QueryText(query);
      }
    }
    ++checked;
  }
  EXPECT_EQ(checked, 300);
}

// With bands from 0 without an upper end and with every code listed, the total holds every
// value: it must equal the statistic asked for without the breakdown.
TEST(IdentityTest, TotalOverCoveringCategoriesIsTheStatisticWithoutTheBreakdown) {
  DataSet& data = Tiny();
  std::mt19937_64 random(2718);
  const std::vector<BreakdownKind> kinds = {BreakdownKind::kAge,       BreakdownKind::kDuration,
                                            BreakdownKind::kSex,       BreakdownKind::kOrigin,
                                            BreakdownKind::kEducation, BreakdownKind::kBenefit};
  const std::vector<Statistic> statistics = {Statistic::kFte, Statistic::kPersons,
                                             Statistic::kSpellsStarted, Statistic::kPersonsEnd};
  for (int i = 0; i < 120; ++i) {
    engine::Query without = RandomQueryOf(random, data.space, {statistics[i % statistics.size()]});
    without.breakdowns.clear();
    engine::Query with = without;
    engine::BreakdownRequest breakdown;
    breakdown.by = kinds[i % kinds.size()];
    breakdown.total = true;
    if (breakdown.by == BreakdownKind::kAge || breakdown.by == BreakdownKind::kDuration) {
      const int edge = static_cast<int>(random() % 60);
      breakdown.bands = {{"0-" + std::to_string(edge), 0, edge},
                         {std::to_string(edge + 1) + "-", edge + 1, std::nullopt}};
    }
    with.breakdowns.push_back(breakdown);
    const engine::Cube plain = data.engine->Run(without);
    const engine::Cube split = data.engine->Run(with);
    const size_t categories = split.dimensions.back().categories.size();
    ASSERT_EQ(split.values.size(), plain.values.size() * categories);
    for (size_t cell = 0; cell < plain.values.size(); ++cell) {
      const double total = split.values[cell * categories + categories - 1];
      EXPECT_NEAR(total, plain.values[cell], 1e-9 * std::max(1.0, std::fabs(total)))
          << "cell " << cell << "\n  " << QueryText(with);
    }
  }
}

}  // namespace
}  // namespace jobindsigt::test
