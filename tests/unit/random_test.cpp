#include "common/random.h"

#include <gtest/gtest.h>

#include <set>

namespace jobindsigt {
namespace {

TEST(RandomTest, PermuteBitsIsABijection) {
  constexpr int kBits = 16;
  std::set<uint64_t> seen;
  for (uint64_t value = 0; value < (1U << kBits); ++value) {
    const uint64_t permuted = PermuteBits(value, 12345, kBits);
    ASSERT_LT(permuted, 1U << kBits);
    seen.insert(permuted);
  }
  EXPECT_EQ(seen.size(), 1U << kBits);
}

TEST(RandomTest, SameKeySameStream) {
  Random first(StreamKey(1, 2, 3));
  Random second(StreamKey(1, 2, 3));
  Random other(StreamKey(1, 2, 4));
  int differences = 0;
  for (int index = 0; index < 100; ++index) {
    const uint64_t value = first.Next();
    EXPECT_EQ(value, second.Next());
    differences += value != other.Next();
  }
  EXPECT_GT(differences, 95);
}

TEST(RandomTest, BetweenStaysInRangeAndHandlesEmptyRanges) {
  Random random(42);
  std::set<int64_t> seen;
  for (int index = 0; index < 10000; ++index) {
    const int64_t value = random.Between(-3, 3);
    ASSERT_GE(value, -3);
    ASSERT_LE(value, 3);
    seen.insert(value);
  }
  EXPECT_EQ(seen.size(), 7U);
  EXPECT_EQ(random.Between(5, 5), 5);
  EXPECT_EQ(random.Between(5, 4), 5);
}

TEST(RandomTest, UniformMeanIsOneHalf) {
  Random random(7);
  double sum = 0;
  constexpr int kDraws = 200000;
  for (int index = 0; index < kDraws; ++index) sum += random.Uniform();
  EXPECT_NEAR(sum / kDraws, 0.5, 0.005);
}

}  // namespace
}  // namespace jobindsigt
