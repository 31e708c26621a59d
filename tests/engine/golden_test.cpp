// The engine on hand-made deliveries (golden_cases.h): each expected cell is worked out by
// hand in golden_cases.cpp; the reference is checked against the same values in
// reference_test.cpp.

#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <cmath>

#include "engine/engine.h"
#include "golden_cases.h"
#include "ingest/ingest_run.h"

namespace jobindsigt::test {
namespace {

namespace fs = std::filesystem;

class EngineGoldenTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    folder_ =
        fs::temp_directory_path() / ("jobindsigt_engine_golden_" + std::to_string(::getpid()));
    fs::remove_all(folder_);
    WriteGoldenDeliveries(folder_ / "sources");
    ingest::IngestOptions options;
    options.sources = folder_ / "sources";
    options.store = folder_ / "store";
    options.catalog_dir = JOBINDSIGT_TEST_CATALOG_DIR;
    options.show_progress = false;
    std::atomic<bool> stop{false};
    const auto report = ingest::Ingest(options, stop);
    ASSERT_EQ(report.status, "published") << report.stop_reason;
    for (const auto& file : report.files) ASSERT_EQ(file.rows_quarantined, 0) << file.file;
    engine_ = engine::Engine::Open(folder_ / "store", JOBINDSIGT_TEST_CATALOG_DIR).release();
  }
  static void TearDownTestSuite() {
    delete engine_;
    fs::remove_all(folder_);
  }
  static fs::path folder_;
  static engine::Engine* engine_;
};

fs::path EngineGoldenTest::folder_;
engine::Engine* EngineGoldenTest::engine_ = nullptr;

TEST_F(EngineGoldenTest, ReleaseRange) {
  const auto release = engine_->Release("latest");
  EXPECT_EQ(release.cut_off_day, DaysFromCivil(2024, 6, 30));
  EXPECT_EQ(release.first_month, MakeMonth(2024, 1));
  EXPECT_EQ(release.last_month, MakeMonth(2024, 6));
}

TEST_F(EngineGoldenTest, HandCheckedCells) {
  for (const GoldenCase& golden : GoldenCases()) {
    SCOPED_TRACE(golden.name);
    engine::Cube cube;
    try {
      cube = engine_->Run(golden.query);
    } catch (const std::exception& error) {
      ADD_FAILURE() << "the engine refused the query: " << error.what();
      continue;
    }
    std::vector<std::vector<std::string>> categories;
    for (const auto& dimension : cube.dimensions) {
      categories.emplace_back();
      for (const auto& category : dimension.categories) categories.back().push_back(category.id);
    }
    for (const GoldenCell& expected : golden.cells) {
      std::string where;
      for (const auto& id : expected.at) where += id + " ";
      SCOPED_TRACE(where);
      const auto index = CellAt(categories, expected.at);
      ASSERT_TRUE(index.has_value()) << "no such cell in the answer";
      EXPECT_EQ(StatusText(cube.statuses[*index]), StatusText(expected.status));
      if (expected.value) {
        EXPECT_NEAR(cube.values[*index], *expected.value, 1e-9);
      } else {
        EXPECT_TRUE(std::isnan(cube.values[*index])) << cube.values[*index];
      }
      if (expected.left_out) {
        EXPECT_EQ(cube.left_out.at(*index), *expected.left_out);
      }
    }
  }
}

}  // namespace
}  // namespace jobindsigt::test
