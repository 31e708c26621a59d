#include "ingest/field_parser.h"

#include <charconv>
#include <cmath>

namespace jobindsigt::ingest {
namespace {

std::optional<int> Digits(std::string_view text) {
  int value = 0;
  for (const char digit : text) {
    if (digit < '0' || digit > '9') return std::nullopt;
    value = value * 10 + (digit - '0');
  }
  return text.empty() ? std::nullopt : std::optional<int>(value);
}

std::optional<DayNumber> Day(std::optional<int> year, std::optional<int> month,
                             std::optional<int> day) {
  if (!year || !month || !day || *month < 1 || *month > 12 || *day < 1) return std::nullopt;
  const MonthIndex index = MakeMonth(*year, *month);
  if (*day > DaysInMonth(index)) return std::nullopt;
  return FirstDayOfMonth(index) + *day - 1;
}

}  // namespace

std::optional<int64_t> ParseInteger(std::string_view text) {
  int64_t value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || error != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

std::optional<double> ParseDecimal(std::string_view text, char decimal_mark) {
  // Digits with at most one decimal mark and an optional leading minus; nothing else (no
  // thousands separators, no exponent), so "1.234,5" in a decimal-comma file is an error.
  if (text.empty()) return std::nullopt;
  size_t position = text[0] == '-' ? 1 : 0;
  double whole = 0;
  double fraction = 0;
  double scale = 1;
  bool seen_mark = false;
  bool seen_digit = false;
  for (; position < text.size(); ++position) {
    const char ch = text[position];
    if (ch == decimal_mark && !seen_mark) {
      seen_mark = true;
    } else if (ch >= '0' && ch <= '9') {
      seen_digit = true;
      if (seen_mark) {
        scale /= 10;
        fraction += (ch - '0') * scale;
      } else {
        whole = whole * 10 + (ch - '0');
      }
    } else {
      return std::nullopt;
    }
  }
  if (!seen_digit) return std::nullopt;
  const double value = whole + fraction;
  return text[0] == '-' ? -value : value;
}

std::optional<DayNumber> ParseDate(std::string_view text, DateFormat format) {
  if (text.size() != 10) return std::nullopt;
  if (format == DateFormat::kIso) {
    if (text[4] != '-' || text[7] != '-') return std::nullopt;
    return Day(Digits(text.substr(0, 4)), Digits(text.substr(5, 2)), Digits(text.substr(8, 2)));
  }
  if (text[2] != '-' || text[5] != '-') return std::nullopt;
  return Day(Digits(text.substr(6, 4)), Digits(text.substr(3, 2)), Digits(text.substr(0, 2)));
}

std::optional<MonthIndex> ParseMonth(std::string_view text, MonthFormat format) {
  if (text.size() != 7) return std::nullopt;
  std::optional<int> year;
  std::optional<int> month;
  if (format == MonthFormat::kIso) {
    if (text[4] != '-') return std::nullopt;
    year = Digits(text.substr(0, 4));
    month = Digits(text.substr(5, 2));
  } else {
    if (text[2] != '-') return std::nullopt;
    month = Digits(text.substr(0, 2));
    year = Digits(text.substr(3, 4));
  }
  if (!year || !month || *month < 1 || *month > 12) return std::nullopt;
  return MakeMonth(*year, *month);
}

bool IsValidUtf8(std::string_view bytes, bool& has_multibyte) {
  has_multibyte = false;
  size_t index = 0;
  while (index < bytes.size()) {
    const auto lead = static_cast<unsigned char>(bytes[index]);
    if (lead < 0x80) {
      ++index;
      continue;
    }
    int length;
    if (lead >= 0xC2 && lead <= 0xDF) {
      length = 2;
    } else if (lead >= 0xE0 && lead <= 0xEF) {
      length = 3;
    } else if (lead >= 0xF0 && lead <= 0xF4) {
      length = 4;
    } else {
      return false;
    }
    if (index + length > bytes.size()) return false;
    for (int offset = 1; offset < length; ++offset) {
      const auto next = static_cast<unsigned char>(bytes[index + offset]);
      if ((next & 0xC0) != 0x80) return false;
    }
    has_multibyte = true;
    index += length;
  }
  return true;
}

}  // namespace jobindsigt::ingest
