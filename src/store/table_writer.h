#pragma once
// Writes one table file: named, typed columns of equal length, optional string
// dictionaries for code columns and an optional block index for skipping by time.
// The format is in docs/internals/storage.md; TableReader reads it.
//
//   TableWriter table;
//   table.Add<int32_t>("person", std::move(persons));
//   table.Add<uint8_t>("benefit", std::move(benefit_codes));
//   table.AddDictionary("benefit", {"dagpenge", "kontanthjaelp"});
//   table.SetBlockIndex("from_day", "to_day");
//   table.Write(release.Path("shard-000/benefits.tbl"));
//
// Misuse (unequal lengths, unknown names, codes outside their dictionary) is a programmer
// error and throws std::logic_error before anything is written.

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "store/column_type.h"

namespace jobindsigt::store {

class TableWriter {
 public:
  // Columns are stored in the order they are added. The writer keeps the vector (moved in)
  // until Write, so a column is never copied.
  template <ColumnValue T>
  void Add(std::string_view name, std::vector<T> values);

  // Strings for the codes of an integer column: code i stands for values[i]. Every code in
  // the column must be in [0, values.size()).
  void AddDictionary(std::string_view column, std::vector<std::string> values);

  // For each block of 4096 rows, stores min(from_column) and max(to_column). Both columns
  // must be int32 day numbers; an open end should be stored as a day after any query.
  void SetBlockIndex(std::string_view from_column, std::string_view to_column);

  uint64_t rows() const { return rows_; }

  // Columns are compressed (zstd, sorted ones as differences) when that saves space; off,
  // every column is stored as plain values, as in format version 1.
  void SetCompression(bool on) { compress_ = on; }

  // Writes the file through `path + ".tmp"`, fsync and rename, so `path` is either absent
  // or complete. Returns the file's size. The caller makes the folder durable (a release
  // fsyncs all of its folders when it is published). Throws UserError(kIoFailure).
  uint64_t Write(const std::filesystem::path& path) const;

 private:
  using Values = std::variant<std::vector<int8_t>, std::vector<uint8_t>, std::vector<int16_t>,
                              std::vector<uint16_t>, std::vector<int32_t>, std::vector<int64_t>,
                              std::vector<double>>;
  struct Column {
    std::string name;
    ColumnType type;
    Values values;
    std::vector<std::string> dictionary;
    bool has_dictionary = false;
  };

  void AddColumn(std::string_view name, ColumnType type, Values values, uint64_t rows);
  size_t IndexOf(std::string_view name) const;

  std::vector<Column> columns_;
  uint64_t rows_ = 0;
  bool has_block_index_ = false;
  bool compress_ = true;
  size_t block_from_ = 0;
  size_t block_to_ = 0;
};

template <ColumnValue T>
void TableWriter::Add(std::string_view name, std::vector<T> values) {
  const uint64_t rows = values.size();
  AddColumn(name, ColumnTypeOf<T>(), Values(std::move(values)), rows);
}

}  // namespace jobindsigt::store
