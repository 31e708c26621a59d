#include "synth/scale.h"

namespace jobindsigt::synth {
namespace {

std::vector<ScalePreset> MakePresets() {
  // tiny: two neighbouring municipalities of the capital region.
  // small: six municipalities that differ in framework conditions: the capital suburbs
  // Ballerup, Brøndby and Gentofte, rural Lolland, provincial Horsens and Frederikshavn, one
  // in each of four regions.
  return {
      {"tiny", 0, {151, 153}, 2000, MakeMonth(2024, 11), kLatestMonth},
      {"small", 0, {151, 153, 157, 360, 615, 813}, 60000, MakeMonth(2021, 11), kLatestMonth},
      {"medium", 0.10, {}, 0, kEarliestMonth, kLatestMonth},
      {"full", 1.00, {}, 0, kEarliestMonth, kLatestMonth},
  };
}

}  // namespace

const std::vector<std::string>& ScalePresetNames() {
  static const std::vector<std::string> names = {"tiny", "small", "medium", "full"};
  return names;
}

std::optional<ScalePreset> FindScalePreset(std::string_view name) {
  for (auto& preset : MakePresets()) {
    if (preset.name == name) return preset;
  }
  return std::nullopt;
}

}  // namespace jobindsigt::synth
