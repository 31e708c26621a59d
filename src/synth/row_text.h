#pragma once
// Fast text formatting for generated rows. The generator writes hundreds of millions of
// fields at `full` scale, so these append straight into a std::string without locale or
// allocation per field.

#include <cstdint>
#include <string>

#include "common/date.h"

namespace jobindsigt::synth {

inline void AppendInt(std::string& out, int64_t value) {
  char digits[24];
  int length = 0;
  const bool negative = value < 0;
  uint64_t magnitude = negative ? static_cast<uint64_t>(-value) : static_cast<uint64_t>(value);
  do {
    digits[length++] = static_cast<char>('0' + magnitude % 10);
    magnitude /= 10;
  } while (magnitude != 0);
  if (negative) out.push_back('-');
  while (length > 0) out.push_back(digits[--length]);
}

inline void AppendTwoDigits(std::string& out, int value) {
  out.push_back(static_cast<char>('0' + value / 10));
  out.push_back(static_cast<char>('0' + value % 10));
}

inline void AppendFourDigits(std::string& out, int value) {
  AppendTwoDigits(out, value / 100);
  AppendTwoDigits(out, value % 100);
}

// YYYY-MM-DD
inline void AppendIsoDate(std::string& out, DayNumber day) {
  const CivilDate date = CivilFromDays(day);
  AppendFourDigits(out, date.year);
  out.push_back('-');
  AppendTwoDigits(out, date.month);
  out.push_back('-');
  AppendTwoDigits(out, date.day);
}

// YYYY-MM
inline void AppendIsoMonth(std::string& out, MonthIndex month) {
  AppendFourDigits(out, YearOfMonth(month));
  out.push_back('-');
  AppendTwoDigits(out, MonthOfYear(month));
}

// MM-YYYY, the legacy finance systems' month.
inline void AppendLegacyMonth(std::string& out, MonthIndex month) {
  AppendTwoDigits(out, MonthOfYear(month));
  out.push_back('-');
  AppendFourDigits(out, YearOfMonth(month));
}

// A non-negative amount in hundredths, written with two decimals and the given mark:
// 123456 -> "1234.56" or "1234,56".
inline void AppendHundredths(std::string& out, int64_t hundredths, char decimal_mark) {
  if (hundredths < 0) {
    out.push_back('-');
    hundredths = -hundredths;
  }
  AppendInt(out, hundredths / 100);
  out.push_back(decimal_mark);
  AppendTwoDigits(out, static_cast<int>(hundredths % 100));
}

}  // namespace jobindsigt::synth
