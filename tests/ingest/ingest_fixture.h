#pragma once
// Helpers for ingest tests: a generated tiny data set copied into a scratch folder that a
// test may damage, hand-made deliveries, and reading a published release back.

#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <string>

#include "ingest/ingest_run.h"
#include "store/store.h"
#include "support/generated_data.h"

namespace jobindsigt::test {

namespace fs = std::filesystem;

inline fs::path ScratchFolder(const std::string& name) {
  const fs::path folder = fs::temp_directory_path() /
                          ("jobindsigt_ingest_test_" + name + "_" + std::to_string(::getpid()));
  fs::remove_all(folder);
  fs::create_directories(folder);
  return folder;
}

// The tiny data set, generated once per test binary; tests copy it before changing it.
inline const fs::path& TinySources() {
  static const fs::path folder = [] {
    const fs::path out =
        fs::temp_directory_path() / ("jobindsigt_ingest_tiny_" + std::to_string(::getpid()));
    fs::remove_all(out);
    const auto options = OptionsFor("tiny", 3, out);
    std::atomic<bool> stop{false};
    synth::Generate(options, stop);
    std::atexit([] {
      fs::remove_all(fs::temp_directory_path() /
                     ("jobindsigt_ingest_tiny_" + std::to_string(::getpid())));
    });
    return out;
  }();
  return folder;
}

inline ingest::IngestOptions Options(const fs::path& sources, const fs::path& store) {
  ingest::IngestOptions options;
  options.sources = sources;
  options.store = store;
  options.catalog_dir = JOBINDSIGT_TEST_CATALOG_DIR;
  options.show_progress = false;
  return options;
}

inline void AppendLine(const fs::path& file, const std::string& line) {
  std::ofstream(file, std::ios::app | std::ios::binary) << line << "\n";
}

inline void WriteFile(const fs::path& file, const std::string& text) {
  fs::create_directories(file.parent_path());
  std::ofstream(file, std::ios::binary) << text;
}

}  // namespace jobindsigt::test
