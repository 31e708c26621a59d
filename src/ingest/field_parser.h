#pragma once
// Parsing of one field's text by its declared type. Pure functions, no allocation on the
// happy path: they run for every field of every row.

#include <cstdint>
#include <optional>
#include <string_view>

#include "common/date.h"
#include "ingest/source_spec.h"

namespace jobindsigt::ingest {

std::optional<int64_t> ParseInteger(std::string_view text);
std::optional<double> ParseDecimal(std::string_view text, char decimal_mark);
std::optional<DayNumber> ParseDate(std::string_view text, DateFormat format);
std::optional<MonthIndex> ParseMonth(std::string_view text, MonthFormat format);

// True when `bytes` is well-formed UTF-8; `has_multibyte` tells whether any non-ASCII
// character occurred (a legacy ISO-8859-1 file that is valid UTF-8 with such characters was
// almost certainly sent in the wrong encoding).
bool IsValidUtf8(std::string_view bytes, bool& has_multibyte);

}  // namespace jobindsigt::ingest
