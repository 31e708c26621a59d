#include "ingest/row_spill.h"

#include <fmt/format.h>
#include <zstd.h>

#include <cstring>
#include <fstream>

#include "common/error.h"

namespace jobindsigt::ingest {
namespace {

namespace fs = std::filesystem;

// A frame: raw bytes, compressed bytes, rows (u32 each), then the compressed bytes.
constexpr size_t kFrameRawBytes = size_t{512} * 1024;
constexpr size_t kFrameHeaderBytes = 12;

// Zigzag plus one: small magnitudes take few bytes and kMissing (INT64_MIN) becomes 0.
void PutInt(std::vector<uint8_t>& out, int64_t value) {
  uint64_t bits = ((static_cast<uint64_t>(value) << 1) ^ static_cast<uint64_t>(value >> 63)) + 1;
  while (bits >= 0x80) {
    out.push_back(static_cast<uint8_t>(bits | 0x80));
    bits >>= 7;
  }
  out.push_back(static_cast<uint8_t>(bits));
}

int64_t GetInt(const uint8_t*& in) {
  uint64_t bits = 0;
  for (int shift = 0;; shift += 7) {
    const uint8_t byte = *in++;
    bits |= static_cast<uint64_t>(byte & 0x7F) << shift;
    if ((byte & 0x80) == 0) break;
  }
  bits -= 1;
  return static_cast<int64_t>((bits >> 1) ^ (~(bits & 1) + 1));
}

[[noreturn]] void SpillFailed(const fs::path& path, std::string_view what) {
  throw UserError(ErrorCode::kIoFailure, fmt::format("temporary file {}: {}", path.string(), what));
}

}  // namespace

RowSpill::RowSpill(const SourceSpec* spec, fs::path folder, const ShardPlan& plan)
    : spec_(spec), folder_(std::move(folder)), plan_(plan) {
  const int shards = HasPersons(*spec) ? plan.shard_count : 1;
  buffers_.resize(shards);
  buffered_rows_.assign(shards, 0);
  rows_.assign(shards, 0);
  fs::create_directories(folder_);
}

fs::path RowSpill::FileOf(int shard) const {
  return folder_ / fmt::format("{}-{:03d}.rows", spec_->id, shard);
}

void RowSpill::Append(const SourceRows& rows) {
  const bool persons = HasPersons(*spec_);
  const size_t fields = spec_->fields.size();
  for (size_t row = 0; row < rows.size(); ++row) {
    const int shard = persons ? plan_.ShardOf(PersonOf(rows, row)) : 0;
    std::vector<uint8_t>& out = buffers_[shard];
    for (size_t field = 0; field < fields; ++field) {
      if (spec_->fields[field].type == FieldType::kDecimal) {
        const double value = rows.Real(static_cast<int>(field), row);
        uint8_t bytes[sizeof value];
        std::memcpy(bytes, &value, sizeof value);
        out.insert(out.end(), bytes, bytes + sizeof value);
      } else {
        PutInt(out, rows.Int(static_cast<int>(field), row));
      }
    }
    PutInt(out, rows.delivery[row]);
    PutInt(out, rows.file_line[row]);
    buffered_rows_[shard] += 1;
    rows_[shard] += 1;
    if (out.size() >= kFrameRawBytes) Flush(shard);
  }
}

void RowSpill::Flush(int shard) {
  std::vector<uint8_t>& raw = buffers_[shard];
  if (raw.empty()) return;
  std::vector<uint8_t> frame(kFrameHeaderBytes + ZSTD_compressBound(raw.size()));
  const size_t bytes = ZSTD_compress(frame.data() + kFrameHeaderBytes,
                                     frame.size() - kFrameHeaderBytes, raw.data(), raw.size(), 1);
  if (ZSTD_isError(bytes) != 0U) SpillFailed(FileOf(shard), ZSTD_getErrorName(bytes));
  const uint32_t header[3] = {static_cast<uint32_t>(raw.size()), static_cast<uint32_t>(bytes),
                              buffered_rows_[shard]};
  std::memcpy(frame.data(), header, sizeof header);
  std::ofstream file(FileOf(shard), std::ios::binary | std::ios::app);
  file.write(reinterpret_cast<const char*>(frame.data()),
             static_cast<std::streamsize>(kFrameHeaderBytes + bytes));
  if (!file) SpillFailed(FileOf(shard), "cannot be written (is the disk full?)");
  raw.clear();
  buffered_rows_[shard] = 0;
}

void RowSpill::Finish() {
  for (int shard = 0; shard < shard_count(); ++shard) {
    Flush(shard);
    std::vector<uint8_t>().swap(buffers_[shard]);
  }
}

SourceRows RowSpill::Read(int shard) const {
  SourceRows rows(spec_);
  const size_t fields = spec_->fields.size();
  for (size_t field = 0; field < fields; ++field) {
    auto& column = rows.columns[field];
    if (spec_->fields[field].type == FieldType::kDecimal) {
      column.reals.reserve(rows_[shard]);
    } else {
      column.ints.reserve(rows_[shard]);
    }
  }
  rows.delivery.reserve(rows_[shard]);
  rows.file_line.reserve(rows_[shard]);
  if (rows_[shard] == 0) return rows;
  std::ifstream file(FileOf(shard), std::ios::binary);
  if (!file) SpillFailed(FileOf(shard), "cannot be read");
  std::vector<uint8_t> compressed;
  std::vector<uint8_t> raw;
  uint32_t header[3];
  while (file.read(reinterpret_cast<char*>(header), sizeof header)) {
    compressed.resize(header[1]);
    raw.resize(header[0]);
    file.read(reinterpret_cast<char*>(compressed.data()), header[1]);
    const size_t bytes =
        ZSTD_decompress(raw.data(), raw.size(), compressed.data(), compressed.size());
    if (!file || ZSTD_isError(bytes) != 0U || bytes != raw.size()) {
      SpillFailed(FileOf(shard), "is damaged");
    }
    const uint8_t* in = raw.data();
    for (uint32_t row = 0; row < header[2]; ++row) {
      for (size_t field = 0; field < fields; ++field) {
        if (spec_->fields[field].type == FieldType::kDecimal) {
          double value;
          std::memcpy(&value, in, sizeof value);
          in += sizeof value;
          rows.columns[field].reals.push_back(value);
        } else {
          rows.columns[field].ints.push_back(GetInt(in));
        }
      }
      rows.delivery.push_back(static_cast<MonthIndex>(GetInt(in)));
      rows.file_line.push_back(static_cast<int32_t>(GetInt(in)));
    }
  }
  return rows;
}

}  // namespace jobindsigt::ingest
