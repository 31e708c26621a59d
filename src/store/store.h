#pragma once
// Reading a store: its releases, the current one, their manifests and tables; and the two
// maintenance operations, Prune and VerifyRelease. Writing is ReleaseWriter's.
//
// A Store is a handle on a folder; CURRENT is read again whenever "latest" is asked for, so
// a server holding an opened Release keeps serving it while a newer one is published.

#include <cstdint>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "store/manifest.h"
#include "store/table_reader.h"

namespace jobindsigt::store {

struct ReleaseInfo {
  std::string id;
  std::string created_utc;
  DayNumber cut_off_day = 0;
  bool is_current = false;
  uint64_t bytes = 0;   // the files listed in the manifest
  std::string problem;  // why the manifest cannot be read; empty when it can
};

class Release {
 public:
  Release(std::filesystem::path folder, Manifest manifest)
      : folder_(std::move(folder)), manifest_(std::move(manifest)) {}

  const std::string& id() const { return manifest_.release_id; }
  const std::filesystem::path& folder() const { return folder_; }
  const Manifest& manifest() const { return manifest_; }
  DayNumber cut_off_day() const { return manifest_.cut_off_day; }
  const nlohmann::json& summary() const { return manifest_.summary; }

  // The path of a file listed in the manifest; throws kBadStore when it is not listed.
  std::filesystem::path FilePath(std::string_view relative) const;
  // Opens a listed table file (TableReader::Open's checks apply; its size must match the
  // manifest).
  TableReader OpenTable(std::string_view relative) const;

 private:
  std::filesystem::path folder_;
  Manifest manifest_;
};

struct VerifyResult {
  std::string release_id;
  uint64_t files_checked = 0;
  uint64_t bytes_checked = 0;
  std::vector<std::string> problems;  // each names the file and what is wrong

  bool ok() const { return problems.empty(); }
};

class Store {
 public:
  // Checks that `dir` is a store whose CURRENT names a release with a readable manifest;
  // throws kBadStore saying what is missing or damaged.
  static Store Open(const std::filesystem::path& dir);

  const std::filesystem::path& dir() const { return dir_; }
  std::string CurrentId() const;

  // Every complete release, ascending by id. Unreadable manifests are reported in
  // ReleaseInfo::problem rather than thrown, so a damaged old release can still be listed
  // and pruned.
  std::vector<ReleaseInfo> ListReleases() const;

  // `id` is a release id or "latest" for the current release. Throws kBadArgument for an
  // id the store does not have, kBadStore for a damaged manifest.
  Release OpenRelease(std::string_view id) const;

  // Deletes all releases but the newest `keep_last_n` (at least 1) and the current one;
  // returns the ids deleted. Takes the store's lock (kStoreBusy while an ingest runs).
  // Processes that still read a deleted release keep the files they have mapped.
  std::vector<std::string> Prune(int keep_last_n) const;

  // Checks every file of the release against its manifest (presence, size, xxh3) and
  // reports files the manifest does not list. Reads every byte of the release.
  VerifyResult VerifyRelease(std::string_view id) const;

 private:
  explicit Store(std::filesystem::path dir) : dir_(std::move(dir)) {}
  std::string ResolveId(std::string_view id) const;

  std::filesystem::path dir_;
};

}  // namespace jobindsigt::store
