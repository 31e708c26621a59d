#include "common/date.h"

#include <gtest/gtest.h>

namespace jobindsigt {
namespace {

TEST(DateTest, KnownDayNumbers) {
  EXPECT_EQ(DaysFromCivil(1970, 1, 1), 0);
  EXPECT_EQ(DaysFromCivil(2000, 3, 1), 11017);
  EXPECT_EQ(DaysFromCivil(1969, 12, 31), -1);
  EXPECT_EQ(DaysFromCivil(2024, 2, 29) + 1, DaysFromCivil(2024, 3, 1));
}

TEST(DateTest, RoundTripsEveryDayOverTwoCenturies) {
  for (DayNumber day = DaysFromCivil(1900, 1, 1); day <= DaysFromCivil(2100, 12, 31); ++day) {
    const CivilDate date = CivilFromDays(day);
    ASSERT_EQ(DaysFromCivil(date.year, date.month, date.day), day);
  }
}

TEST(DateTest, MonthArithmetic) {
  const MonthIndex february = MakeMonth(2024, 2);
  EXPECT_EQ(DaysInMonth(february), 29);
  EXPECT_EQ(DaysInMonth(MakeMonth(2023, 2)), 28);
  EXPECT_EQ(MonthOfDay(DaysFromCivil(2024, 12, 31)), MakeMonth(2024, 12));
  EXPECT_EQ(LastDayOfMonth(MakeMonth(2024, 12)) + 1, FirstDayOfMonth(MakeMonth(2025, 1)));
}

TEST(DateTest, AgeCountsCompletedYears) {
  const DayNumber birth = DaysFromCivil(2000, 2, 29);
  EXPECT_EQ(AgeOnDay(birth, DaysFromCivil(2018, 2, 28)), 17);
  EXPECT_EQ(AgeOnDay(birth, DaysFromCivil(2018, 3, 1)), 18);
  EXPECT_EQ(AgeOnDay(DaysFromCivil(1990, 6, 15), DaysFromCivil(2024, 6, 15)), 34);
  EXPECT_EQ(AgeOnDay(DaysFromCivil(1990, 6, 15), DaysFromCivil(2024, 6, 14)), 33);
}

TEST(DateTest, ParsesOnlyRealMonthsAndDates) {
  EXPECT_EQ(ParseYearMonth("2024-01"), MakeMonth(2024, 1));
  EXPECT_FALSE(ParseYearMonth("2024-13"));
  EXPECT_FALSE(ParseYearMonth("2024-1"));
  EXPECT_FALSE(ParseYearMonth("24-01"));
  EXPECT_FALSE(ParseYearMonth("2024/01"));
  EXPECT_EQ(ParseIsoDate("2024-02-29"), DaysFromCivil(2024, 2, 29));
  EXPECT_FALSE(ParseIsoDate("2023-02-29"));
  EXPECT_FALSE(ParseIsoDate("2024-04-31"));
  EXPECT_FALSE(ParseIsoDate("2024-04-3a"));
  EXPECT_EQ(FormatIsoDate(DaysFromCivil(2008, 1, 5)), "2008-01-05");
  EXPECT_EQ(FormatYearMonth(MakeMonth(2026, 10)), "2026-10");
}

}  // namespace
}  // namespace jobindsigt
