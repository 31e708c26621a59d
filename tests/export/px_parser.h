#pragma once
// The PX syntax for the validator (px_validator.h): entries of KEYWORD[lang]("spec",…)=value;
// with DATA kept raw. Problems of syntax are reported under the rule "syntax".

#include <string>
#include <string_view>
#include <vector>

#include "px_validator.h"

namespace jobindsigt::exporting::testing {

struct Token {
  enum Kind { kString, kBare, kComma } kind;
  std::string text;
  size_t line;
};

struct Entry {
  std::string keyword;
  std::string language;  // as written; empty = the default language
  std::vector<std::string> specs;
  std::vector<Token> value;
  std::string data;  // DATA only: the raw text between `=` and `;`
  size_t line = 0;
};

using Problems = std::vector<PxProblem>;

// Whether `text` is well-formed UTF-8; where it stops being so.
bool ValidUtf8(std::string_view text, size_t& bad_offset);

// The entries of the file, up to the first syntax error that stops the reading.
std::vector<Entry> ParsePx(std::string_view text, Problems& problems);

}  // namespace jobindsigt::exporting::testing
