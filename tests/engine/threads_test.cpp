// Answers do not depend on threads (ARCHITECTURE.md, invariants): every statistic's random
// queries give the same bits with one worker as with several, whose partial sums are merged
// in whatever order the workers took the tasks. On `small`: its shards hold several tasks of
// persons each, so the work is really split.

#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "engine_data_set.h"
#include "random_query.h"

namespace jobindsigt::test {
namespace {

TEST(DifferentialSmallTest, ThreadsDoNotChangeAnyBit) {
  DataSet& data = Small();
  engine::EngineSettings one;
  one.threads = 1;
  engine::EngineSettings three;
  three.threads = 3;
  const auto single = engine::Engine::Open(data.folder / "store", JOBINDSIGT_TEST_CATALOG_DIR, one);
  const auto several =
      engine::Engine::Open(data.folder / "store", JOBINDSIGT_TEST_CATALOG_DIR, three);
  std::mt19937_64 random(99);
  int compared = 0;
  for (int s = 0; s < engine::kStatisticCount; ++s) {
    const auto statistic = static_cast<engine::Statistic>(s);
    // Sums of fractions are where the merge order showed (duration_ended in weeks).
    const int queries = statistic == engine::Statistic::kDurationEnded ? 60 : 6;
    for (int i = 0; i < queries; ++i) {
      const engine::Query query = RandomQueryOf(random, data.space, {statistic});
      const engine::Cube a = single->Run(query);
      const engine::Cube b = several->Run(query);
      ASSERT_EQ(a.values.size(), b.values.size());
      for (size_t cell = 0; cell < a.values.size(); ++cell) {
        const bool same = a.values[cell] == b.values[cell] ||
                          (std::isnan(a.values[cell]) && std::isnan(b.values[cell]));
        ASSERT_TRUE(same) << "statistic " << s << ", cell " << cell << ": one thread "
                          << a.values[cell] << ", three " << b.values[cell];
        ASSERT_EQ(a.statuses[cell], b.statuses[cell]);
        if (!std::isnan(a.values[cell]) && a.values[cell] != 0) ++compared;
      }
    }
  }
  EXPECT_GT(compared, 500) << "too few cells with a value to compare";
}

}  // namespace
}  // namespace jobindsigt::test
