#pragma once
// The value types a table column can hold. The numbers are part of the file format
// (docs/internals/storage.md): never renumber, only append.

#include <concepts>
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <type_traits>

namespace jobindsigt::store {

enum class ColumnType : uint8_t {
  kInt8 = 1,
  kUint8 = 2,
  kInt16 = 3,
  kUint16 = 4,
  kInt32 = 5,
  kInt64 = 6,
  kFloat64 = 7,
};

template <class T>
concept ColumnValue = std::same_as<T, int8_t> || std::same_as<T, uint8_t> ||
    std::same_as<T, int16_t> || std::same_as<T, uint16_t> || std::same_as<T, int32_t> ||
    std::same_as<T, int64_t> || std::same_as<T, double>;

template <ColumnValue T>
constexpr ColumnType ColumnTypeOf() {
  if constexpr (std::is_same_v<T, int8_t>) return ColumnType::kInt8;
  if constexpr (std::is_same_v<T, uint8_t>) return ColumnType::kUint8;
  if constexpr (std::is_same_v<T, int16_t>) return ColumnType::kInt16;
  if constexpr (std::is_same_v<T, uint16_t>) return ColumnType::kUint16;
  if constexpr (std::is_same_v<T, int32_t>) return ColumnType::kInt32;
  if constexpr (std::is_same_v<T, int64_t>) return ColumnType::kInt64;
  if constexpr (std::is_same_v<T, double>) return ColumnType::kFloat64;
}

// Bytes per value; 0 for a number that is not a ColumnType (a damaged or newer file).
constexpr size_t ColumnTypeBytes(ColumnType type) {
  switch (type) {
    case ColumnType::kInt8:
    case ColumnType::kUint8:
      return 1;
    case ColumnType::kInt16:
    case ColumnType::kUint16:
      return 2;
    case ColumnType::kInt32:
      return 4;
    case ColumnType::kInt64:
    case ColumnType::kFloat64:
      return 8;
  }
  return 0;
}

constexpr bool IsIntegerType(ColumnType type) {
  return type != ColumnType::kFloat64 && ColumnTypeBytes(type) != 0;
}

constexpr std::string_view ColumnTypeName(ColumnType type) {
  switch (type) {
    case ColumnType::kInt8:
      return "int8";
    case ColumnType::kUint8:
      return "uint8";
    case ColumnType::kInt16:
      return "int16";
    case ColumnType::kUint16:
      return "uint16";
    case ColumnType::kInt32:
      return "int32";
    case ColumnType::kInt64:
      return "int64";
    case ColumnType::kFloat64:
      return "float64";
  }
  return "unknown";
}

}  // namespace jobindsigt::store
