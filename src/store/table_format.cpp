#include "store/table_format.h"

#include <xxhash.h>

#include <cstring>

namespace jobindsigt::store::format {
namespace {

constexpr size_t kHeaderChecksumOffset = 56;

template <class T>
void Put(std::byte* out, size_t offset, T value) {
  std::memcpy(out + offset, &value, sizeof(T));
}

template <class T>
T Get(const std::byte* in, size_t offset) {
  T value;
  std::memcpy(&value, in + offset, sizeof(T));
  return value;
}

void PutSection(std::byte* out, size_t offset, const Section& section) {
  Put(out, offset, section.offset);
  Put(out, offset + 8, section.bytes);
  Put(out, offset + 16, section.xxh3);
}

Section GetSection(const std::byte* in, size_t offset) {
  return Section{Get<uint64_t>(in, offset), Get<uint64_t>(in, offset + 8),
                 Get<uint64_t>(in, offset + 16)};
}

}  // namespace

uint64_t Xxh3(std::span<const std::byte> bytes) {
  return XXH3_64bits(bytes.data(), bytes.size());
}

void EncodeHeader(const Header& header, std::span<std::byte, kHeaderBytes> out) {
  std::byte* bytes = out.data();
  std::memset(bytes, 0, kHeaderBytes);
  std::memcpy(bytes, kMagic.data(), kMagic.size());
  Put(bytes, 8, header.version);
  Put(bytes, 12, header.endian_mark);
  Put(bytes, 16, header.row_count);
  Put(bytes, 24, header.column_count);
  // bytes 28..31 reserved, zero
  Put(bytes, 32, header.directory.offset);
  Put(bytes, 40, header.directory.bytes);
  Put(bytes, 48, header.directory.xxh3);
  Put(bytes, kHeaderChecksumOffset, HeaderChecksum(out));
}

Header DecodeHeader(std::span<const std::byte, kHeaderBytes> in) {
  const std::byte* bytes = in.data();
  Header header;
  header.version = Get<uint32_t>(bytes, 8);
  header.endian_mark = Get<uint32_t>(bytes, 12);
  header.row_count = Get<uint64_t>(bytes, 16);
  header.column_count = Get<uint32_t>(bytes, 24);
  header.directory = GetSection(bytes, 32);
  return header;
}

uint64_t HeaderChecksum(std::span<const std::byte, kHeaderBytes> in) {
  return Xxh3(in.first(kHeaderChecksumOffset));
}

uint64_t StoredHeaderChecksum(std::span<const std::byte, kHeaderBytes> in) {
  return Get<uint64_t>(in.data(), kHeaderChecksumOffset);
}

void EncodeColumnEntry(const ColumnEntry& entry, std::byte* out) {
  std::memset(out, 0, kColumnEntryBytes);
  PutSection(out, 0, entry.data);
  PutSection(out, 24, entry.dictionary);
  Put(out, 48, entry.dictionary_count);
  Put(out, 52, entry.name_offset);
  Put(out, 56, entry.name_bytes);
  Put(out, 58, entry.type);
  Put(out, 59, entry.encoding);
  // bytes 60..63 reserved, zero
}

ColumnEntry DecodeColumnEntry(const std::byte* in) {
  ColumnEntry entry;
  entry.data = GetSection(in, 0);
  entry.dictionary = GetSection(in, 24);
  entry.dictionary_count = Get<uint32_t>(in, 48);
  entry.name_offset = Get<uint32_t>(in, 52);
  entry.name_bytes = Get<uint16_t>(in, 56);
  entry.type = Get<uint8_t>(in, 58);
  entry.encoding = Get<uint8_t>(in, 59);
  return entry;
}

void EncodeBlockIndexEntry(const BlockIndexEntry& entry, std::byte* out) {
  std::memset(out, 0, kBlockIndexEntryBytes);
  PutSection(out, 0, entry.section);
  Put(out, 24, entry.block_rows);
  Put(out, 28, entry.block_count);
  Put(out, 32, entry.from_column);
  Put(out, 36, entry.to_column);
  // bytes 40..63 reserved, zero
}

BlockIndexEntry DecodeBlockIndexEntry(const std::byte* in) {
  BlockIndexEntry entry;
  entry.section = GetSection(in, 0);
  entry.block_rows = Get<uint32_t>(in, 24);
  entry.block_count = Get<uint32_t>(in, 28);
  entry.from_column = Get<uint32_t>(in, 32);
  entry.to_column = Get<uint32_t>(in, 36);
  return entry;
}

}  // namespace jobindsigt::store::format
