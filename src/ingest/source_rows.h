#pragma once
// Rows read from source files, column by column, and what was set aside on the way.

#include <cstdint>
#include <limits>
#include <map>
#include <string>
#include <unordered_map>
#include <vector>

#include "common/date.h"
#include "ingest/person_table.h"
#include "ingest/source_spec.h"

namespace jobindsigt::ingest {

// An empty optional field in an integer column.
inline constexpr int64_t kMissing = std::numeric_limits<int64_t>::min();

// Every field type but decimals is held as an integer: ids and integers as they are, dates as
// day numbers, months as month indexes, codes as their index in the code list, municipalities
// as their code, enums as the index of the value, texts as an index into `texts`.
struct ColumnValues {
  std::vector<int64_t> ints;  // every type but decimals
  std::vector<double> reals;  // decimals only; NaN when empty
};

struct SourceRows {
  const SourceSpec* spec = nullptr;
  std::vector<ColumnValues> columns;  // one per declared field
  std::vector<std::string> texts;
  std::unordered_map<std::string, int64_t> text_index;
  std::vector<MonthIndex> delivery;  // the delivery month each row came in
  std::vector<int32_t> file_line;    // its line in that file (1 = header)

  explicit SourceRows(const SourceSpec* source = nullptr);
  size_t size() const { return delivery.size(); }
  int64_t Int(int field, size_t row) const { return columns[field].ints[row]; }
  double Real(int field, size_t row) const { return columns[field].reals[row]; }
  // Keeps the rows whose `keep` flag is set, in order.
  void Compact(const std::vector<bool>& keep);
  // Drops the rows but keeps the text dictionary, so indexes stay valid across deliveries.
  void ClearRows();
  // Appends row `row` of `other` (same source).
  void AppendRow(const SourceRows& other, size_t row);
};

struct QuarantinedRow {
  std::string file;  // delivery month / file name, e.g. 2024-03/benefits.csv
  int64_t line = 0;
  std::string field;
  std::string value;
  std::string reason;   // a stable code, e.g. not_a_date
  std::string message;  // what was expected, for a person
};

struct FileReport {
  std::string file;
  int64_t rows_read = 0;
  int64_t rows_loaded = 0;
  int64_t rows_quarantined = 0;
  std::map<std::string, int64_t> reasons;
  bool rejected = false;
  std::string rejection;
};

// The persons known so far, for "unknown person" and "before birth" checks.
using PersonBirths = PersonTable;

}  // namespace jobindsigt::ingest
