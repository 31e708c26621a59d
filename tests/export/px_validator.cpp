// Rules (the `rule` of a problem):
//   encoding       the bytes do not decode in the declared encoding (UTF-8 checked in full)
//   charset        CHARSET not "ANSI"/"Unicode", or CHARSET and CODEPAGE disagree
//   line-length    a line longer than 256 bytes (old PC-Axis readers cut there)
//   syntax         keyword, [lang], ("spec") or value syntax; an entry without `;`
//   duplicate      the same keyword, language and specifiers twice
//   data-last      DATA missing, twice, or not the last entry
//   mandatory      a mandatory keyword is missing
//   type           a value of the wrong kind (a number where a string belongs, …)
//   languages      [lang] codes not in LANGUAGES, or a language without its STUB/VALUES
//   variables      STUB/HEADING empty, repeated or overlapping names
//   values         VALUES missing, empty or repeated for a variable
//   codes          CODES not as long as VALUES, or repeated
//   decimals       DECIMALS outside 0–15, SHOWDECIMALS outside 0–6 or above DECIMALS,
//                  PRECISION not a whole number, a data number with too many decimals
//   contvariable   CONTVARIABLE not a variable, or a content value without UNITS/LAST-UPDATED
//   timeval        TLIST interval, length or time stamps wrong
//   elimination    ELIMINATION neither YES/NO nor one of the variable's values
//   specifier      a specifier naming no variable or value, or one where none belongs
//   datetime       a date-time not "CCYYMMDD hh:mm"
//   variable-type  VARIABLE-TYPE not one of the allowed words
//   data-count     the number of cells is not Π(stub sizes) × Π(heading sizes)
//   data-token     a cell neither a number nor a quoted symbol "." … "......" or "-"
//   data-line-end  a DATA line not ending with a space or tab, or mixed separators

#include "px_validator.h"

#include <algorithm>
#include <map>
#include <optional>
#include <regex>
#include <set>

#include "px_parser.h"

namespace jobindsigt::exporting::testing {
namespace {

constexpr size_t kMaxLine = 256;

const std::set<std::string> kTableKeywords = {
    "CHARSET",       "AXIS-VERSION", "CODEPAGE",     "LANGUAGE", "LANGUAGES",
    "CREATION-DATE", "DECIMALS",     "SHOWDECIMALS", "MATRIX",   "SUBJECT-CODE",
    "SUBJECT-AREA",  "TITLE",        "DESCRIPTION",  "CONTENTS", "STUB",
    "HEADING",       "CONTVARIABLE", "DATA",         "TABLEID"};
// Keywords indexed by content value (standards.md: CONTVARIABLE must precede them).
const std::set<std::string> kContentKeywords = {"UNITS",     "LAST-UPDATED", "PRECISION", "CONTACT",
                                                "REFPERIOD", "BASEPERIOD",   "DAYADJ",    "SEASADJ",
                                                "STOCKFA",   "CFPRICES"};
const std::set<std::string> kStringKeywords = {
    "CHARSET",       "AXIS-VERSION", "CODEPAGE",      "LANGUAGE",     "CREATION-DATE",
    "MATRIX",        "SUBJECT-CODE", "SUBJECT-AREA",  "TITLE",        "DESCRIPTION",
    "CONTENTS",      "UNITS",        "CONTVARIABLE",  "SOURCE",       "CONTACT",
    "NOTE",          "VALUENOTE",    "TABLEID",       "VARIABLECODE", "LAST-UPDATED",
    "VARIABLE-TYPE", "DATASYMBOL1",  "DATASYMBOL2",   "DATASYMBOL3",  "DATASYMBOL4",
    "DATASYMBOL5",   "DATASYMBOL6",  "DATASYMBOLNIL", "DATASYMBOLSUM"};
const std::set<std::string> kListKeywords = {"STUB", "HEADING", "VALUES", "CODES", "LANGUAGES"};
const std::set<std::string> kIntegerKeywords = {"DECIMALS", "SHOWDECIMALS", "PRECISION"};

struct Variables {
  std::vector<std::string> stub;
  std::vector<std::string> heading;
  std::map<std::string, std::vector<std::string>> values;
  bool Has(const std::string& name) const { return values.count(name) > 0; }
  bool HasValue(const std::string& name, const std::string& value) const {
    const auto found = values.find(name);
    return found != values.end() &&
           std::find(found->second.begin(), found->second.end(), value) != found->second.end();
  }
};

class Checker {
 public:
  Checker(std::vector<Entry> entries, Problems& problems)
      : entries_(std::move(entries)), problems_(problems) {
    for (const auto& entry : entries_)
      if (entry.keyword == "LANGUAGE" && entry.specs.empty()) default_ = String(entry).value_or("");
  }

  void Run(std::string_view file) {
    CheckTypesAndDuplicates();
    CheckEncoding(file);
    CheckMandatory();
    CheckLanguages();
    for (const auto& language : languages_) variables_[language] = CheckVariables(language);
    CheckSpecifiers();
    CheckVariableKeywords();
    CheckContent();
    CheckDecimals();
    CheckData();
  }

 private:
  void Problem(size_t line, const std::string& rule, const std::string& message) {
    problems_.push_back({line, rule, message});
  }
  std::string Lang(const Entry& entry) const {
    return entry.language.empty() ? default_ : entry.language;
  }
  const Entry* Find(const std::string& keyword, const std::string& language,
                    const std::vector<std::string>& specs = {}) const {
    for (const auto& entry : entries_)
      if (entry.keyword == keyword && Lang(entry) == language && entry.specs == specs)
        return &entry;
    return nullptr;
  }
  // One string, possibly split into quoted pieces on several lines.
  static std::optional<std::string> String(const Entry& entry) {
    std::string text;
    for (const auto& token : entry.value) {
      if (token.kind != Token::kString) return std::nullopt;
      text += token.text;
    }
    if (entry.value.empty()) return std::nullopt;
    return text;
  }
  static std::optional<std::vector<std::string>> List(const Entry& entry, size_t from = 0) {
    std::vector<std::string> items;
    bool want_item = true;
    for (size_t index = from; index < entry.value.size(); ++index) {
      const Token& token = entry.value[index];
      if ((token.kind == Token::kString) != want_item || token.kind == Token::kBare)
        return std::nullopt;
      if (want_item) items.push_back(token.text);
      want_item = !want_item;
    }
    if (items.empty() || want_item) return std::nullopt;
    return items;
  }
  static std::optional<long> Integer(const Entry& entry) {
    if (entry.value.size() != 1 || entry.value[0].kind != Token::kBare ||
        !std::regex_match(entry.value[0].text, std::regex("-?[0-9]+")))
      return std::nullopt;
    return std::stol(entry.value[0].text);
  }

  void CheckTypesAndDuplicates() {
    std::set<std::string> keys;
    static const std::regex datetime(
        "(\\d{4})(0[1-9]|1[0-2])(0[1-9]|[12]\\d|3[01]) ([01]\\d|2[0-3]):[0-5]\\d");
    static const std::set<std::string> types = {"Content", "Time",  "Geographical",   "Ordinal",
                                                "Nominal", "Other", "Classificatory", "Unknown"};
    for (const auto& entry : entries_) {
      std::string key = entry.keyword + "[" + Lang(entry) + "]";
      for (const auto& spec : entry.specs) key += "\x1f" + spec;
      if (!keys.insert(key).second)
        Problem(entry.line, "duplicate",
                entry.keyword + " is given twice for the same language and specifiers");
      if (entry.keyword == "DATA") continue;
      if (kStringKeywords.count(entry.keyword) && !String(entry))
        Problem(entry.line, "type", entry.keyword + " must be a quoted string");
      if (kListKeywords.count(entry.keyword) && !List(entry))
        Problem(entry.line, "type", entry.keyword + " must be a list of quoted strings");
      if (kIntegerKeywords.count(entry.keyword) && !Integer(entry))
        Problem(entry.line, "type", entry.keyword + " must be a whole number");
      if ((entry.keyword == "CREATION-DATE" || entry.keyword == "LAST-UPDATED" ||
           entry.keyword == "NEXT-UPDATE") &&
          String(entry) && !std::regex_match(*String(entry), datetime))
        Problem(entry.line, "datetime", entry.keyword + " must be \"CCYYMMDD hh:mm\"");
      if (entry.keyword == "VARIABLE-TYPE" && String(entry) && !types.count(*String(entry)))
        Problem(entry.line, "variable-type",
                "VARIABLE-TYPE '" + *String(entry) + "' is not an allowed type");
      if (entry.keyword == "AXIS-VERSION" && String(entry) &&
          !std::regex_match(*String(entry), std::regex("\\d{4}")))
        Problem(entry.line, "type", "AXIS-VERSION must be a year such as \"2013\"");
    }
  }

  void CheckEncoding(std::string_view file) {
    const Entry* charset = Find("CHARSET", default_);
    const Entry* codepage = Find("CODEPAGE", default_);
    if (charset == nullptr || codepage == nullptr || !String(*charset) || !String(*codepage))
      return;
    std::string page = *String(*codepage);
    std::transform(page.begin(), page.end(), page.begin(),
                   [](unsigned char ch) { return std::toupper(ch); });
    const bool utf = page.rfind("UTF", 0) == 0;
    if (*String(*charset) == "Unicode") {
      if (page != "UTF-8")
        Problem(codepage->line, "charset",
                "CHARSET \"Unicode\" needs the CODEPAGE of the file's encoding, \"UTF-8\"");
    } else if (*String(*charset) == "ANSI") {
      if (utf)
        Problem(charset->line, "charset",
                "CHARSET \"ANSI\" does not match CODEPAGE \"" + page + "\": use \"Unicode\"");
    } else {
      Problem(charset->line, "charset", "CHARSET must be \"ANSI\" or \"Unicode\"");
    }
    size_t bad = 0;
    if (utf && !ValidUtf8(file, bad))
      Problem(static_cast<size_t>(std::count(file.begin(), file.begin() + bad, '\n') + 1),
              "encoding", "the bytes are not valid " + page);
  }

  void CheckMandatory() {
    for (const char* keyword : {"CHARSET", "AXIS-VERSION", "CODEPAGE", "LANGUAGE", "MATRIX",
                                "SUBJECT-CODE", "SUBJECT-AREA", "CONTENTS", "DECIMALS", "DATA"}) {
      if (std::none_of(entries_.begin(), entries_.end(),
                       [&](const Entry& entry) { return entry.keyword == keyword; }))
        Problem(0, keyword == std::string("DATA") ? "data-last" : "mandatory",
                std::string(keyword) + " is missing");
    }
    if (!Find("TITLE", default_) && !Find("DESCRIPTION", default_))
      Problem(0, "mandatory", "TITLE (or DESCRIPTION) is missing");
    if (!Find("STUB", default_) && !Find("HEADING", default_))
      Problem(0, "mandatory", "STUB and/or HEADING is missing");
  }

  void CheckLanguages() {
    languages_ = {default_};
    const Entry* languages = Find("LANGUAGES", default_);
    std::set<std::string> listed;
    const auto list = languages != nullptr ? List(*languages) : std::nullopt;
    if (list) {
      listed.insert(list->begin(), list->end());
      if (!listed.count(default_))
        Problem(languages->line, "languages", "LANGUAGES must hold LANGUAGE '" + default_ + "'");
      for (const auto& language : listed)
        if (language != default_) languages_.push_back(language);
    }
    for (const auto& entry : entries_) {
      if (entry.language.empty() || entry.language == default_) continue;
      if (!listed.count(entry.language)) {
        Problem(entry.line, "languages",
                entry.keyword + "[" + entry.language + "]: the language is not in LANGUAGES");
      } else if (entry.specs.empty() && !Find(entry.keyword, default_)) {
        Problem(entry.line, "languages", entry.keyword + " is missing in the default language");
      }
    }
    for (const auto& entry : entries_) {
      if (!entry.specs.empty() || entry.language.empty() || entry.keyword == "DATA") continue;
      for (const auto& language : languages_)
        if (!Find(entry.keyword, language))
          Problem(entry.line, "languages",
                  entry.keyword + " is missing for language '" + language + "'");
    }
  }

  Variables CheckVariables(const std::string& language) {
    Variables variables;
    const Entry* stub = Find("STUB", language);
    const Entry* heading = Find("HEADING", language);
    if (stub && List(*stub)) variables.stub = *List(*stub);
    if (heading && List(*heading)) variables.heading = *List(*heading);
    std::set<std::string> names;
    for (const auto* list : {&variables.stub, &variables.heading}) {
      for (const auto& name : *list) {
        if (!names.insert(name).second)
          Problem(0, "variables", "variable '" + name + "' is named twice in STUB/HEADING");
        const Entry* values = Find("VALUES", language, {name});
        const auto items = values ? List(*values) : std::nullopt;
        if (!items) {
          Problem(0, "values",
                  "VALUES(\"" + name + "\") is missing for language '" + language + "'");
          continue;
        }
        if (std::set<std::string>(items->begin(), items->end()).size() != items->size())
          Problem(values->line, "values", "VALUES(\"" + name + "\") repeats a value");
        variables.values[name] = *items;
      }
    }
    if (names.empty() && (stub || heading))
      Problem(0, "variables", "STUB and HEADING name no variable");
    if (!stub && !heading && language != default_)
      Problem(0, "languages", "STUB/HEADING are missing for language '" + language + "'");
    return variables;
  }

  void CheckSpecifiers() {
    for (const auto& entry : entries_) {
      if (entry.specs.empty() || entry.keyword.rfind("CELLNOTE", 0) == 0 ||
          entry.keyword == "DATANOTECELL")
        continue;
      const Variables& variables = variables_[Lang(entry)];
      if (kTableKeywords.count(entry.keyword) || entry.specs.size() > 2) {
        Problem(entry.line, "specifier", entry.keyword + " takes no such specifier");
      } else if (variables.Has(entry.specs[0])) {
        if (entry.specs.size() == 2 && !variables.HasValue(entry.specs[0], entry.specs[1]))
          Problem(entry.line, "specifier",
                  entry.keyword + ": '" + entry.specs[1] + "' is not a value of '" +
                      entry.specs[0] + "'");
      } else if (!(kContentKeywords.count(entry.keyword) && entry.specs.size() == 1 &&
                   IsContentValue(Lang(entry), entry.specs[0]))) {
        Problem(entry.line, "specifier",
                entry.keyword + ": '" + entry.specs[0] + "' is not a variable");
      }
    }
  }

  bool IsContentValue(const std::string& language, const std::string& value) const {
    const Entry* content = Find("CONTVARIABLE", language);
    if (!content || !String(*content)) return false;
    return variables_.at(language).HasValue(*String(*content), value);
  }

  // CODES, TIMEVAL and ELIMINATION against the variable's VALUES.
  void CheckVariableKeywords() {
    for (const auto& entry : entries_) {
      if (entry.specs.size() != 1) continue;
      const Variables& variables = variables_[Lang(entry)];
      if (!variables.Has(entry.specs[0])) continue;
      const auto& values = variables.values.at(entry.specs[0]);
      if (entry.keyword == "CODES" && List(entry)) {
        const auto codes = *List(entry);
        if (codes.size() != values.size())
          Problem(entry.line, "codes",
                  "CODES(\"" + entry.specs[0] + "\") has " + std::to_string(codes.size()) +
                      " codes for " + std::to_string(values.size()) + " values");
        if (std::set<std::string>(codes.begin(), codes.end()).size() != codes.size())
          Problem(entry.line, "codes", "CODES(\"" + entry.specs[0] + "\") repeats a code");
      } else if (entry.keyword == "TIMEVAL") {
        CheckTimeval(entry, values.size());
      } else if (entry.keyword == "ELIMINATION") {
        const bool yes_no = entry.value.size() == 1 && entry.value[0].kind == Token::kBare &&
                            (entry.value[0].text == "YES" || entry.value[0].text == "NO");
        const auto name = String(entry);
        if (!yes_no && !(name && std::find(values.begin(), values.end(), *name) != values.end()))
          Problem(entry.line, "elimination",
                  "ELIMINATION(\"" + entry.specs[0] + "\") must be YES, NO or one of its VALUES");
      }
    }
  }

  void CheckTimeval(const Entry& entry, size_t value_count) {
    static const std::map<std::string, std::string> stamps = {
        {"A1", "\\d{4}"},
        {"H1", "\\d{4}[12]"},
        {"T1", "\\d{4}[1-3]"},
        {"Q1", "\\d{4}[1-4]"},
        {"M1", "\\d{4}(0[1-9]|1[0-2])"},
        {"W1", "\\d{4}(0[1-9]|[1-4]\\d|5[0-3])"},
        {"D1", "\\d{4}(0[1-9]|1[0-2])(0[1-9]|[12]\\d|3[01])"}};
    std::smatch match;
    const std::string head = entry.value.empty() ? "" : entry.value[0].text;
    if (entry.value.empty() || entry.value[0].kind != Token::kBare ||
        !std::regex_match(
            head, match,
            std::regex("TLIST\\((A1|H1|T1|Q1|M1|W1|D1)(\\s*,\\s*\"(\\d+)-(\\d+)\")?\\)"))) {
      Problem(entry.line, "timeval", "TIMEVAL must start with TLIST(A1|H1|T1|Q1|M1|W1|D1)");
      return;
    }
    const std::regex stamp(stamps.at(match[1].str()));
    if (match[2].matched) {  // the range form: nothing may follow
      if (entry.value.size() != 1)
        Problem(entry.line, "timeval", "TIMEVAL's range form takes no list after it");
      if (!std::regex_match(match[3].str(), stamp) || !std::regex_match(match[4].str(), stamp))
        Problem(entry.line, "timeval", "TIMEVAL's range has a time stamp of the wrong form");
      return;
    }
    const auto list = entry.value.size() > 1 && entry.value[1].kind == Token::kComma
                          ? List(entry, 2)
                          : std::nullopt;
    if (!list) {
      Problem(entry.line, "timeval",
              "TIMEVAL: TLIST(..) must be followed by `,` and quoted time stamps");
      return;
    }
    if (list->size() != value_count)
      Problem(entry.line, "timeval",
              "TIMEVAL has " + std::to_string(list->size()) + " time stamps for " +
                  std::to_string(value_count) + " values");
    for (const auto& item : *list)
      if (!std::regex_match(item, stamp))
        Problem(entry.line, "timeval",
                "TIMEVAL time stamp '" + item + "' does not fit " + match[1].str());
  }

  void CheckContent() {
    for (const auto& language : languages_) {
      const Entry* content = Find("CONTVARIABLE", language);
      const Variables& variables = variables_[language];
      if (content == nullptr) {
        if (!Find("UNITS", language))
          Problem(0, "mandatory", "UNITS is missing for language '" + language + "'");
        continue;
      }
      const auto name = String(*content);
      if (!name || !variables.Has(*name)) {
        Problem(content->line, "contvariable", "CONTVARIABLE is not a variable of STUB or HEADING");
        continue;
      }
      for (const auto& value : variables.values.at(*name)) {
        for (const char* keyword : {"UNITS", "LAST-UPDATED"}) {
          if (!Find(keyword, language, {*name, value}) && !Find(keyword, language, {value}) &&
              !(keyword == std::string("LAST-UPDATED") && Find(keyword, language)))
            Problem(content->line, "contvariable",
                    std::string(keyword) + " is missing for content value '" + value + "'");
        }
      }
    }
  }

  void CheckDecimals() {
    for (const auto& entry : entries_) {
      const auto number = Integer(entry);
      if (!number) continue;
      if (entry.keyword == "DECIMALS" && (*number < 0 || *number > 15))
        Problem(entry.line, "decimals", "DECIMALS must be 0-15");
      if (entry.keyword == "PRECISION" && (*number < 0 || *number > 15))
        Problem(entry.line, "decimals", "PRECISION must be 0-15");
      if (entry.keyword == "SHOWDECIMALS") {
        const Entry* decimals = Find("DECIMALS", default_);
        const auto stored = decimals ? Integer(*decimals) : std::nullopt;
        if (*number < 0 || *number > 6 || (stored && *number > *stored))
          Problem(entry.line, "decimals", "SHOWDECIMALS must be 0-6 and no more than DECIMALS");
      }
    }
  }

  void CheckData() {
    const auto data = std::find_if(entries_.begin(), entries_.end(),
                                   [](const Entry& entry) { return entry.keyword == "DATA"; });
    if (data == entries_.end()) return;
    if (&*data != &entries_.back()) Problem(data->line, "data-last", "DATA must be the last entry");
    if (!data->language.empty() || !data->specs.empty())
      Problem(data->line, "syntax", "DATA takes no language or specifier");
    const Entry* decimals = Find("DECIMALS", default_);
    const long places = decimals && Integer(*decimals) ? *Integer(*decimals) : 15;
    static const std::regex number("-?\\d+(\\.(\\d+))?");
    static const std::set<std::string> symbols = {"\".\"",     "\"..\"",     "\"...\"", "\"....\"",
                                                  "\".....\"", "\"......\"", "\"-\""};
    size_t cells = 0;
    size_t line = data->line;
    std::set<char> separators;
    for (size_t start = 0; start <= data->data.size(); ++line) {
      size_t end = data->data.find('\n', start);
      const bool last = end == std::string::npos;
      if (last) end = data->data.size();
      std::string text = data->data.substr(start, end - start);
      if (!text.empty() && text.back() == '\r') text.pop_back();
      const size_t first = text.find_first_not_of(" \t");
      if (first != std::string::npos && !last && text.back() != ' ' && text.back() != '\t')
        Problem(line, "data-line-end", "a DATA line must end with a space or tab");
      for (size_t at = first; at != std::string::npos && at < text.size();) {
        const size_t stop = std::min(text.find_first_of(" \t", at), text.size());
        const std::string token = text.substr(at, stop - at);
        std::smatch match;
        if (std::regex_match(token, match, number)) {
          if (match[2].matched && static_cast<long>(match[2].length()) > places)
            Problem(line, "decimals", "data number " + token + " has more decimals than DECIMALS");
        } else if (!symbols.count(token)) {
          Problem(line, "data-token",
                  "'" + token + "' is neither a number nor a quoted dot or dash symbol");
        }
        ++cells;
        if (stop < text.size()) separators.insert(text[stop]);
        at = text.find_first_not_of(" \t", stop);
      }
      start = end + 1;
    }
    if (separators.size() > 1)
      Problem(data->line, "data-line-end", "DATA mixes spaces and tabs as separators");
    size_t expected = 1;
    const Variables& variables = variables_[default_];
    for (const auto* list : {&variables.stub, &variables.heading})
      for (const auto& name : *list)
        expected *= variables.Has(name) ? variables.values.at(name).size() : 1;
    if (cells != expected)
      Problem(data->line, "data-count",
              "DATA has " + std::to_string(cells) + " cells; STUB × HEADING needs " +
                  std::to_string(expected));
  }

  std::vector<Entry> entries_;
  Problems& problems_;
  std::string default_;
  std::vector<std::string> languages_;
  std::map<std::string, Variables> variables_;
};

}  // namespace

std::vector<PxProblem> ValidatePx(std::string_view file) {
  Problems problems;
  if (file.substr(0, 3) == "\xEF\xBB\xBF") file.remove_prefix(3);  // a UTF-8 byte order mark
  size_t line = 1;
  for (size_t start = 0; start < file.size(); ++line) {
    size_t end = file.find('\n', start);
    if (end == std::string_view::npos) end = file.size();
    size_t length = end - start;
    if (length > 0 && file[end - 1] == '\r') --length;
    if (length > kMaxLine)
      problems.push_back(
          {line, "line-length", "the line has " + std::to_string(length) + " bytes; at most 256"});
    start = end + 1;
  }
  std::vector<Entry> entries = ParsePx(file, problems);
  // After a syntax error the entries are not what the author meant: content checks on them
  // would only add noise.
  if (std::any_of(problems.begin(), problems.end(),
                  [](const PxProblem& problem) { return problem.rule == "syntax"; }))
    return problems;
  Checker(std::move(entries), problems).Run(file);
  return problems;
}

std::string Describe(const std::vector<PxProblem>& problems) {
  std::string text;
  for (const auto& problem : problems)
    text += "line " + std::to_string(problem.line) + " [" + problem.rule + "] " + problem.message +
            "\n";
  return text;
}

}  // namespace jobindsigt::exporting::testing
