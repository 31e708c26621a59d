#pragma once
// Generates a data set once per test binary and removes it at exit.

#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <string>

#include "synth/generator.h"

namespace jobindsigt::test {

inline synth::GeneratorOptions OptionsFor(const std::string& scale, uint64_t seed,
                                          const std::filesystem::path& out) {
  synth::GeneratorOptions options;
  options.preset = *synth::FindScalePreset(scale);
  options.seed = seed;
  options.from = options.preset.default_from;
  options.until = options.preset.default_until;
  options.threads = 2;
  options.out_dir = out;
  options.catalog_dir = JOBINDSIGT_TEST_CATALOG_DIR;
  options.show_progress = false;
  return options;
}

inline std::filesystem::path TestFolder(const std::string& name) {
  return std::filesystem::temp_directory_path() /
         ("jobindsigt_test_" + name + "_" + std::to_string(::getpid()));
}

}  // namespace jobindsigt::test
