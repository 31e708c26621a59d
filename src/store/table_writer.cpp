#include "store/table_writer.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <limits>
#include <span>
#include <stdexcept>
#include <type_traits>
#include <utility>

#include "store/column_codec.h"
#include "store/file_io.h"
#include "store/table_format.h"

namespace jobindsigt::store {
namespace fs = std::filesystem;
namespace {

std::span<const std::byte> BytesOf(const auto& values) {
  return std::visit([](const auto& vector) { return std::as_bytes(std::span(vector)); }, values);
}

// (count + 1) uint32 offsets into the string bytes, then the bytes (UTF-8, no terminators).
std::vector<std::byte> EncodeDictionary(const std::vector<std::string>& values) {
  std::vector<uint32_t> offsets{0};
  uint64_t text_bytes = 0;
  for (const std::string& value : values) {
    text_bytes += value.size();
    if (text_bytes > std::numeric_limits<uint32_t>::max()) {
      throw std::logic_error("TableWriter: a dictionary's strings exceed 4 GiB");
    }
    offsets.push_back(static_cast<uint32_t>(text_bytes));
  }
  std::vector<std::byte> bytes(offsets.size() * sizeof(uint32_t) + text_bytes);
  std::memcpy(bytes.data(), offsets.data(), offsets.size() * sizeof(uint32_t));
  std::byte* text = bytes.data() + offsets.size() * sizeof(uint32_t);
  for (const std::string& value : values) {
    std::memcpy(text, value.data(), value.size());
    text += value.size();
  }
  return bytes;
}

// Block minima of `from`, then block maxima of `to`.
std::vector<std::byte> EncodeBlockIndex(std::span<const int32_t> from,
                                        std::span<const int32_t> to) {
  const size_t blocks = (from.size() + format::kBlockRows - 1) / format::kBlockRows;
  std::vector<int32_t> values(2 * blocks);
  for (size_t block = 0; block < blocks; ++block) {
    const size_t begin = block * format::kBlockRows;
    const size_t count = std::min<size_t>(format::kBlockRows, from.size() - begin);
    values[block] = *std::min_element(from.begin() + begin, from.begin() + begin + count);
    values[blocks + block] = *std::max_element(to.begin() + begin, to.begin() + begin + count);
  }
  const auto bytes = std::as_bytes(std::span(values));
  return std::vector<std::byte>(bytes.begin(), bytes.end());
}

// The byte ranges of the file after the header, in file order.
struct Piece {
  uint64_t offset;
  std::span<const std::byte> bytes;
};

format::Section Place(std::span<const std::byte> bytes, uint64_t& next_offset,
                      std::vector<Piece>& pieces) {
  const format::Section section{next_offset, bytes.size(), format::Xxh3(bytes)};
  pieces.push_back(Piece{next_offset, bytes});
  next_offset = format::AlignUp(next_offset + bytes.size());
  return section;
}

std::vector<std::byte> EncodeDirectory(const std::vector<format::ColumnEntry>& entries,
                                       const format::BlockIndexEntry& block_index,
                                       const std::string& names) {
  std::vector<std::byte> directory(format::DirectoryFixedBytes(entries.size()) + names.size());
  for (size_t i = 0; i < entries.size(); ++i) {
    format::EncodeColumnEntry(entries[i], directory.data() + i * format::kColumnEntryBytes);
  }
  format::EncodeBlockIndexEntry(block_index,
                                directory.data() + entries.size() * format::kColumnEntryBytes);
  std::memcpy(directory.data() + format::DirectoryFixedBytes(entries.size()), names.data(),
              names.size());
  return directory;
}

void WritePieces(const FileHandle& file, std::span<const std::byte> header,
                 const std::vector<Piece>& pieces) {
  static constexpr std::array<std::byte, format::kAlignment> kZeros{};
  file.WriteAll(header);
  uint64_t position = header.size();
  for (size_t i = 0; i < pieces.size(); ++i) {
    file.WriteAll(std::span(kZeros).first(pieces[i].offset - position));
    file.WriteAll(pieces[i].bytes);
    position = pieces[i].offset + pieces[i].bytes.size();
    if (i == pieces.size() / 2) CrashPoint("table-half-written");
  }
}

}  // namespace

void TableWriter::AddColumn(std::string_view name, ColumnType type, Values values, uint64_t rows) {
  if (name.empty() || name.size() > format::kMaxNameBytes) {
    throw std::logic_error(fmt::format("TableWriter: column name '{}' must have 1 to {} bytes",
                                       name, format::kMaxNameBytes));
  }
  if (std::any_of(columns_.begin(), columns_.end(),
                  [&](const Column& column) { return column.name == name; })) {
    throw std::logic_error(fmt::format("TableWriter: column '{}' added twice", name));
  }
  if (columns_.size() >= format::kMaxColumns) {
    throw std::logic_error("TableWriter: too many columns");
  }
  if (!columns_.empty() && rows != rows_) {
    throw std::logic_error(
        fmt::format("TableWriter: column '{}' has {} rows, the table has {}", name, rows, rows_));
  }
  rows_ = rows;
  columns_.push_back(Column{std::string(name), type, std::move(values), {}, false});
}

size_t TableWriter::IndexOf(std::string_view name) const {
  for (size_t i = 0; i < columns_.size(); ++i) {
    if (columns_[i].name == name) return i;
  }
  throw std::logic_error(fmt::format("TableWriter: no column '{}'", name));
}

void TableWriter::AddDictionary(std::string_view column, std::vector<std::string> values) {
  Column& target = columns_[IndexOf(column)];
  if (!IsIntegerType(target.type)) {
    throw std::logic_error(fmt::format("TableWriter: column '{}' holds {}, not integer codes",
                                       column, ColumnTypeName(target.type)));
  }
  const size_t size = values.size();
  std::visit(
      [&](const auto& codes) {
        if constexpr (std::is_integral_v<typename std::decay_t<decltype(codes)>::value_type>) {
          for (const auto code : codes) {
            if (std::cmp_less(code, 0) || std::cmp_greater_equal(code, size)) {
              throw std::logic_error(fmt::format(
                  "TableWriter: column '{}' has code {} outside its dictionary of {} values",
                  column, code, size));
            }
          }
        }
      },
      target.values);
  target.dictionary = std::move(values);
  target.has_dictionary = true;
}

void TableWriter::SetBlockIndex(std::string_view from_column, std::string_view to_column) {
  const size_t from = IndexOf(from_column);
  const size_t to = IndexOf(to_column);
  if (columns_[from].type != ColumnType::kInt32 || columns_[to].type != ColumnType::kInt32) {
    throw std::logic_error(
        fmt::format("TableWriter: block index columns '{}' and '{}' must be int32 day numbers",
                    from_column, to_column));
  }
  has_block_index_ = true;
  block_from_ = from;
  block_to_ = to;
}

uint64_t TableWriter::Write(const fs::path& path) const {
  std::vector<std::vector<std::byte>> dictionaries;
  dictionaries.reserve(columns_.size());  // pieces hold spans into them: no reallocation
  std::vector<std::vector<std::byte>> encoded(columns_.size());
  std::vector<Piece> pieces;
  std::vector<format::ColumnEntry> entries(columns_.size());
  std::string names;
  uint64_t next_offset = format::kHeaderBytes;
  for (size_t i = 0; i < columns_.size(); ++i) {
    const Column& column = columns_[i];
    format::ColumnEntry& entry = entries[i];
    entry.type = static_cast<uint8_t>(column.type);
    entry.name_offset = static_cast<uint32_t>(names.size());
    entry.name_bytes = static_cast<uint16_t>(column.name.size());
    names += column.name;
    const std::span<const std::byte> raw = BytesOf(column.values);
    entry.encoding = static_cast<uint8_t>(compress_ ? EncodeColumn(column.type, raw, encoded[i])
                                                    : ColumnEncoding::kPlain);
    entry.data = Place(encoded[i].empty() ? raw : encoded[i], next_offset, pieces);
    if (column.has_dictionary) {
      dictionaries.push_back(EncodeDictionary(column.dictionary));
      entry.dictionary = Place(dictionaries.back(), next_offset, pieces);
      entry.dictionary_count = static_cast<uint32_t>(column.dictionary.size());
    }
  }
  format::BlockIndexEntry block_index;
  std::vector<std::byte> block_bytes;
  if (has_block_index_) {
    block_bytes = EncodeBlockIndex(std::get<std::vector<int32_t>>(columns_[block_from_].values),
                                   std::get<std::vector<int32_t>>(columns_[block_to_].values));
    block_index.section = Place(block_bytes, next_offset, pieces);
    block_index.block_rows = format::kBlockRows;
    block_index.block_count = static_cast<uint32_t>(block_bytes.size() / 8);
    block_index.from_column = static_cast<uint32_t>(block_from_);
    block_index.to_column = static_cast<uint32_t>(block_to_);
  }

  const std::vector<std::byte> directory = EncodeDirectory(entries, block_index, names);
  format::Header header;
  header.row_count = rows_;
  header.column_count = static_cast<uint32_t>(columns_.size());
  header.directory = Place(directory, next_offset, pieces);
  std::array<std::byte, format::kHeaderBytes> header_bytes;
  format::EncodeHeader(header, header_bytes);

  const fs::path temporary = fs::path(path) += ".tmp";
  try {
    FileHandle file = OpenFile(temporary, O_WRONLY | O_CREAT | O_TRUNC);
    WritePieces(file, header_bytes, pieces);
    file.Sync();
    file.Close();
    CrashPoint("table-before-rename");
    RenamePath(temporary, path);
  } catch (...) {
    ::unlink(temporary.c_str());
    throw;
  }
  return header.directory.offset + header.directory.bytes;
}

}  // namespace jobindsigt::store
