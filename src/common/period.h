#pragma once
// Statistical periods as measures.md names them: ISO week `2024W05`, month `2024M01`,
// quarter `2024Q1`, year `2024`, rolling year ending with a month `2024M06R12`
// (2023-07-01 … 2024-06-30) and year to date ending with a month `2024M06YTD`. A period
// is a closed interval of days.

#include <optional>
#include <string>
#include <string_view>

#include "common/date.h"

namespace jobindsigt {

enum class PeriodType { kWeek, kMonth, kQuarter, kYear, kRollingYear, kYearToDate };

struct Period {
  std::string id;  // canonical text, e.g. "2024M01"
  PeriodType type = PeriodType::kMonth;
  DayNumber first_day = 0;
  DayNumber last_day = 0;

  int days() const { return last_day - first_day + 1; }
  // Whether the period is a run of whole calendar months (every type but weeks).
  bool WholeMonths() const { return type != PeriodType::kWeek; }
  MonthIndex first_month() const { return MonthOfDay(first_day); }
  MonthIndex last_month() const { return MonthOfDay(last_day); }
};

// Parses one of the forms above (years 1900–2199); nullopt for anything else, including
// ISO week 53 of a year that has only 52.
std::optional<Period> ParsePeriod(std::string_view text);

// The period of `type` that contains `day` (for rolling year and year to date: the one
// ending with the day's month).
Period PeriodContaining(PeriodType type, DayNumber day);
// The period of the same type just before `period` (the previous week, month, …).
Period PreviousPeriod(const Period& period);

// Monday of ISO week 1 of `iso_year`.
DayNumber IsoWeekOneMonday(int iso_year);
// Day of the week, 0 = Monday … 6 = Sunday.
int WeekdayOf(DayNumber day);

}  // namespace jobindsigt
