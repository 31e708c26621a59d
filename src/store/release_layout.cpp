#include "store/release_layout.h"

#include <fmt/format.h>

#include <algorithm>
#include <system_error>

#include "common/error.h"
#include "store/file_io.h"

namespace jobindsigt::store {
namespace fs = std::filesystem;
namespace {

constexpr uint64_t kMaxCurrentBytes = 64;

bool IsDigit(char c) {
  return c >= '0' && c <= '9';
}

bool IsPathCharacter(char c) {
  return IsDigit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '.' || c == '_' ||
         c == '-';
}

bool EndsWith(std::string_view text, std::string_view suffix) {
  return text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}

}  // namespace

bool IsReleaseId(std::string_view text) {
  return text.size() == 7 && text[0] == 'r' && std::all_of(text.begin() + 1, text.end(), IsDigit);
}

std::string FormatReleaseId(int number) {
  return fmt::format("r{:06d}", number);
}

int ReleaseNumber(std::string_view id) {
  int number = 0;
  for (const char c : id.substr(1)) number = number * 10 + (c - '0');
  return number;
}

bool IsSafeRelativePath(std::string_view path) {
  if (path.empty()) return false;
  size_t start = 0;
  while (start <= path.size()) {
    const size_t end = std::min(path.find('/', start), path.size());
    const std::string_view part = path.substr(start, end - start);
    if (part.empty() || part == "." || part == ".." ||
        !std::all_of(part.begin(), part.end(), IsPathCharacter)) {
      return false;
    }
    start = end + 1;
  }
  return true;
}

fs::path ReleasesDir(const fs::path& store_dir) {
  return store_dir / "releases";
}

fs::path ReleaseDir(const fs::path& store_dir, std::string_view id) {
  return ReleasesDir(store_dir) / id;
}

std::string ReadCurrentId(const fs::path& store_dir) {
  const fs::path path = store_dir / "CURRENT";
  std::error_code error;
  if (!fs::exists(path, error)) {
    throw UserError(ErrorCode::kBadStore,
                    fmt::format("the store {} has no current release: {} is missing (no release "
                                "has been published yet?)",
                                store_dir.string(), path.string()));
  }
  std::string id = ReadSmallFile(path, kMaxCurrentBytes, "current-release pointer");
  if (!id.empty() && id.back() == '\n') id.pop_back();
  if (!IsReleaseId(id)) {
    throw UserError(ErrorCode::kBadStore,
                    fmt::format("{} does not hold a release id (r and six digits)", path.string()));
  }
  if (!fs::is_directory(ReleaseDir(store_dir, id), error)) {
    throw UserError(ErrorCode::kBadStore,
                    fmt::format("{} names release {}, but its folder {} is missing", path.string(),
                                id, ReleaseDir(store_dir, id).string()));
  }
  return id;
}

std::vector<std::string> CompleteReleaseIds(const fs::path& store_dir) {
  std::vector<std::string> ids;
  std::error_code error;
  for (const fs::directory_entry& entry : fs::directory_iterator(ReleasesDir(store_dir), error)) {
    const std::string name = entry.path().filename().string();
    if (IsReleaseId(name) && entry.is_directory(error)) ids.push_back(name);
  }
  if (error && error != std::errc::no_such_file_or_directory) {
    throw UserError(
        ErrorCode::kIoFailure,
        fmt::format("cannot list {}: {}", ReleasesDir(store_dir).string(), error.message()));
  }
  std::sort(ids.begin(), ids.end());
  return ids;
}

void RemoveLeftovers(const fs::path& store_dir) {
  std::vector<fs::path> leftovers{store_dir / "CURRENT.tmp"};
  std::error_code error;
  for (const fs::directory_entry& entry : fs::directory_iterator(ReleasesDir(store_dir), error)) {
    const std::string name = entry.path().filename().string();
    if (EndsWith(name, ".partial") || EndsWith(name, ".deleting")) leftovers.push_back(entry);
  }
  for (const fs::path& path : leftovers) {
    fs::remove_all(path, error);
    if (error) {
      throw UserError(ErrorCode::kIoFailure, fmt::format("cannot remove the leftover {}: {}",
                                                         path.string(), error.message()));
    }
  }
}

}  // namespace jobindsigt::store
