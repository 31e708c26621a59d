// The payments' amounts are held in 32 bits with the rare wide one kept aside
// (engine::NarrowAmounts): every value comes back exactly, at the edges of the narrow range too.
#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <vector>

#include "engine/release_data.h"

namespace jobindsigt::test {
namespace {

TEST(NarrowAmountsTest, EveryValueComesBackExactly) {
  constexpr int64_t kMin = std::numeric_limits<int32_t>::min();
  constexpr int64_t kMax = std::numeric_limits<int32_t>::max();
  const std::vector<int64_t> values{
      0,        1,        -1,       kMax,       kMax + 1,         kMin,
      kMin + 1, kMin - 1, 12345678, -987654321, int64_t{1} << 40, -(int64_t{1} << 50),
      42};
  const engine::NarrowAmounts amounts(values);
  ASSERT_EQ(amounts.size(), values.size());
  for (size_t row = 0; row < values.size(); ++row) EXPECT_EQ(amounts[row], values[row]) << row;
}

}  // namespace
}  // namespace jobindsigt::test
