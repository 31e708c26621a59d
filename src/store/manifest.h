#pragma once
// A release's MANIFEST.json: what the release is (id, creation time, cut-off day, the
// delivery months it was built from), every file it holds with size and xxh3, and a free
// summary the ingest fills (counts, quarantine, release notes). Format and versioning are
// in docs/internals/storage.md.

#include <cstdint>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "common/date.h"

namespace jobindsigt::store {

inline constexpr int kManifestVersion = 1;

struct ManifestFile {
  std::string path;  // relative to the release folder, '/'-separated
  uint64_t bytes = 0;
  std::string xxh3;              // 16 lower-case hex digits of the whole file
  std::optional<uint64_t> rows;  // table files only
};

struct Manifest {
  int format_version = kManifestVersion;
  std::string release_id;
  std::string created_utc;  // "2025-03-01T12:00:00Z"
  DayNumber cut_off_day = 0;
  std::vector<MonthIndex> source_months;  // ascending
  std::vector<ManifestFile> files;        // ascending by path
  nlohmann::json summary = nlohmann::json::object();

  uint64_t TotalBytes() const;
  const ManifestFile* Find(std::string_view path) const;
};

std::string ManifestToJson(const Manifest& manifest);

// Parses and checks the manifest of release folder `release_dir`; throws kBadStore naming
// the file when it is missing, not valid JSON, from a newer format, or inconsistent.
Manifest ReadManifest(const std::filesystem::path& release_dir);

}  // namespace jobindsigt::store
