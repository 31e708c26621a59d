#pragma once
// The cells one evaluation adds to: one category from each dimension's list, every
// combination (an odometer over the lists). Shared by the person pass and the month pass.

#include <array>
#include <cassert>
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace jobindsigt::engine {

// Calls action(cell) for each cell = base + Σ matches[d][i_d] × strides[d]; nothing when a
// list is empty. At most 8 dimensions (the area and up to seven breakdowns).
template <typename Action>
inline void ForEachCellOf(size_t base, std::span<const std::vector<uint16_t>* const> matches,
                          std::span<const size_t> strides, Action&& action) {
  const size_t count = matches.size();
  for (size_t dimension = 0; dimension < count; ++dimension) {
    if (matches[dimension]->empty()) return;
  }
  std::array<size_t, 8> position{};
  assert(count <= position.size() && strides.size() >= count);
  while (true) {
    size_t cell = base;
    for (size_t dimension = 0; dimension < count; ++dimension)
      cell += (*matches[dimension])[position[dimension]] * strides[dimension];
    action(cell);
    size_t dimension = count;
    while (dimension > 0) {
      --dimension;
      if (++position[dimension] < matches[dimension]->size()) break;
      position[dimension] = 0;
      if (dimension == 0) return;
    }
    if (count == 0) return;
  }
}

}  // namespace jobindsigt::engine
