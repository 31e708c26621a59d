#pragma once
// The data contract's scale presets: how many persons, which municipalities, which months.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/date.h"

namespace jobindsigt::synth {

struct ScalePreset {
  std::string name;
  double population_fraction = 0;   // share of each municipality's population generated
  std::vector<int> municipalities;  // empty = all 98
  int64_t target_persons = 0;       // for presets over a few municipalities
  MonthIndex default_from = 0;
  MonthIndex default_until = 0;
};

std::optional<ScalePreset> FindScalePreset(std::string_view name);
const std::vector<std::string>& ScalePresetNames();

// The first month any preset may start, and the last month the generator's model covers.
inline constexpr MonthIndex kEarliestMonth = MakeMonth(2008, 1);
inline constexpr MonthIndex kLatestMonth = MakeMonth(2026, 10);

}  // namespace jobindsigt::synth
