#pragma once
// Reads a table file written by TableWriter through a read-only memory mapping: columns
// are spans into the file, never copied.
//
// Open checks the header, the directory's checksum and every offset and size, so no later
// access can read outside the file; a truncated, foreign, damaged or newer-format file
// throws UserError(kBadStore) naming the file. Column data is hashed only on demand
// (VerifyChecksums), because hashing gigabytes on every open would be too slow.
//
// Compressed columns (format version 2) are decoded on their first Column() call into
// memory the reader owns, once, also when several threads ask at the same time.
//
// The spans stay valid while any copy of the reader lives. Files are immutable once
// published; a file truncated by someone else while mapped ends the process with SIGBUS.

#include <cstdint>
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "store/column_codec.h"
#include "store/column_type.h"
#include "store/table_format.h"

namespace jobindsigt::store {

struct ColumnInfo {
  std::string name;
  ColumnType type;
  bool has_dictionary = false;
  ColumnEncoding encoding = ColumnEncoding::kPlain;  // how it is stored; Column() decodes
};

// Per block of `block_rows` rows (the last may be shorter): the smallest `from` day and
// the largest `to` day. A block whose range misses a query's period can be skipped.
struct BlockIndexView {
  uint32_t block_rows = 0;
  std::string_view from_column;
  std::string_view to_column;
  std::span<const int32_t> min_from_day;
  std::span<const int32_t> max_to_day;
};

class TableReader {
 public:
  static TableReader Open(const std::filesystem::path& path);

  const std::filesystem::path& path() const { return path_; }
  uint64_t rows() const { return rows_; }
  uint64_t file_bytes() const { return size_; }
  const std::vector<ColumnInfo>& columns() const { return infos_; }
  bool HasColumn(std::string_view name) const;

  // The column's values. Throws kBadStore when there is no such column or it holds
  // another type than T (the message names both).
  template <ColumnValue T>
  std::span<const T> Column(std::string_view name) const {
    const std::byte* data = ColumnData(name, ColumnTypeOf<T>());
    return {reinterpret_cast<const T*>(data), static_cast<size_t>(rows_)};
  }

  // The column's values as a copy the caller owns. A compressed column is decoded straight
  // into the copy and not kept by the reader: for loaders that copy every value anyway, so a
  // table's decoded columns are not all held at once. Throws as Column() does.
  template <ColumnValue T>
  std::vector<T> CopyColumn(std::string_view name) const {
    std::vector<T> values(static_cast<size_t>(rows_));
    CopyColumnData(name, ColumnTypeOf<T>(), std::as_writable_bytes(std::span<T>(values)));
    return values;
  }

  // The strings of a code column: code i stands for Dictionary(name)[i]. The views point
  // into the file. Throws kBadStore when the column has no dictionary.
  std::span<const std::string_view> Dictionary(std::string_view name) const;

  std::optional<BlockIndexView> BlockIndex() const { return block_index_; }

  // Hashes every section and checks that the padding between them is zero, so every byte
  // of the file is covered. Returns what is wrong, each naming the file; empty when intact.
  std::vector<std::string> VerifyChecksums() const;

 private:
  struct Slot {
    format::ColumnEntry entry;
    std::vector<std::string_view> dictionary;
  };

  // Decoded values of compressed columns, shared by the copies of a reader.
  struct DecodedColumns {
    struct AlignedFree {
      void operator()(std::byte* bytes) const { ::operator delete[](bytes, std::align_val_t{64}); }
    };
    struct Column {
      std::once_flag once;
      std::unique_ptr<std::byte[], AlignedFree> values;  // 64-aligned, like mapped columns
    };
    explicit DecodedColumns(size_t count) : columns(count) {}
    std::vector<Column> columns;
  };

  TableReader() = default;
  size_t IndexOf(std::string_view name) const;
  const std::byte* ColumnData(std::string_view name, ColumnType type) const;
  void CopyColumnData(std::string_view name, ColumnType type, std::span<std::byte> out) const;
  void ReadDirectory(const format::Header& header);
  void ReadColumn(uint32_t index, std::span<const std::byte> names);
  void ReadDictionary(Slot& slot, std::string_view name);
  void ReadBlockIndex(const format::BlockIndexEntry& entry);
  [[noreturn]] void Damaged(std::string_view what) const;

  std::filesystem::path path_;
  std::shared_ptr<const std::byte> mapping_;
  const std::byte* base_ = nullptr;
  uint64_t size_ = 0;
  uint64_t rows_ = 0;
  uint32_t version_ = 0;
  format::Section directory_;
  std::vector<ColumnInfo> infos_;
  std::vector<Slot> slots_;
  std::optional<BlockIndexView> block_index_;
  format::Section block_section_;
  std::shared_ptr<DecodedColumns> decoded_;
};

}  // namespace jobindsigt::store
