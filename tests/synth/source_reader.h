#pragma once
// A deliberately plain reader of generated deliveries for the tests: it parses the files of
// the data contract and applies the contract's replacement rules, without using any of the
// generator's code.

#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace jobindsigt::test {

struct CsvFile {
  std::string header;
  std::vector<std::vector<std::string>> rows;  // fields split on ';'
};

// Reads one file; the legacy payments file is ISO-8859-1 (it holds only ASCII here).
CsvFile ReadCsv(const std::filesystem::path& path);

// The delivery month folders (YYYY-MM) under a sources folder, in order.
std::vector<std::string> DeliveryMonths(const std::filesystem::path& sources);

// The latest version of every record with a record_id across all deliveries, deletions
// applied: record_id -> fields. `first_seen` gets the delivery month each id first came in.
std::map<std::string, std::vector<std::string>> LatestRecords(
    const std::filesystem::path& sources, const std::string& file_name,
    std::map<std::string, std::string>* first_seen = nullptr);

// Day number (days since 1970-01-01) of an ISO date; throws on anything else.
int IsoDay(const std::string& text);
// "YYYY-MM" of a day number, and the month after a "YYYY-MM".
std::string IsoMonthOfDay(int day);
std::string NextMonth(const std::string& month);

}  // namespace jobindsigt::test
