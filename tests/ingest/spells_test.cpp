// Golden cases for the four-week rule (shared docs/measures.md, "Spells"), computed by hand.

#include "ingest/spells.h"

#include <gtest/gtest.h>

#include "common/date.h"

namespace jobindsigt::ingest {
namespace {

DayNumber D(int year, int month, int day) {
  return DaysFromCivil(year, month, day);
}

std::vector<Spell> Build(std::vector<SpellRecord> records) {
  std::vector<Spell> spells;
  BuildSpells(records, spells);
  return spells;
}

TEST(SpellsTest, GapOf27DaysContinuesTheSpell) {
  // First record ends 2024-01-10; 27 days without benefit: 01-11 … 02-06; next from 02-07.
  const auto spells =
      Build({{D(2024, 1, 1), D(2024, 1, 10), 1, 0}, {D(2024, 2, 7), D(2024, 3, 1), 2, 1}});
  ASSERT_EQ(spells.size(), 1U);
  EXPECT_EQ(spells[0].start, D(2024, 1, 1));
  EXPECT_EQ(spells[0].end, D(2024, 3, 1));
  EXPECT_EQ(spells[0].first_record, 0);
  EXPECT_EQ(spells[0].end_record, 1);
}

TEST(SpellsTest, GapOf28DaysStartsANewSpell) {
  // 28 days without benefit: 01-11 … 02-07; next from 02-08.
  const auto spells =
      Build({{D(2024, 1, 1), D(2024, 1, 10), 1, 0}, {D(2024, 2, 8), D(2024, 3, 1), 2, 1}});
  ASSERT_EQ(spells.size(), 2U);
  EXPECT_EQ(spells[0].end, D(2024, 1, 10));
  EXPECT_EQ(spells[1].start, D(2024, 2, 8));
}

TEST(SpellsTest, GapOf29DaysStartsANewSpell) {
  const auto spells =
      Build({{D(2024, 1, 1), D(2024, 1, 10), 1, 0}, {D(2024, 2, 9), D(2024, 3, 1), 2, 1}});
  ASSERT_EQ(spells.size(), 2U);
}

TEST(SpellsTest, AdjacentAndOverlappingRecordsContinue) {
  const auto spells = Build({{D(2024, 1, 1), D(2024, 1, 31), 1, 0},
                             {D(2024, 2, 1), D(2024, 2, 29), 2, 1},     // adjacent
                             {D(2024, 2, 10), D(2024, 2, 20), 3, 2},    // inside the previous
                             {D(2024, 2, 25), D(2024, 4, 30), 4, 3}});  // overlapping
  ASSERT_EQ(spells.size(), 1U);
  EXPECT_EQ(spells[0].end, D(2024, 4, 30));
  EXPECT_EQ(spells[0].end_record, 3);
}

TEST(SpellsTest, GapIsMeasuredFromTheLatestEndSoFarNotThePreviousRecord) {
  // A long record, a short one inside it, then a record 27 days after the long one's end.
  const auto spells = Build({{D(2024, 1, 1), D(2024, 6, 30), 1, 0},
                             {D(2024, 2, 1), D(2024, 2, 5), 2, 1},
                             {D(2024, 7, 28), D(2024, 8, 31), 3, 2}});
  ASSERT_EQ(spells.size(), 1U);
}

TEST(SpellsTest, TiesForTheEndGoToTheSmallestRecordId) {
  const auto spells =
      Build({{D(2024, 1, 1), D(2024, 3, 31), 9, 0}, {D(2024, 2, 1), D(2024, 3, 31), 4, 1}});
  ASSERT_EQ(spells.size(), 1U);
  EXPECT_EQ(spells[0].end_record, 1);
}

TEST(SpellsTest, OpenRecordRunsToTheCutOffAndTheSpellIsOngoing) {
  const DayNumber cutoff = D(2024, 6, 30);
  const auto spells = Build({{D(2024, 5, 1), cutoff, 1, 0}});
  ASSERT_EQ(spells.size(), 1U);
  EXPECT_FALSE(IsEnded(spells[0], cutoff));
}

TEST(SpellsTest, EndedOnlyTwentyEightDaysBeforeTheCutOff) {
  const DayNumber cutoff = D(2024, 6, 30);
  // cut-off - end = 28: ended; 27: still ongoing (it may continue).
  EXPECT_TRUE(IsEnded({D(2024, 1, 1), cutoff - 28, 0, 0}, cutoff));
  EXPECT_FALSE(IsEnded({D(2024, 1, 1), cutoff - 27, 0, 0}, cutoff));
}

TEST(SpellsTest, SpellAcrossTheCutOffKeepsItsWholeStart) {
  // Started long before the period of any query: the spell's start is its first record's from.
  const auto spells =
      Build({{D(2019, 3, 4), D(2022, 12, 31), 1, 0}, {D(2023, 1, 1), D(2024, 6, 30), 2, 1}});
  ASSERT_EQ(spells.size(), 1U);
  EXPECT_EQ(spells[0].start, D(2019, 3, 4));
}

}  // namespace
}  // namespace jobindsigt::ingest
