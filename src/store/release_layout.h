#pragma once
// Names and places in a store folder (docs/internals/storage.md, "The store folder"):
//
//   STORE/CURRENT                    the current release id and a newline
//   STORE/LOCK                       flock'ed by the one process writing the store
//   STORE/releases/r000001/          a complete release: MANIFEST.json and its files
//   STORE/releases/r000002.partial/  a release being written (or left by a crash)
//   STORE/releases/r000001.deleting/ a release being pruned (or left by a crash)

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace jobindsigt::store {

inline constexpr std::string_view kManifestName = "MANIFEST.json";
inline constexpr int kMaxReleaseNumber = 999999;

// "r" and six digits, r000001 upwards.
bool IsReleaseId(std::string_view text);
std::string FormatReleaseId(int number);
int ReleaseNumber(std::string_view id);  // requires IsReleaseId(id)

// A path inside a release: relative, '/'-separated, of letters, digits, '.', '_' and '-',
// no empty, "." or ".." parts.
bool IsSafeRelativePath(std::string_view path);

std::filesystem::path ReleasesDir(const std::filesystem::path& store_dir);
std::filesystem::path ReleaseDir(const std::filesystem::path& store_dir, std::string_view id);

// The id in STORE/CURRENT; throws kBadStore when it is missing, malformed or names a
// release folder that does not exist.
std::string ReadCurrentId(const std::filesystem::path& store_dir);

// Ids of the complete release folders (names that are exactly an id), ascending.
std::vector<std::string> CompleteReleaseIds(const std::filesystem::path& store_dir);

// Removes what interrupted writers and prunes left: *.partial and *.deleting folders and
// CURRENT.tmp. Only while holding the store's lock.
void RemoveLeftovers(const std::filesystem::path& store_dir);

}  // namespace jobindsigt::store
