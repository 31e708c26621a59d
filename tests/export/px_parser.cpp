#include "px_parser.h"

#include <cctype>
#include <optional>

namespace jobindsigt::exporting::testing {

bool ValidUtf8(std::string_view text, size_t& bad_offset) {
  for (size_t at = 0; at < text.size();) {
    const auto lead = static_cast<unsigned char>(text[at]);
    const size_t length = lead < 0x80           ? 1
                          : (lead >> 5) == 0x6  ? 2
                          : (lead >> 4) == 0xE  ? 3
                          : (lead >> 3) == 0x1E ? 4
                                                : 0;
    if (length == 0 || at + length > text.size() || (length == 2 && lead < 0xC2)) {
      bad_offset = at;
      return false;
    }
    for (size_t next = 1; next < length; ++next) {
      if ((static_cast<unsigned char>(text[at + next]) & 0xC0) != 0x80) {
        bad_offset = at;
        return false;
      }
    }
    at += length;
  }
  return true;
}

namespace {

// Splits the file into entries. DATA's value is kept raw for its own checks.
class Parser {
 public:
  Parser(std::string_view text, Problems& problems) : text_(text), problems_(problems) {}

  std::vector<Entry> Parse() {
    std::vector<Entry> entries;
    for (SkipSpace(); pos_ < text_.size(); SkipSpace()) {
      Entry entry;
      entry.line = line_;
      if (!ParseKey(entry)) return entries;
      const bool ok = entry.keyword == "DATA" ? ParseData(entry) : ParseValue(entry);
      entries.push_back(std::move(entry));
      if (!ok) return entries;
    }
    return entries;
  }

 private:
  void Problem(const std::string& rule, const std::string& message) {
    problems_.push_back({line_, rule, message});
  }
  char Next() {
    const char ch = text_[pos_++];
    if (ch == '\n') ++line_;
    return ch;
  }
  void SkipSpace() {
    while (pos_ < text_.size() && std::isspace(static_cast<unsigned char>(text_[pos_]))) Next();
  }
  // A quoted string; the opening quote is at pos_.
  std::optional<std::string> Quoted() {
    Next();
    std::string text;
    while (pos_ < text_.size() && text_[pos_] != '"') {
      if (text_[pos_] == '\n' || text_[pos_] == '\r') {
        Problem("syntax", "a quoted string runs over a line end (split long strings into pieces)");
        return std::nullopt;
      }
      text += Next();
    }
    if (pos_ >= text_.size()) {
      Problem("syntax", "a quoted string is not closed");
      return std::nullopt;
    }
    Next();
    return text;
  }
  bool ParseKey(Entry& entry) {
    while (pos_ < text_.size() && (std::isalnum(static_cast<unsigned char>(text_[pos_])) ||
                                   text_[pos_] == '-' || text_[pos_] == '_'))
      entry.keyword += Next();
    if (entry.keyword.empty() || !std::isalpha(static_cast<unsigned char>(entry.keyword[0]))) {
      Problem("syntax", "an entry must start with a keyword (a letter, then A-Z, 0-9, -)");
      return false;
    }
    if (pos_ < text_.size() && text_[pos_] == '[') {
      Next();
      while (pos_ < text_.size() && text_[pos_] != ']' && text_[pos_] != '\n')
        entry.language += Next();
      if (pos_ >= text_.size() || text_[pos_] != ']' || entry.language.empty() ||
          entry.language.find_first_of(" \t;=[\"") != std::string::npos) {
        Problem("syntax", entry.keyword + ": a bad [language] code");
        return false;
      }
      Next();
    }
    if (pos_ < text_.size() && text_[pos_] == '(') {
      if (!ParseSpecs(entry)) return false;
    }
    SkipSpace();
    if (pos_ >= text_.size() || text_[pos_] != '=') {
      Problem("syntax", entry.keyword + ": `=` expected after the key");
      return false;
    }
    Next();
    return true;
  }
  bool ParseSpecs(Entry& entry) {
    Next();
    for (;;) {
      SkipSpace();
      if (pos_ >= text_.size() || text_[pos_] != '"') {
        Problem("syntax", entry.keyword + ": a specifier must be a quoted string");
        return false;
      }
      const auto spec = Quoted();
      if (!spec) return false;
      if (spec->find(';') != std::string::npos)
        Problem("syntax", entry.keyword + ": a specifier may not hold `;`");
      entry.specs.push_back(*spec);
      SkipSpace();
      if (pos_ < text_.size() && text_[pos_] == ',') {
        Next();
        continue;
      }
      if (pos_ < text_.size() && text_[pos_] == ')') {
        Next();
        return true;
      }
      Problem("syntax", entry.keyword + ": `,` or `)` expected in the specifiers");
      return false;
    }
  }
  bool ParseValue(Entry& entry) {
    for (SkipSpace(); pos_ < text_.size(); SkipSpace()) {
      const char ch = text_[pos_];
      if (ch == ';') {
        Next();
        return true;
      }
      if (ch == '"') {
        const size_t line = line_;
        const auto text = Quoted();
        if (!text) return false;
        entry.value.push_back({Token::kString, *text, line});
      } else if (ch == ',') {
        entry.value.push_back({Token::kComma, ",", line_});
        Next();
      } else if (ch == '=') {
        Problem("syntax", entry.keyword + ": the entry runs into the next one (missing `;`)");
        return false;
      } else {
        entry.value.push_back({Token::kBare, Bare(), line_});
      }
    }
    Problem("syntax", entry.keyword + ": the file ends before the entry's `;`");
    return false;
  }
  // An unquoted word: a number, YES/NO, or TLIST(…) with everything up to its `)`.
  std::string Bare() {
    std::string word;
    const bool tlist = text_.substr(pos_, 6) == "TLIST(";
    while (pos_ < text_.size()) {
      const char ch = text_[pos_];
      if (tlist ? ch == ')'
                : (ch == ',' || ch == ';' || ch == '"' || ch == '=' ||
                   std::isspace(static_cast<unsigned char>(ch))))
        break;
      word += Next();
    }
    if (tlist && pos_ < text_.size()) word += Next();
    return word;
  }
  bool ParseData(Entry& entry) {
    const size_t end = text_.find(';', pos_);
    if (end == std::string_view::npos) {
      Problem("syntax", "DATA has no closing `;`");
      return false;
    }
    entry.data = std::string(text_.substr(pos_, end - pos_));
    while (pos_ <= end) Next();
    return true;
  }

  std::string_view text_;
  Problems& problems_;
  size_t pos_ = 0;
  size_t line_ = 1;
};

}  // namespace

std::vector<Entry> ParsePx(std::string_view text, Problems& problems) {
  return Parser(text, problems).Parse();
}

}  // namespace jobindsigt::exporting::testing
