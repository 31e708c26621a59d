#pragma once
// The byte layout of a table file, shared by TableWriter and TableReader. The layout is
// described field by field in docs/internals/storage.md; keep the two in step.
//
// Values are stored in the writer's byte order (little-endian on every platform we build
// for); the endianness mark lets a reader of the other order refuse instead of misreading.

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>

namespace jobindsigt::store::format {

inline constexpr std::array<char, 8> kMagic = {'J', 'O', 'B', 'S', 'T', 'O', 'R', 'E'};
// Version 2 added column encodings (byte 59 of a column entry); version 1 files are still read.
inline constexpr uint32_t kVersion = 2;
inline constexpr uint32_t kOldestVersion = 1;
inline constexpr uint32_t kEndianMark = 0x01020304;

// Sections start on 64 bytes: a cache line, and enough for any value type or SIMD load.
inline constexpr uint64_t kAlignment = 64;
inline constexpr uint64_t kHeaderBytes = 64;
inline constexpr uint64_t kColumnEntryBytes = 64;
inline constexpr uint64_t kBlockIndexEntryBytes = 64;
inline constexpr uint32_t kBlockRows = 4096;
inline constexpr uint32_t kNoColumn = 0xFFFFFFFF;
// Limits that keep every size computation far from overflow.
inline constexpr uint32_t kMaxColumns = 4096;
inline constexpr uint32_t kMaxNameBytes = 255;

// A byte range of the file with the xxh3-64 of its bytes; offset 0 means "absent".
struct Section {
  uint64_t offset = 0;
  uint64_t bytes = 0;
  uint64_t xxh3 = 0;
};

struct Header {
  uint32_t version = kVersion;
  uint32_t endian_mark = kEndianMark;
  uint64_t row_count = 0;
  uint32_t column_count = 0;
  Section directory;
};

struct ColumnEntry {
  Section data;
  Section dictionary;
  uint32_t dictionary_count = 0;
  uint32_t name_offset = 0;  // into the name area that follows the fixed entries
  uint16_t name_bytes = 0;
  uint8_t type = 0;
  uint8_t encoding = 0;  // ColumnEncoding; always 0 (plain) in version 1
};

struct BlockIndexEntry {
  Section section;  // block_count int32 minima of `from`, then block_count maxima of `to`
  uint32_t block_rows = 0;
  uint32_t block_count = 0;
  uint32_t from_column = kNoColumn;
  uint32_t to_column = kNoColumn;
};

constexpr uint64_t AlignUp(uint64_t value) {
  return (value + kAlignment - 1) / kAlignment * kAlignment;
}

// Fixed part of the directory: the column entries and the block index entry.
constexpr uint64_t DirectoryFixedBytes(uint64_t column_count) {
  return column_count * kColumnEntryBytes + kBlockIndexEntryBytes;
}

// Encoders write exactly k*Bytes bytes; decoders read them. Callers check the bounds.
void EncodeHeader(const Header& header, std::span<std::byte, kHeaderBytes> out);
Header DecodeHeader(std::span<const std::byte, kHeaderBytes> in);
// The xxh3 of the header's first 56 bytes, as stored in its last 8.
uint64_t HeaderChecksum(std::span<const std::byte, kHeaderBytes> in);
uint64_t StoredHeaderChecksum(std::span<const std::byte, kHeaderBytes> in);

void EncodeColumnEntry(const ColumnEntry& entry, std::byte* out);
ColumnEntry DecodeColumnEntry(const std::byte* in);
void EncodeBlockIndexEntry(const BlockIndexEntry& entry, std::byte* out);
BlockIndexEntry DecodeBlockIndexEntry(const std::byte* in);

uint64_t Xxh3(std::span<const std::byte> bytes);

}  // namespace jobindsigt::store::format
