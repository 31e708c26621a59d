#include "store/store.h"

#include <fmt/format.h>

#include <algorithm>
#include <set>
#include <system_error>

#include "common/error.h"
#include "store/file_io.h"
#include "store/release_layout.h"

namespace jobindsigt::store {
namespace fs = std::filesystem;

fs::path Release::FilePath(std::string_view relative) const {
  if (manifest_.Find(relative) == nullptr) {
    throw UserError(ErrorCode::kBadStore, fmt::format("release {} in {} has no file '{}'", id(),
                                                      folder_.string(), relative));
  }
  return folder_ / relative;
}

TableReader Release::OpenTable(std::string_view relative) const {
  TableReader table = TableReader::Open(FilePath(relative));
  // A cheap guard against files replaced after publishing; VerifyRelease checks contents.
  const uint64_t listed_bytes = manifest_.Find(relative)->bytes;
  if (table.file_bytes() != listed_bytes) {
    throw UserError(ErrorCode::kBadStore,
                    fmt::format("table file {} has {} bytes, but release {} lists {}: it was "
                                "changed after publishing",
                                table.path().string(), table.file_bytes(), id(), listed_bytes));
  }
  return table;
}

Store Store::Open(const fs::path& dir) {
  std::error_code error;
  if (!fs::is_directory(dir, error)) {
    throw UserError(
        ErrorCode::kBadStore,
        fmt::format("there is no store at {}: the folder does not exist", dir.string()));
  }
  Store store(dir);
  ReadManifest(ReleaseDir(dir, ReadCurrentId(dir)));
  return store;
}

std::string Store::CurrentId() const {
  return ReadCurrentId(dir_);
}

std::vector<ReleaseInfo> Store::ListReleases() const {
  const std::string current = CurrentId();
  std::vector<ReleaseInfo> releases;
  for (const std::string& id : CompleteReleaseIds(dir_)) {
    ReleaseInfo info;
    info.id = id;
    info.is_current = id == current;
    try {
      const Manifest manifest = ReadManifest(ReleaseDir(dir_, id));
      info.created_utc = manifest.created_utc;
      info.cut_off_day = manifest.cut_off_day;
      info.bytes = manifest.TotalBytes();
    } catch (const UserError& error) {
      if (error.code() != ErrorCode::kBadStore) throw;
      info.problem = error.what();
    }
    releases.push_back(std::move(info));
  }
  return releases;
}

std::string Store::ResolveId(std::string_view id) const {
  if (id == "latest") return CurrentId();
  const std::vector<std::string> ids = CompleteReleaseIds(dir_);
  if (!std::binary_search(ids.begin(), ids.end(), id)) {
    throw UserError(
        ErrorCode::kBadArgument,
        fmt::format("the store {} has no release '{}' (it has {}; or use 'latest')", dir_.string(),
                    id, ids.empty() ? "none" : ids.front() + " to " + ids.back()));
  }
  return std::string(id);
}

Release Store::OpenRelease(std::string_view id) const {
  const fs::path folder = ReleaseDir(dir_, ResolveId(id));
  return Release(folder, ReadManifest(folder));
}

std::vector<std::string> Store::Prune(int keep_last_n) const {
  if (keep_last_n < 1) {
    throw UserError(ErrorCode::kBadArgument,
                    fmt::format("prune must keep at least 1 release, not {}", keep_last_n));
  }
  const StoreLock lock(dir_);
  const std::string current = CurrentId();
  const std::vector<std::string> ids = CompleteReleaseIds(dir_);
  std::vector<std::string> removed;
  const size_t keep_from = ids.size() - std::min(ids.size(), static_cast<size_t>(keep_last_n));
  for (size_t i = 0; i < keep_from; ++i) {
    if (ids[i] != current) removed.push_back(ids[i]);
  }
  // Renamed first, so a crash halfway through a deletion never leaves a release folder
  // that looks complete but misses files; the next writer removes *.deleting.
  for (const std::string& id : removed) {
    RenamePath(ReleaseDir(dir_, id), ReleasesDir(dir_) / (id + ".deleting"));
  }
  if (removed.empty()) return removed;
  SyncPath(ReleasesDir(dir_));
  for (const std::string& id : removed) {
    std::error_code error;
    fs::remove_all(ReleasesDir(dir_) / (id + ".deleting"), error);
    if (error) {
      throw UserError(ErrorCode::kIoFailure, fmt::format("cannot delete release {} in {}: {}", id,
                                                         dir_.string(), error.message()));
    }
  }
  return removed;
}

VerifyResult Store::VerifyRelease(std::string_view id) const {
  const Release release = OpenRelease(id);
  VerifyResult result;
  result.release_id = release.id();
  std::set<std::string> listed{std::string(kManifestName)};
  for (const ManifestFile& file : release.manifest().files) {
    listed.insert(file.path);
    const fs::path path = release.folder() / file.path;
    std::error_code error;
    if (!fs::is_regular_file(path, error)) {
      result.problems.push_back(fmt::format("{} is missing", path.string()));
      continue;
    }
    const FileHash hash = HashFile(path);
    ++result.files_checked;
    result.bytes_checked += hash.bytes;
    if (hash.bytes != file.bytes) {
      result.problems.push_back(fmt::format("{} has {} bytes, the manifest says {}", path.string(),
                                            hash.bytes, file.bytes));
    } else if (FormatHash(hash.xxh3) != file.xxh3) {
      result.problems.push_back(fmt::format("{} has xxh3 {}, the manifest says {}: it is damaged",
                                            path.string(), FormatHash(hash.xxh3), file.xxh3));
    }
  }
  for (const fs::directory_entry& entry : fs::recursive_directory_iterator(release.folder())) {
    const std::string relative = entry.path().lexically_relative(release.folder()).generic_string();
    if (!entry.is_directory() && listed.count(relative) == 0) {
      result.problems.push_back(
          fmt::format("{} is not listed in the manifest", entry.path().string()));
    }
  }
  return result;
}

}  // namespace jobindsigt::store
