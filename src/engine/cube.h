#pragma once
// The answer to a query: a cube of cells, each with a value and a status, laid out as
// JSON-stat does (row-major, the last dimension varying fastest). Dimensions in order:
// statistic, period, area, then the breakdowns in request order.

#include <cstdint>
#include <string>
#include <vector>

#include "common/date.h"

namespace jobindsigt::engine {

enum class CellStatus : uint8_t {
  kOk,
  kPreliminary,    // the period contains the cut-off day
  kSuppressed,     // disclosure control
  kNoDenominator,  // a ratio whose denominator is 0
  kNotApplicable,  // a breakdown that does not apply to the statistic
};
std::string_view CellStatusId(CellStatus status);

inline constexpr const char* kTotalId = "_T";

struct Category {
  std::string id;  // code, band text, `_T` for a total, a custom group's name
  std::string label_da;
  std::string label_en;
};

struct Dimension {
  std::string id;  // "statistic", "period", "area", then breakdown ids
  std::string label_da;
  std::string label_en;
  std::vector<Category> categories;
};

struct Cube {
  std::string release_id;
  DayNumber cut_off_day = 0;
  std::vector<Dimension> dimensions;
  std::vector<double> values;        // NaN where a cell has no value
  std::vector<CellStatus> statuses;  // one per cell
  // status_after cells: ended spells left out because month k lies after the cut-off.
  std::vector<int64_t> left_out;  // one per cell, 0 elsewhere
  // Per breakdown with bands (in request order): contributions whose value fell in no band.
  std::vector<int64_t> outside_bands;
  std::vector<std::string> notes;  // plain-language notes for the reader (Danish and English)

  size_t CellCount() const { return values.size(); }
  // Row-major index of the cell with `coordinates` (one category index per dimension).
  size_t CellIndex(const std::vector<size_t>& coordinates) const;
  // The inverse of CellIndex.
  std::vector<size_t> Coordinates(size_t cell) const;
};

}  // namespace jobindsigt::engine
