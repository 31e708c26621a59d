#include "store/table_reader.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <limits>
#include <mutex>
#include <tuple>

#include "common/error.h"
#include "store/column_codec.h"
#include "store/file_io.h"

namespace jobindsigt::store {
namespace fs = std::filesystem;
namespace {

std::shared_ptr<const std::byte> MapFile(const fs::path& path, uint64_t& size) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    throw UserError(ErrorCode::kBadStore, fmt::format("cannot open table file {}: {}",
                                                      path.string(), std::strerror(errno)));
  }
  const FileHandle file(fd, path);
  struct stat status {};
  if (::fstat(fd, &status) != 0 || !S_ISREG(status.st_mode)) {
    throw UserError(ErrorCode::kBadStore,
                    fmt::format("table file {} is not a regular file", path.string()));
  }
  size = static_cast<uint64_t>(status.st_size);
  if (size < format::kHeaderBytes) return nullptr;  // too short to map usefully; caller says so
  void* address = ::mmap(nullptr, size, PROT_READ, MAP_SHARED, fd, 0);
  if (address == MAP_FAILED) {
    throw UserError(ErrorCode::kIoFailure, fmt::format("cannot map table file {}: {}",
                                                       path.string(), std::strerror(errno)));
  }
  return std::shared_ptr<const std::byte>(
      static_cast<const std::byte*>(address),
      [size](const std::byte* bytes) { ::munmap(const_cast<std::byte*>(bytes), size); });
}

[[noreturn]] void Refuse(const fs::path& path, std::string_view what) {
  throw UserError(ErrorCode::kBadStore, fmt::format("table file {} {}", path.string(), what));
}

constexpr uint32_t kSwappedEndianMark = 0x04030201;

bool FitsWithin(const format::Section& section, uint64_t limit) {
  return section.offset <= limit && section.bytes <= limit - section.offset;
}

// Checks what only the first 16 bytes can tell: is this a table file of a format we read?
format::Header ReadHeader(const fs::path& path, const std::byte* base, uint64_t size) {
  if (size >= format::kMagic.size() &&
      std::memcmp(base, format::kMagic.data(), format::kMagic.size()) != 0) {
    Refuse(path, "is not a Jobindsigt table file (it does not start with JOBSTORE)");
  }
  if (size < format::kHeaderBytes) {
    Refuse(path, fmt::format("is truncated: it has {} bytes, a table file at least {}", size,
                             format::kHeaderBytes));
  }
  const std::span<const std::byte, format::kHeaderBytes> bytes(base, format::kHeaderBytes);
  const format::Header header = format::DecodeHeader(bytes);
  if (header.version > format::kVersion) {
    Refuse(path, fmt::format("was written by a newer Jobindsigt (table format version {}; this "
                             "build reads version {}): upgrade Jobindsigt to read it",
                             header.version, format::kVersion));
  }
  if (header.endian_mark == kSwappedEndianMark) {
    Refuse(path, "was written on a machine of the other byte order");
  }
  if (header.version < format::kOldestVersion || header.endian_mark != format::kEndianMark ||
      format::HeaderChecksum(bytes) != format::StoredHeaderChecksum(bytes)) {
    Refuse(path, "is damaged: its header checksum does not match");
  }
  const format::Section& directory = header.directory;
  if (!FitsWithin(directory, size) || directory.offset + directory.bytes < size) {
    Refuse(path, fmt::format("is truncated or damaged: its directory claims bytes {} to {} "
                             "but the file has {} bytes",
                             directory.offset, directory.offset + directory.bytes, size));
  }
  return header;
}

}  // namespace

TableReader TableReader::Open(const fs::path& path) {
  TableReader reader;
  reader.path_ = path;
  reader.mapping_ = MapFile(path, reader.size_);
  reader.base_ = reader.mapping_.get();
  if (reader.base_ == nullptr) {
    // Too short to map: read what there is to say whether it is foreign or truncated.
    const std::string head = ReadSmallFile(path, format::kHeaderBytes, "table file");
    ReadHeader(path, reinterpret_cast<const std::byte*>(head.data()), head.size());
    Refuse(path, "is truncated");
  }
  const format::Header header = ReadHeader(path, reader.base_, reader.size_);
  reader.rows_ = header.row_count;
  reader.version_ = header.version;
  reader.ReadDirectory(header);
  reader.decoded_ = std::make_shared<DecodedColumns>(reader.slots_.size());
  return reader;
}

void TableReader::Damaged(std::string_view what) const {
  Refuse(path_, fmt::format("is damaged: {}", what));
}

void TableReader::ReadDirectory(const format::Header& header) {
  directory_ = header.directory;
  const uint64_t fixed_bytes = format::DirectoryFixedBytes(header.column_count);
  if (header.column_count > format::kMaxColumns || directory_.bytes < fixed_bytes ||
      directory_.offset < format::kHeaderBytes || directory_.offset % format::kAlignment != 0) {
    Damaged(fmt::format("its directory ({} bytes at {}) cannot hold {} columns", directory_.bytes,
                        directory_.offset, header.column_count));
  }
  const std::span<const std::byte> directory(base_ + directory_.offset, directory_.bytes);
  if (format::Xxh3(directory) != directory_.xxh3) {
    Damaged("its directory checksum does not match");
  }
  const std::span<const std::byte> names = directory.subspan(fixed_bytes);
  for (uint32_t i = 0; i < header.column_count; ++i) ReadColumn(i, names);
  ReadBlockIndex(format::DecodeBlockIndexEntry(directory.data() +
                                               header.column_count * format::kColumnEntryBytes));
}

void TableReader::ReadColumn(uint32_t index, std::span<const std::byte> names) {
  Slot slot{
      format::DecodeColumnEntry(base_ + directory_.offset + index * format::kColumnEntryBytes), {}};
  const format::ColumnEntry& entry = slot.entry;
  if (entry.name_bytes == 0 || entry.name_offset > names.size() ||
      entry.name_bytes > names.size() - entry.name_offset) {
    Damaged(fmt::format("column {} has its name outside the directory", index));
  }
  const std::string_view name(reinterpret_cast<const char*>(names.data()) + entry.name_offset,
                              entry.name_bytes);
  const auto type = static_cast<ColumnType>(entry.type);
  const uint64_t value_bytes = ColumnTypeBytes(type);
  if (value_bytes == 0) {
    Damaged(fmt::format("column '{}' has unknown type number {}", name, entry.type));
  }
  if (HasColumn(name)) Damaged(fmt::format("column '{}' appears twice", name));
  if (!IsKnownEncoding(entry.encoding) || (version_ < 2 && entry.encoding != 0)) {
    Damaged(fmt::format("column '{}' has unknown encoding number {}", name, entry.encoding));
  }
  // A plain column holds exactly its values; an encoded one some bytes that decode to them.
  const bool plain = entry.encoding == static_cast<uint8_t>(ColumnEncoding::kPlain);
  const bool size_fits =
      plain ? rows_ <= directory_.offset / value_bytes && entry.data.bytes == rows_ * value_bytes
            : rows_ <= std::numeric_limits<uint64_t>::max() / 16 && entry.data.bytes > 0;
  if (!size_fits || entry.data.offset < format::kHeaderBytes ||
      entry.data.offset % format::kAlignment != 0 || !FitsWithin(entry.data, directory_.offset)) {
    Damaged(fmt::format("column '{}' ({} rows of {}) does not fit at bytes {} to {}", name, rows_,
                        ColumnTypeName(type), entry.data.offset,
                        entry.data.offset + entry.data.bytes));
  }
  if (entry.dictionary.offset != 0) {
    if (!IsIntegerType(type)) Damaged(fmt::format("float column '{}' has a dictionary", name));
    ReadDictionary(slot, name);
  } else if (entry.dictionary.bytes != 0 || entry.dictionary_count != 0) {
    Damaged(fmt::format("column '{}' has a dictionary without an offset", name));
  }
  infos_.push_back(ColumnInfo{std::string(name), type, entry.dictionary.offset != 0,
                              static_cast<ColumnEncoding>(entry.encoding)});
  slots_.push_back(std::move(slot));
}

void TableReader::ReadDictionary(Slot& slot, std::string_view name) {
  const format::Section& section = slot.entry.dictionary;
  const uint64_t count = slot.entry.dictionary_count;
  if (section.offset < format::kHeaderBytes || section.offset % format::kAlignment != 0 ||
      !FitsWithin(section, directory_.offset) || count >= section.bytes / sizeof(uint32_t)) {
    Damaged(fmt::format("the dictionary of column '{}' does not fit in the file", name));
  }
  const uint64_t offsets_bytes = (count + 1) * sizeof(uint32_t);
  const uint64_t text_bytes = section.bytes - offsets_bytes;
  const std::byte* offsets = base_ + section.offset;
  const auto* text = reinterpret_cast<const char*>(offsets + offsets_bytes);
  uint32_t previous = 0;
  slot.dictionary.reserve(count);
  for (uint64_t i = 0; i <= count; ++i) {
    uint32_t offset;
    std::memcpy(&offset, offsets + i * sizeof(uint32_t), sizeof offset);
    if (offset < previous || offset > text_bytes || (i == 0 && offset != 0) ||
        (i == count && offset != text_bytes)) {
      Damaged(fmt::format("the dictionary of column '{}' has a bad offset at entry {}", name, i));
    }
    if (i > 0) slot.dictionary.emplace_back(text + previous, offset - previous);
    previous = offset;
  }
}

void TableReader::ReadBlockIndex(const format::BlockIndexEntry& entry) {
  block_section_ = entry.section;
  if (entry.section.offset == 0) {
    if (entry.section.bytes != 0 || entry.block_count != 0 ||
        entry.from_column != format::kNoColumn || entry.to_column != format::kNoColumn) {
      Damaged("its block index has no offset but claims blocks or columns");
    }
    return;
  }
  const uint64_t block_rows = entry.block_rows;
  const uint64_t expected_blocks = block_rows == 0 ? 0 : (rows_ + block_rows - 1) / block_rows;
  const auto is_day_column = [&](uint32_t column) {
    return column < slots_.size() && infos_[column].type == ColumnType::kInt32;
  };
  if (block_rows == 0 || entry.block_count != expected_blocks ||
      entry.section.bytes != 2 * sizeof(int32_t) * expected_blocks ||
      entry.section.offset < format::kHeaderBytes ||
      entry.section.offset % format::kAlignment != 0 ||
      !FitsWithin(entry.section, directory_.offset) || !is_day_column(entry.from_column) ||
      !is_day_column(entry.to_column)) {
    Damaged(
        fmt::format("its block index ({} blocks of {} rows at byte {}) does not fit its {} "
                    "rows and columns",
                    entry.block_count, block_rows, entry.section.offset, rows_));
  }
  const auto* values = reinterpret_cast<const int32_t*>(base_ + entry.section.offset);
  const auto mapped_name = [&](uint32_t column) {
    const format::ColumnEntry& column_entry = slots_[column].entry;
    const auto* names = reinterpret_cast<const char*>(base_ + directory_.offset +
                                                      format::DirectoryFixedBytes(slots_.size()));
    return std::string_view(names + column_entry.name_offset, column_entry.name_bytes);
  };
  block_index_ = BlockIndexView{entry.block_rows, mapped_name(entry.from_column),
                                mapped_name(entry.to_column), std::span(values, entry.block_count),
                                std::span(values + entry.block_count, entry.block_count)};
}

bool TableReader::HasColumn(std::string_view name) const {
  return std::any_of(infos_.begin(), infos_.end(),
                     [&](const ColumnInfo& info) { return info.name == name; });
}

size_t TableReader::IndexOf(std::string_view name) const {
  for (size_t i = 0; i < infos_.size(); ++i) {
    if (infos_[i].name == name) return i;
  }
  std::string known;
  for (const ColumnInfo& info : infos_) known += (known.empty() ? "" : ", ") + info.name;
  throw UserError(ErrorCode::kBadStore, fmt::format("table file {} has no column '{}' (it has: {})",
                                                    path_.string(), name, known));
}

const std::byte* TableReader::ColumnData(std::string_view name, ColumnType type) const {
  const size_t index = IndexOf(name);
  if (infos_[index].type != type) {
    throw UserError(ErrorCode::kBadStore,
                    fmt::format("table file {}: column '{}' holds {}, not {}", path_.string(), name,
                                ColumnTypeName(infos_[index].type), ColumnTypeName(type)));
  }
  const format::ColumnEntry& entry = slots_[index].entry;
  if (entry.encoding == static_cast<uint8_t>(ColumnEncoding::kPlain)) {
    return base_ + entry.data.offset;
  }
  // Decoded once, on first use, into memory every copy of this reader shares.
  DecodedColumns::Column& decoded = decoded_->columns[index];
  std::call_once(decoded.once, [&] {
    const uint64_t bytes = rows_ * ColumnTypeBytes(type);
    std::unique_ptr<std::byte[], DecodedColumns::AlignedFree> values(
        static_cast<std::byte*>(::operator new[](bytes + 1, std::align_val_t{64})));
    const std::span<std::byte> out(values.get(), bytes);
    if (!DecodeColumn(type, static_cast<ColumnEncoding>(entry.encoding),
                      {base_ + entry.data.offset, entry.data.bytes}, out)) {
      Damaged(fmt::format("column '{}' does not decompress to its {} values", name, rows_));
    }
    decoded.values = std::move(values);
  });
  return decoded.values.get();
}

void TableReader::CopyColumnData(std::string_view name, ColumnType type,
                                 std::span<std::byte> out) const {
  const size_t index = IndexOf(name);
  const format::ColumnEntry& entry = slots_[index].entry;
  if (entry.encoding == static_cast<uint8_t>(ColumnEncoding::kPlain)) {
    const std::byte* data = ColumnData(name, type);  // checks the type
    std::copy(data, data + out.size(), out.begin());
    return;
  }
  if (infos_[index].type != type) ColumnData(name, type);  // throws, naming both types
  if (!DecodeColumn(type, static_cast<ColumnEncoding>(entry.encoding),
                    {base_ + entry.data.offset, entry.data.bytes}, out)) {
    Damaged(fmt::format("column '{}' does not decompress to its {} values", name, rows_));
  }
}

std::span<const std::string_view> TableReader::Dictionary(std::string_view name) const {
  const size_t index = IndexOf(name);
  if (!infos_[index].has_dictionary) {
    throw UserError(
        ErrorCode::kBadStore,
        fmt::format("table file {}: column '{}' has no dictionary", path_.string(), name));
  }
  return slots_[index].dictionary;
}

std::vector<std::string> TableReader::VerifyChecksums() const {
  std::vector<std::string> problems;
  struct Named {
    format::Section section;
    std::string what;
  };
  std::vector<Named> sections{{{0, format::kHeaderBytes, 0}, "the header"},
                              {directory_, "the directory"}};
  for (size_t i = 0; i < slots_.size(); ++i) {
    sections.push_back({slots_[i].entry.data, fmt::format("column '{}'", infos_[i].name)});
    if (infos_[i].has_dictionary) {
      sections.push_back(
          {slots_[i].entry.dictionary, fmt::format("the dictionary of '{}'", infos_[i].name)});
    }
  }
  if (block_index_) sections.push_back({block_section_, "the block index"});
  for (const Named& named : sections) {
    const std::span<const std::byte> bytes(base_ + named.section.offset, named.section.bytes);
    if (named.section.offset != 0 && format::Xxh3(bytes) != named.section.xxh3) {
      problems.push_back(fmt::format("table file {}: the checksum of {} does not match",
                                     path_.string(), named.what));
    }
  }
  // Padding is covered too: between sections every byte must be zero.
  std::sort(sections.begin(), sections.end(), [](const Named& a, const Named& b) {
    return std::tie(a.section.offset, a.section.bytes) <
           std::tie(b.section.offset, b.section.bytes);
  });
  uint64_t end = 0;
  for (const Named& named : sections) {
    if (named.section.offset < end) {
      problems.push_back(fmt::format("table file {}: {} overlaps the section before it",
                                     path_.string(), named.what));
    }
    for (uint64_t at = end; at < named.section.offset; ++at) {
      if (base_[at] != std::byte{0}) {
        problems.push_back(
            fmt::format("table file {}: padding byte {} is not zero", path_.string(), at));
        break;
      }
    }
    end = std::max(end, named.section.offset + named.section.bytes);
  }
  return problems;
}

}  // namespace jobindsigt::store
