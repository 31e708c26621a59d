#pragma once
// How a column's values are stored in a table file (format version 2): as they are, zstd
// compressed, or as differences from the previous value and then zstd compressed. Sorted
// columns (person ids) shrink to almost nothing as differences; codes, days and counts
// compress well as they are. The layout is in docs/internals/storage.md ("Column data").

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "store/column_type.h"

namespace jobindsigt::store {

// The numbers are part of the file format: never renumber, only append.
enum class ColumnEncoding : uint8_t {
  kPlain = 0,
  kZstd = 1,
  kDeltaZstd = 2,
};

bool IsKnownEncoding(uint8_t number);

// Encodes `raw` (values of `type`) in the smallest of the encodings tried. kPlain is chosen
// when compression would not save anything; `out` is then left empty (the caller stores the
// values as they are).
ColumnEncoding EncodeColumn(ColumnType type, std::span<const std::byte> raw,
                            std::vector<std::byte>& out);

// Decodes `stored` into `out`, which has exactly the column's raw size. Returns false when
// the bytes are not a valid encoding of that many values (a damaged file).
bool DecodeColumn(ColumnType type, ColumnEncoding encoding, std::span<const std::byte> stored,
                  std::span<std::byte> out);

}  // namespace jobindsigt::store
