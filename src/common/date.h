#pragma once
// Calendar arithmetic on day numbers (days since 1970-01-01) and month indexes
// (year * 12 + month - 1). Everything in Jobindsigt counts days this way.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace jobindsigt {

using DayNumber = int32_t;
using MonthIndex = int32_t;

struct CivilDate {
  int year;
  int month;  // 1..12
  int day;    // 1..31
};

// Proleptic Gregorian conversions (H. Hinnant's algorithms).
constexpr DayNumber DaysFromCivil(int year, int month, int day) {
  year -= month <= 2 ? 1 : 0;
  const int era = (year >= 0 ? year : year - 399) / 400;
  const int year_of_era = year - era * 400;
  const int day_of_year = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
  const int day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
  return era * 146097 + day_of_era - 719468;
}

constexpr CivilDate CivilFromDays(DayNumber days) {
  days += 719468;
  const int era = (days >= 0 ? days : days - 146096) / 146097;
  const int day_of_era = days - era * 146097;
  const int year_of_era =
      (day_of_era - day_of_era / 1460 + day_of_era / 36524 - day_of_era / 146096) / 365;
  const int day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
  const int month_part = (5 * day_of_year + 2) / 153;
  const int day = day_of_year - (153 * month_part + 2) / 5 + 1;
  const int month = month_part < 10 ? month_part + 3 : month_part - 9;
  return CivilDate{year_of_era + era * 400 + (month <= 2 ? 1 : 0), month, day};
}

constexpr MonthIndex MakeMonth(int year, int month) {
  return year * 12 + month - 1;
}
constexpr int YearOfMonth(MonthIndex month) {
  return month / 12;
}
constexpr int MonthOfYear(MonthIndex month) {
  return month % 12 + 1;
}

constexpr MonthIndex MonthOfDay(DayNumber day) {
  const CivilDate date = CivilFromDays(day);
  return MakeMonth(date.year, date.month);
}
constexpr DayNumber FirstDayOfMonth(MonthIndex month) {
  return DaysFromCivil(YearOfMonth(month), MonthOfYear(month), 1);
}
constexpr DayNumber LastDayOfMonth(MonthIndex month) {
  return FirstDayOfMonth(month + 1) - 1;
}
constexpr int DaysInMonth(MonthIndex month) {
  return LastDayOfMonth(month) - FirstDayOfMonth(month) + 1;
}

// Completed years of age on `day` for a person born on `birth`.
int AgeOnDay(DayNumber birth, DayNumber day);

// The date as one whole number YYYYMMDD. Ages are differences of these divided by 10000:
// (YYYYMMDD(day) − YYYYMMDD(birth)) / 10000 is the completed years when day ≥ birth. Fast
// (a table lookup) for 1850 … 2149, exact everywhere.
int32_t PackedDate(DayNumber day);
inline int AgeFromPacked(int32_t birth_packed, int32_t day_packed) {
  return (day_packed - birth_packed) / 10000;
}

// "YYYY-MM" with a real month; nullopt for anything else.
std::optional<MonthIndex> ParseYearMonth(std::string_view text);
// "YYYY-MM-DD" with a real date; nullopt for anything else.
std::optional<DayNumber> ParseIsoDate(std::string_view text);

std::string FormatYearMonth(MonthIndex month);
std::string FormatIsoDate(DayNumber day);

}  // namespace jobindsigt
