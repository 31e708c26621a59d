#include "store/column_codec.h"

#include <zstd.h>

#include <algorithm>
#include <cstring>
#include <memory>

namespace jobindsigt::store {
namespace {

// Level 1: the ingest writes every table of a release on each run, so compression speed
// matters more than the last few percent of size.
constexpr int kZstdLevel = 1;

struct ContextFree {
  void operator()(ZSTD_CCtx* context) const { ZSTD_freeCCtx(context); }
  void operator()(ZSTD_DCtx* context) const { ZSTD_freeDCtx(context); }
};

ZSTD_CCtx* CompressionContext() {
  // One per thread: creating a context per column costs more than compressing a small one.
  thread_local std::unique_ptr<ZSTD_CCtx, ContextFree> context(ZSTD_createCCtx());
  ZSTD_CCtx_reset(context.get(), ZSTD_reset_session_and_parameters);
  ZSTD_CCtx_setParameter(context.get(), ZSTD_c_compressionLevel, kZstdLevel);
  // The frame checksum makes a damaged column fail to decode instead of decoding wrongly.
  ZSTD_CCtx_setParameter(context.get(), ZSTD_c_checksumFlag, 1);
  return context.get();
}

std::vector<std::byte> Compress(std::span<const std::byte> raw) {
  std::vector<std::byte> out(ZSTD_compressBound(raw.size()));
  const size_t bytes =
      ZSTD_compress2(CompressionContext(), out.data(), out.size(), raw.data(), raw.size());
  if (ZSTD_isError(bytes) != 0U) return {};
  out.resize(bytes);
  return out;
}

template <class U>
void DeltaInPlace(std::span<std::byte> bytes, bool encode) {
  const size_t count = bytes.size() / sizeof(U);
  U previous = 0;
  for (size_t index = 0; index < count; ++index) {
    U value;
    std::memcpy(&value, bytes.data() + index * sizeof(U), sizeof(U));
    // Unsigned arithmetic wraps, so differences of any two values round-trip exactly.
    const U stored = encode ? static_cast<U>(value - previous) : static_cast<U>(value + previous);
    previous = encode ? value : stored;
    std::memcpy(bytes.data() + index * sizeof(U), &stored, sizeof(U));
  }
}

void Delta(ColumnType type, std::span<std::byte> bytes, bool encode) {
  switch (ColumnTypeBytes(type)) {
    case 1:
      DeltaInPlace<uint8_t>(bytes, encode);
      break;
    case 2:
      DeltaInPlace<uint16_t>(bytes, encode);
      break;
    case 4:
      DeltaInPlace<uint32_t>(bytes, encode);
      break;
    default:
      DeltaInPlace<uint64_t>(bytes, encode);
      break;
  }
}

// Differences pay off for columns that mostly grow (sorted ids); elsewhere they only cost.
template <class T>
bool MostlyGrowing(std::span<const std::byte> raw) {
  const size_t count = raw.size() / sizeof(T);
  size_t growing = 0;
  T previous{};
  for (size_t index = 0; index < count; ++index) {
    T value;
    std::memcpy(&value, raw.data() + index * sizeof(T), sizeof(T));
    growing += index > 0 && value >= previous ? 1 : 0;
    previous = value;
  }
  return count > 1 && growing * 10 >= (count - 1) * 9;
}

bool WorthDelta(ColumnType type, std::span<const std::byte> raw) {
  switch (type) {
    case ColumnType::kInt32:
      return MostlyGrowing<int32_t>(raw);
    case ColumnType::kInt64:
      return MostlyGrowing<int64_t>(raw);
    default:
      return false;
  }
}

}  // namespace

bool IsKnownEncoding(uint8_t number) {
  return number <= static_cast<uint8_t>(ColumnEncoding::kDeltaZstd);
}

ColumnEncoding EncodeColumn(ColumnType type, std::span<const std::byte> raw,
                            std::vector<std::byte>& out) {
  out.clear();
  if (raw.size() < 64) return ColumnEncoding::kPlain;
  ColumnEncoding encoding = ColumnEncoding::kZstd;
  if (WorthDelta(type, raw)) {
    std::vector<std::byte> differences(raw.begin(), raw.end());
    Delta(type, differences, true);
    out = Compress(differences);
    encoding = ColumnEncoding::kDeltaZstd;
  } else {
    out = Compress(raw);
  }
  if (out.empty() || out.size() >= raw.size()) {
    out.clear();
    return ColumnEncoding::kPlain;
  }
  return encoding;
}

bool DecodeColumn(ColumnType type, ColumnEncoding encoding, std::span<const std::byte> stored,
                  std::span<std::byte> out) {
  if (encoding == ColumnEncoding::kPlain) {
    if (stored.size() != out.size()) return false;
    std::copy(stored.begin(), stored.end(), out.begin());
    return true;
  }
  if (ZSTD_getFrameContentSize(stored.data(), stored.size()) != out.size()) return false;
  thread_local std::unique_ptr<ZSTD_DCtx, ContextFree> context(ZSTD_createDCtx());
  const size_t bytes =
      ZSTD_decompressDCtx(context.get(), out.data(), out.size(), stored.data(), stored.size());
  if (ZSTD_isError(bytes) != 0U || bytes != out.size()) return false;
  if (encoding == ColumnEncoding::kDeltaZstd) Delta(type, out, false);
  return true;
}

}  // namespace jobindsigt::store
