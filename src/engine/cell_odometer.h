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
// list is empty. At most 8 dimensions (the area and up to seven breakdowns). The cells come in
// odometer order (the last dimension fastest), so sums into a cell are made in the same order
// whichever way they are listed.
template <typename Action>
inline void ForEachCellOf(size_t base, std::span<const std::vector<uint16_t>* const> matches,
                          std::span<const size_t> strides, Action&& action) {
  const size_t count = matches.size();
  assert(count <= 8 && strides.size() >= count);
  size_t total = 1;
  for (size_t dimension = 0; dimension < count; ++dimension) {
    total *= matches[dimension]->size();
    if (total == 0) return;
  }
  // Few cells (the common case): listed first, one addition per cell and dimension, then
  // visited in a plain loop — an odometer pays a branch per dimension for every cell.
  constexpr size_t kListed = 128;
  if (total <= kListed) {
    std::array<size_t, kListed> cells;
    cells[0] = base;
    size_t size = 1;
    for (size_t dimension = 0; dimension < count; ++dimension) {
      const std::vector<uint16_t>& list = *matches[dimension];
      const size_t stride = strides[dimension];
      const size_t width = list.size();
      if (width == 1) {
        for (size_t at = 0; at < size; ++at) cells[at] += list[0] * stride;
        continue;
      }
      // Each cell so far becomes `width` cells in place, from the back (cell i's are written
      // at i × width … i × width + width − 1, never over a cell j < i not yet expanded).
      for (size_t at = size; at-- > 0;) {
        const size_t cell = cells[at];
        for (size_t category = width; category-- > 0;)
          cells[at * width + category] = cell + list[category] * stride;
      }
      size *= width;
    }
    for (size_t at = 0; at < size; ++at) action(cells[at]);
    return;
  }
  std::array<size_t, 8> position{};
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
