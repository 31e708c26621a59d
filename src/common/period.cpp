#include "common/period.h"

#include <fmt/format.h>

namespace jobindsigt {
namespace {

std::optional<int> Digits(std::string_view text, size_t count) {
  if (text.size() != count) return std::nullopt;
  int value = 0;
  for (const char digit : text) {
    if (digit < '0' || digit > '9') return std::nullopt;
    value = value * 10 + (digit - '0');
  }
  return value;
}

bool YearInRange(int year) {
  return year >= 1900 && year <= 2199;
}

int IsoWeeksInYear(int iso_year) {
  return (IsoWeekOneMonday(iso_year + 1) - IsoWeekOneMonday(iso_year)) / 7;
}

Period WeekPeriod(int iso_year, int week) {
  const DayNumber monday = IsoWeekOneMonday(iso_year) + (week - 1) * 7;
  return {fmt::format("{:04d}W{:02d}", iso_year, week), PeriodType::kWeek, monday, monday + 6};
}

Period MonthsPeriod(PeriodType type, MonthIndex first, MonthIndex last) {
  std::string id;
  const int year = YearOfMonth(last);
  switch (type) {
    case PeriodType::kMonth:
      id = fmt::format("{:04d}M{:02d}", year, MonthOfYear(last));
      break;
    case PeriodType::kQuarter:
      id = fmt::format("{:04d}Q{}", year, (MonthOfYear(last) - 1) / 3 + 1);
      break;
    case PeriodType::kYear:
      id = fmt::format("{:04d}", year);
      break;
    case PeriodType::kRollingYear:
      id = fmt::format("{:04d}M{:02d}R12", year, MonthOfYear(last));
      break;
    case PeriodType::kYearToDate:
      id = fmt::format("{:04d}M{:02d}YTD", year, MonthOfYear(last));
      break;
    case PeriodType::kWeek:
      break;
  }
  return {id, type, FirstDayOfMonth(first), LastDayOfMonth(last)};
}

Period PeriodEndingWithMonth(PeriodType type, MonthIndex month) {
  const int year = YearOfMonth(month);
  switch (type) {
    case PeriodType::kMonth:
      return MonthsPeriod(type, month, month);
    case PeriodType::kQuarter: {
      const MonthIndex first = MakeMonth(year, (MonthOfYear(month) - 1) / 3 * 3 + 1);
      return MonthsPeriod(type, first, first + 2);
    }
    case PeriodType::kYear:
      return MonthsPeriod(type, MakeMonth(year, 1), MakeMonth(year, 12));
    case PeriodType::kRollingYear:
      return MonthsPeriod(type, month - 11, month);
    case PeriodType::kYearToDate:
      return MonthsPeriod(type, MakeMonth(year, 1), month);
    case PeriodType::kWeek:
      break;
  }
  return MonthsPeriod(PeriodType::kMonth, month, month);
}

}  // namespace

int WeekdayOf(DayNumber day) {
  // 1970-01-01 was a Thursday (3 with Monday = 0).
  return ((day % 7) + 7 + 3) % 7;
}

DayNumber IsoWeekOneMonday(int iso_year) {
  // Week 1 is the week with 4 January in it.
  const DayNumber january_4 = DaysFromCivil(iso_year, 1, 4);
  return january_4 - WeekdayOf(january_4);
}

std::optional<Period> ParsePeriod(std::string_view text) {
  if (text.size() < 4) return std::nullopt;
  const auto year = Digits(text.substr(0, 4), 4);
  if (!year || !YearInRange(*year)) return std::nullopt;
  const std::string_view rest = text.substr(4);
  if (rest.empty()) return PeriodEndingWithMonth(PeriodType::kYear, MakeMonth(*year, 12));
  if (rest[0] == 'W') {
    const auto week = Digits(rest.substr(1), 2);
    if (!week || *week < 1 || *week > IsoWeeksInYear(*year)) return std::nullopt;
    return WeekPeriod(*year, *week);
  }
  if (rest[0] == 'Q') {
    const auto quarter = Digits(rest.substr(1), 1);
    if (!quarter || *quarter < 1 || *quarter > 4) return std::nullopt;
    return PeriodEndingWithMonth(PeriodType::kQuarter, MakeMonth(*year, *quarter * 3));
  }
  if (rest[0] != 'M' || rest.size() < 3) return std::nullopt;
  const auto month = Digits(rest.substr(1, 2), 2);
  if (!month || *month < 1 || *month > 12) return std::nullopt;
  const std::string_view suffix = rest.substr(3);
  PeriodType type = PeriodType::kMonth;
  if (suffix == "R12") {
    type = PeriodType::kRollingYear;
  } else if (suffix == "YTD") {
    type = PeriodType::kYearToDate;
  } else if (!suffix.empty()) {
    return std::nullopt;
  }
  return PeriodEndingWithMonth(type, MakeMonth(*year, *month));
}

Period PeriodContaining(PeriodType type, DayNumber day) {
  if (type == PeriodType::kWeek) {
    const DayNumber monday = day - WeekdayOf(day);
    const int thursday_year = CivilFromDays(monday + 3).year;  // the ISO year owns the Thursday
    return WeekPeriod(thursday_year, (monday - IsoWeekOneMonday(thursday_year)) / 7 + 1);
  }
  return PeriodEndingWithMonth(type, MonthOfDay(day));
}

Period PreviousPeriod(const Period& period) {
  switch (period.type) {
    case PeriodType::kWeek:
      return PeriodContaining(PeriodType::kWeek, period.first_day - 1);
    case PeriodType::kMonth:
    case PeriodType::kQuarter:
    case PeriodType::kYear:
      return PeriodContaining(period.type, period.first_day - 1);
    case PeriodType::kRollingYear:
    case PeriodType::kYearToDate:
      // The same span a year earlier: what analysts compare a rolling year or a YTD with.
      return PeriodEndingWithMonth(period.type, period.last_month() - 12);
  }
  return period;
}

}  // namespace jobindsigt
