#include "source_reader.h"

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <stdexcept>

namespace jobindsigt::test {

CsvFile ReadCsv(const std::filesystem::path& path) {
  std::ifstream input(path, std::ios::binary);
  if (!input) throw std::runtime_error("cannot read " + path.string());
  CsvFile file;
  std::getline(input, file.header);
  std::string line;
  while (std::getline(input, line)) {
    std::vector<std::string> fields;
    size_t start = 0;
    while (true) {
      const size_t end = line.find(';', start);
      fields.push_back(
          line.substr(start, end == std::string::npos ? std::string::npos : end - start));
      if (end == std::string::npos) break;
      start = end + 1;
    }
    file.rows.push_back(std::move(fields));
  }
  return file;
}

std::vector<std::string> DeliveryMonths(const std::filesystem::path& sources) {
  std::vector<std::string> months;
  for (const auto& entry : std::filesystem::directory_iterator(sources)) {
    const std::string name = entry.path().filename().string();
    if (entry.is_directory() && name.size() == 7 && name[4] == '-') months.push_back(name);
  }
  std::sort(months.begin(), months.end());
  return months;
}

std::map<std::string, std::vector<std::string>> LatestRecords(
    const std::filesystem::path& sources, const std::string& file_name,
    std::map<std::string, std::string>* first_seen) {
  std::map<std::string, std::vector<std::string>> latest;
  for (const auto& month : DeliveryMonths(sources)) {
    CsvFile file = ReadCsv(sources / month / file_name);
    for (auto& row : file.rows) {
      if (first_seen != nullptr) first_seen->emplace(row.front(), month);
      if (row.back() == "D") {
        latest.erase(row.front());
      } else {
        latest[row.front()] = std::move(row);
      }
    }
  }
  return latest;
}

int IsoDay(const std::string& text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-')
    throw std::runtime_error("not a date: " + text);
  int year = std::stoi(text.substr(0, 4));
  const int month = std::stoi(text.substr(5, 2));
  const int day = std::stoi(text.substr(8, 2));
  for (const char ch : text) {
    if (ch != '-' && (ch < '0' || ch > '9')) throw std::runtime_error("not a date: " + text);
  }
  const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  static constexpr int kDays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (month < 1 || month > 12 || day < 1 || day > kDays[month - 1] + (month == 2 && leap)) {
    throw std::runtime_error("not a date: " + text);
  }
  // Days from civil, written out independently of src/common/date.h.
  year -= month <= 2;
  const int era = year / 400;
  const int year_of_era = year - era * 400;
  const int day_of_year = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
  const int day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
  return era * 146097 + day_of_era - 719468;
}

std::string IsoMonthOfDay(int day) {
  // Walks whole years and months from 1970: slow but obviously right.
  int year = 1970;
  while (IsoDay(std::to_string(year + 1) + "-01-01") <= day) ++year;
  while (IsoDay(std::to_string(year) + "-01-01") > day) --year;
  int month = 12;
  char text[32];
  while (true) {
    std::snprintf(text, sizeof(text), "%04d-%02d-01", year, month);
    if (IsoDay(text) <= day) break;
    --month;
  }
  return std::string(text, 7);
}

std::string NextMonth(const std::string& month) {
  int year = std::stoi(month.substr(0, 4));
  int number = std::stoi(month.substr(5, 2)) + 1;
  if (number == 13) {
    number = 1;
    ++year;
  }
  char text[32];
  std::snprintf(text, sizeof(text), "%04d-%02d", year, number);
  return text;
}

}  // namespace jobindsigt::test
