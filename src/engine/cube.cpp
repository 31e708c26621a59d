#include "engine/cube.h"

#include <cassert>

namespace jobindsigt::engine {

std::string_view CellStatusId(CellStatus status) {
  switch (status) {
    case CellStatus::kOk:
      return "ok";
    case CellStatus::kPreliminary:
      return "preliminary";
    case CellStatus::kSuppressed:
      return "suppressed";
    case CellStatus::kNoDenominator:
      return "no_denominator";
    case CellStatus::kNotApplicable:
      return "not_applicable";
  }
  return "ok";
}

size_t Cube::CellIndex(const std::vector<size_t>& coordinates) const {
  assert(coordinates.size() == dimensions.size());
  size_t index = 0;
  for (size_t dimension = 0; dimension < dimensions.size(); ++dimension) {
    assert(coordinates[dimension] < dimensions[dimension].categories.size());
    index = index * dimensions[dimension].categories.size() + coordinates[dimension];
  }
  return index;
}

std::vector<size_t> Cube::Coordinates(size_t cell) const {
  std::vector<size_t> coordinates(dimensions.size());
  for (size_t dimension = dimensions.size(); dimension-- > 0;) {
    const size_t size = dimensions[dimension].categories.size();
    coordinates[dimension] = cell % size;
    cell /= size;
  }
  return coordinates;
}

}  // namespace jobindsigt::engine
