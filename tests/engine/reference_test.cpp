// The reference evaluator checked on its own against the hand-worked golden cases, so that a
// disagreement in the differential tests points at the engine or at a reading of the docs,
// not at a reference that was never checked.

#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>

#include "golden_cases.h"
#include "reference_evaluator.h"

namespace jobindsigt::test {
namespace {

namespace fs = std::filesystem;

class ReferenceGoldenTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    folder_ = fs::temp_directory_path() / ("jobindsigt_reference_" + std::to_string(::getpid()));
    fs::remove_all(folder_);
    WriteGoldenDeliveries(folder_ / "sources");
    reference_ = new ReferenceEvaluator(folder_ / "sources", JOBINDSIGT_TEST_CATALOG_DIR);
  }
  static void TearDownTestSuite() {
    delete reference_;
    fs::remove_all(folder_);
  }
  static fs::path folder_;
  static ReferenceEvaluator* reference_;
};

fs::path ReferenceGoldenTest::folder_;
ReferenceEvaluator* ReferenceGoldenTest::reference_ = nullptr;

TEST_F(ReferenceGoldenTest, ReadsVersionsAndTheCutOff) {
  const SourceData& data = reference_->data();
  EXPECT_EQ(data.cut_off, DaysFromCivil(2024, 6, 30));
  EXPECT_EQ(data.first_month, MakeMonth(2024, 1));
  EXPECT_EQ(data.persons.size(), 14U);
  // Record 103 was deleted; the Brøndby February payment replaced by its correction.
  EXPECT_EQ(data.benefits.size(), 22U);
  int64_t brondby_february = 0;
  for (const auto& payment : data.payments) {
    if (payment.municipality == 153 && payment.month == MakeMonth(2024, 2)) {
      brondby_february += payment.gross_cents;
    }
  }
  EXPECT_EQ(brondby_february, 600000);
  // Person 6's open record runs to the cut-off day.
  for (const auto& record : data.benefits) {
    if (record.record_id == 601) {
      EXPECT_EQ(record.to, data.cut_off);
    }
  }
}

TEST_F(ReferenceGoldenTest, SpellsByTheFourWeekRule) {
  const auto& spells = reference_->Spells({"ADP"});
  int person3 = 0;
  int person4 = 0;
  for (const auto& spell : spells) {
    person3 += spell.person == 3 ? 1 : 0;
    person4 += spell.person == 4 ? 1 : 0;
  }
  EXPECT_EQ(person3, 2);  // 28 days off
  EXPECT_EQ(person4, 1);  // 27 days off
}

TEST_F(ReferenceGoldenTest, HandCheckedCells) {
  for (const GoldenCase& golden : GoldenCases()) {
    SCOPED_TRACE(golden.name);
    const RefCube cube = reference_->Evaluate(golden.query);
    std::vector<std::vector<std::string>> categories;
    for (const auto& dimension : cube.dimensions) categories.push_back(dimension.categories);
    for (const GoldenCell& expected : golden.cells) {
      std::string where;
      for (const auto& id : expected.at) where += id + " ";
      SCOPED_TRACE(where);
      const auto index = CellAt(categories, expected.at);
      ASSERT_TRUE(index.has_value());
      const RefCell& cell = cube.cells[*index];
      EXPECT_EQ(StatusText(cell.status), StatusText(expected.status));
      if (expected.value) {
        EXPECT_NEAR(cell.value, *expected.value, 1e-9);
      } else {
        EXPECT_TRUE(std::isnan(cell.value));
      }
      if (expected.left_out) {
        EXPECT_EQ(cell.left_out, *expected.left_out);
      }
    }
  }
}

}  // namespace
}  // namespace jobindsigt::test
