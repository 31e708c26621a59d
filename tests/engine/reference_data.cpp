#include "reference_data.h"

#include <toml++/toml.h>

#include <algorithm>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace jobindsigt::test {
namespace {

namespace fs = std::filesystem;

// A source's declared format: only what this reader needs of catalog/dataflows.
struct Format {
  std::string file;
  std::string encoding = "UTF-8";
  char separator = ';';
  char decimal_mark = '.';
  std::string date_format = "YYYY-MM-DD";
  std::string month_format = "YYYY-MM";
  std::vector<std::string> columns;
  std::vector<std::string> key;
  std::string status_column;
};

void ApplyFormat(const toml::table& table, Format& format) {
  if (auto value = table["encoding"].value<std::string>()) format.encoding = *value;
  if (auto value = table["separator"].value<std::string>()) format.separator = value->at(0);
  if (auto value = table["decimal_mark"].value<std::string>()) format.decimal_mark = value->at(0);
  if (auto value = table["date_format"].value<std::string>()) format.date_format = *value;
  if (auto value = table["month_format"].value<std::string>()) format.month_format = *value;
}

Format LoadFormat(const fs::path& catalog_dir, const std::string& source) {
  Format format;
  const toml::table defaults =
      toml::parse_file((catalog_dir / "dataflows" / "defaults.toml").string());
  if (const auto* table = defaults["format"].as_table()) ApplyFormat(*table, format);
  const toml::table spec =
      toml::parse_file((catalog_dir / "dataflows" / "sources" / (source + ".toml")).string());
  ApplyFormat(spec, format);
  format.file = spec["file"].value_or(source + ".csv");
  format.status_column = spec["status_column"].value_or(std::string());
  if (const auto* key = spec["key"].as_array()) {
    for (const auto& node : *key) format.key.push_back(node.value_or(std::string()));
  }
  if (const auto* columns = spec["column"].as_array()) {
    for (const auto& node : *columns) {
      format.columns.push_back((*node.as_table())["name"].value_or(std::string()));
    }
  }
  return format;
}

std::string Latin1ToUtf8(const std::string& text) {
  std::string out;
  for (const unsigned char ch : text) {
    if (ch < 0x80) {
      out += static_cast<char>(ch);
    } else {
      out += static_cast<char>(0xC0 | (ch >> 6));
      out += static_cast<char>(0x80 | (ch & 0x3F));
    }
  }
  return out;
}

std::vector<std::string> Split(const std::string& line, char separator) {
  std::vector<std::string> fields;
  std::string field;
  std::istringstream stream(line);
  while (std::getline(stream, field, separator)) fields.push_back(field);
  if (!line.empty() && line.back() == separator) fields.emplace_back();
  return fields;
}

// A source's rows with their column index, after versions and keys are applied.
struct Table {
  std::map<std::string, size_t> column;
  std::vector<std::vector<std::string>> rows;
  const std::string& Get(const std::vector<std::string>& row, const std::string& name) const {
    return row.at(column.at(name));
  }
};

[[noreturn]] void Fail(const fs::path& path, size_t line, const std::string& what) {
  throw std::runtime_error(path.string() + ":" + std::to_string(line) + ": " + what);
}

// Reads one source across all deliveries. In delivery order and row order, a row replaces
// the live row with the same key; with a status column, status D deletes it.
Table ReadSource(const fs::path& sources, const std::vector<std::string>& months,
                 const Format& format) {
  Table table;
  for (size_t i = 0; i < format.columns.size(); ++i) table.column[format.columns[i]] = i;
  std::map<std::string, std::vector<std::string>> live;
  for (const auto& month : months) {
    const fs::path path = sources / month / format.file;
    std::ifstream input(path, std::ios::binary);
    if (!input) Fail(path, 0, "cannot open");
    std::string line;
    size_t number = 0;
    while (std::getline(input, line)) {
      ++number;
      if (!line.empty() && line.back() == '\r') line.pop_back();
      if (format.encoding == "ISO-8859-1") line = Latin1ToUtf8(line);
      std::vector<std::string> fields = Split(line, format.separator);
      if (number == 1) {
        if (fields != format.columns) Fail(path, number, "unexpected header " + line);
        continue;
      }
      if (fields.size() != format.columns.size()) Fail(path, number, "field count: " + line);
      std::string key;
      for (const auto& name : format.key) key += fields[table.column.at(name)] + '\x1f';
      if (!format.status_column.empty() && table.Get(fields, format.status_column) == "D") {
        live.erase(key);
      } else {
        live[key] = std::move(fields);
      }
    }
  }
  for (auto& [key, row] : live) table.rows.push_back(std::move(row));
  return table;
}

int Digits(const std::string& text, size_t at, size_t count) {
  int value = 0;
  for (size_t i = at; i < at + count; ++i) {
    if (i >= text.size() || text[i] < '0' || text[i] > '9') {
      throw std::runtime_error("not a number in a date: " + text);
    }
    value = value * 10 + (text[i] - '0');
  }
  return value;
}

DayNumber ParseDay(const std::string& text, const std::string& date_format) {
  if (text.size() != 10) throw std::runtime_error("not a date: " + text);
  if (date_format == "DD-MM-YYYY") {
    return DaysFromCivil(Digits(text, 6, 4), Digits(text, 3, 2), Digits(text, 0, 2));
  }
  return DaysFromCivil(Digits(text, 0, 4), Digits(text, 5, 2), Digits(text, 8, 2));
}

MonthIndex ParseMonthText(const std::string& text, const std::string& month_format) {
  if (text.size() != 7) throw std::runtime_error("not a month: " + text);
  if (month_format == "MM-YYYY") return MakeMonth(Digits(text, 3, 4), Digits(text, 0, 2));
  return MakeMonth(Digits(text, 0, 4), Digits(text, 5, 2));
}

double ParseDecimal(std::string text, char decimal_mark) {
  std::replace(text.begin(), text.end(), decimal_mark, '.');
  size_t used = 0;
  const double value = std::stod(text, &used);
  if (used != text.size()) throw std::runtime_error("not a decimal: " + text);
  return value;
}

// Money as whole øre, so that sums are exact on this side.
int64_t ParseCents(const std::string& text, char decimal_mark) {
  const size_t mark = text.find(decimal_mark);
  const std::string whole = text.substr(0, mark);
  std::string fraction = mark == std::string::npos ? "" : text.substr(mark + 1);
  if (fraction.size() > 2) throw std::runtime_error("more than two decimals: " + text);
  fraction.resize(2, '0');
  return std::stoll(whole) * 100 + std::stoll(fraction);
}

}  // namespace

SourceData ReadSources(const fs::path& sources, const fs::path& catalog_dir) {
  std::vector<std::string> months;
  for (const auto& entry : fs::directory_iterator(sources)) {
    const std::string name = entry.path().filename().string();
    if (entry.is_directory() && name.size() == 7 && name[4] == '-') months.push_back(name);
  }
  std::sort(months.begin(), months.end());
  if (months.empty()) throw std::runtime_error("no deliveries in " + sources.string());

  SourceData data;
  data.first_month = ParseMonthText(months.front(), "YYYY-MM");
  data.last_month = ParseMonthText(months.back(), "YYYY-MM");
  data.cut_off = LastDayOfMonth(data.last_month);
  auto read = [&](const std::string& source) {
    const Format format = LoadFormat(catalog_dir, source);
    return std::make_pair(format, ReadSource(sources, months, format));
  };
  // An interval clamped to the cut-off day; nullopt when it starts after it.
  auto clamp = [&](DayNumber from, const std::string& to,
                   const Format& format) -> std::optional<std::pair<DayNumber, DayNumber>> {
    if (from > data.cut_off) return std::nullopt;
    const DayNumber end = to.empty() ? data.cut_off : ParseDay(to, format.date_format);
    return std::make_pair(from, std::min(end, data.cut_off));
  };

  {
    const auto [format, table] = read("persons");
    for (const auto& row : table.rows) {
      data.persons[std::stoll(table.Get(row, "person_id"))] = {
          ParseDay(table.Get(row, "birth_date"), format.date_format), table.Get(row, "sex"),
          table.Get(row, "origin"), table.Get(row, "education")};
    }
  }
  {
    const auto [format, table] = read("residence");
    for (const auto& row : table.rows) {
      data.moves[std::stoll(table.Get(row, "person_id"))]
                [ParseDay(table.Get(row, "from_date"), format.date_format)] =
          std::stoi(table.Get(row, "municipality_code"));
    }
  }
  {
    const auto [format, table] = read("benefits");
    for (const auto& row : table.rows) {
      const auto interval = clamp(ParseDay(table.Get(row, "from_date"), format.date_format),
                                  table.Get(row, "to_date"), format);
      if (!interval) continue;
      data.benefits.push_back(
          {std::stoll(table.Get(row, "record_id")), std::stoll(table.Get(row, "person_id")),
           table.Get(row, "benefit_code"), std::stoi(table.Get(row, "municipality_code")),
           interval->first, interval->second,
           ParseDecimal(table.Get(row, "degree"), format.decimal_mark),
           table.Get(row, "visitation"), table.Get(row, "unemployment_fund")});
    }
  }
  {
    const auto [format, table] = read("offers");
    for (const auto& row : table.rows) {
      const auto interval = clamp(ParseDay(table.Get(row, "from_date"), format.date_format),
                                  table.Get(row, "to_date"), format);
      if (!interval) continue;
      data.offers.push_back({std::stoll(table.Get(row, "person_id")), table.Get(row, "offer_type"),
                             table.Get(row, "provider"), interval->first, interval->second});
    }
  }
  {
    const auto [format, table] = read("meetings");
    for (const auto& row : table.rows) {
      RefMeeting meeting;
      meeting.record_id = std::stoll(table.Get(row, "record_id"));
      meeting.person = std::stoll(table.Get(row, "person_id"));
      meeting.municipality = std::stoi(table.Get(row, "municipality_code"));
      meeting.due = ParseDay(table.Get(row, "due_date"), format.date_format);
      if (!table.Get(row, "held_date").empty()) {
        meeting.held = ParseDay(table.Get(row, "held_date"), format.date_format);
      }
      meeting.outcome = table.Get(row, "outcome");
      data.meetings.push_back(meeting);
    }
  }
  {
    const auto [format, table] = read("payments");
    for (const auto& row : table.rows) {
      data.payments.push_back({std::stoll(table.Get(row, "person_id")),
                               ParseMonthText(table.Get(row, "month"), format.month_format),
                               table.Get(row, "benefit_code"),
                               std::stoi(table.Get(row, "municipality_code")),
                               ParseCents(table.Get(row, "gross_dkk"), format.decimal_mark),
                               ParseCents(table.Get(row, "refund_dkk"), format.decimal_mark)});
    }
  }
  {
    const auto [format, table] = read("employment");
    for (const auto& row : table.rows) {
      if (std::stoi(table.Get(row, "paid_hours")) < 1) continue;
      data.employed.emplace(std::stoll(table.Get(row, "person_id")),
                            ParseMonthText(table.Get(row, "month"), format.month_format));
    }
  }
  {
    const auto [format, table] = read("education");
    for (const auto& row : table.rows) {
      const auto interval = clamp(ParseDay(table.Get(row, "from_date"), format.date_format),
                                  table.Get(row, "to_date"), format);
      if (!interval) continue;
      data.enrolments.push_back(
          {std::stoll(table.Get(row, "person_id")), interval->first, interval->second});
    }
  }
  return data;
}

}  // namespace jobindsigt::test
