#include "common/date.h"

#include <fmt/format.h>

#include <vector>

namespace jobindsigt {
namespace {

std::optional<int> ParseDigits(std::string_view text) {
  if (text.empty()) return std::nullopt;
  int value = 0;
  for (const char digit : text) {
    if (digit < '0' || digit > '9') return std::nullopt;
    value = value * 10 + (digit - '0');
  }
  return value;
}

}  // namespace

int AgeOnDay(DayNumber birth, DayNumber day) {
  const CivilDate born = CivilFromDays(birth);
  const CivilDate on = CivilFromDays(day);
  int age = on.year - born.year;
  if (on.month < born.month || (on.month == born.month && on.day < born.day)) --age;
  return age;
}

namespace {

constexpr DayNumber kPackedTableFirst = DaysFromCivil(1850, 1, 1);
constexpr DayNumber kPackedTableEnd = DaysFromCivil(2150, 1, 1);

int32_t PackCivil(const CivilDate& date) {
  return date.year * 10000 + date.month * 100 + date.day;
}

const std::vector<int32_t>& PackedTable() {
  static const std::vector<int32_t> table = [] {
    std::vector<int32_t> packed;
    packed.reserve(kPackedTableEnd - kPackedTableFirst);
    for (DayNumber day = kPackedTableFirst; day < kPackedTableEnd; ++day)
      packed.push_back(PackCivil(CivilFromDays(day)));
    return packed;
  }();
  return table;
}

}  // namespace

int32_t PackedDate(DayNumber day) {
  if (day >= kPackedTableFirst && day < kPackedTableEnd)
    return PackedTable()[day - kPackedTableFirst];
  return PackCivil(CivilFromDays(day));
}

std::optional<MonthIndex> ParseYearMonth(std::string_view text) {
  if (text.size() != 7 || text[4] != '-') return std::nullopt;
  const auto year = ParseDigits(text.substr(0, 4));
  const auto month = ParseDigits(text.substr(5, 2));
  if (!year || !month || *month < 1 || *month > 12) return std::nullopt;
  return MakeMonth(*year, *month);
}

std::optional<DayNumber> ParseIsoDate(std::string_view text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
  const auto month = ParseYearMonth(text.substr(0, 7));
  const auto day = ParseDigits(text.substr(8, 2));
  if (!month || !day || *day < 1 || *day > DaysInMonth(*month)) return std::nullopt;
  return FirstDayOfMonth(*month) + *day - 1;
}

std::string FormatYearMonth(MonthIndex month) {
  return fmt::format("{:04d}-{:02d}", YearOfMonth(month), MonthOfYear(month));
}

std::string FormatIsoDate(DayNumber day) {
  const CivilDate date = CivilFromDays(day);
  return fmt::format("{:04d}-{:02d}-{:02d}", date.year, date.month, date.day);
}

}  // namespace jobindsigt
