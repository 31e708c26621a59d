#include "store/release_writer.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <ctime>
#include <stdexcept>
#include <system_error>

#include "common/error.h"
#include "store/release_layout.h"
#include "store/table_format.h"
#include "store/table_reader.h"

namespace jobindsigt::store {
namespace fs = std::filesystem;
namespace {

// Creates STORE/releases/ and makes each new folder's name durable in its parent.
fs::path PrepareStoreDir(fs::path store_dir) {
  std::error_code error;
  for (const fs::path& folder : {store_dir, ReleasesDir(store_dir)}) {
    if (fs::is_directory(folder, error)) continue;
    if (!fs::create_directories(folder, error) && error) {
      throw UserError(
          ErrorCode::kOutputUnwritable,
          fmt::format("cannot create the store folder {}: {}", folder.string(), error.message()));
    }
    SyncPath(fs::absolute(folder).parent_path());
  }
  return store_dir;
}

std::string NowUtc() {
  const std::time_t now = std::time(nullptr);
  std::tm utc{};
  gmtime_r(&now, &utc);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &utc);
  return text;
}

bool StartsWithTableMagic(const fs::path& path) {
  char head[format::kMagic.size()] = {};
  const FileHandle file = OpenFile(path, O_RDONLY);
  return ::pread(file.fd(), head, sizeof head, 0) == static_cast<ssize_t>(sizeof head) &&
         std::memcmp(head, format::kMagic.data(), sizeof head) == 0;
}

// fsyncs every file and folder under `root`, and `root` itself.
void SyncTree(const fs::path& root) {
  for (const fs::directory_entry& entry : fs::recursive_directory_iterator(root)) {
    SyncPath(entry.path());
  }
  SyncPath(root);
}

}  // namespace

ReleaseWriter::ReleaseWriter(fs::path store_dir)
    : store_dir_(PrepareStoreDir(std::move(store_dir))), lock_(store_dir_) {
  RemoveLeftovers(store_dir_);
  if (fs::exists(store_dir_ / "CURRENT")) {
    const fs::path folder = ReleaseDir(store_dir_, ReadCurrentId(store_dir_));
    current_release_.emplace(folder, ReadManifest(folder));
  }
  const std::vector<std::string> ids = CompleteReleaseIds(store_dir_);
  const int number = ids.empty() ? 1 : ReleaseNumber(ids.back()) + 1;
  if (number > kMaxReleaseNumber) {
    throw UserError(ErrorCode::kOutputUnwritable,
                    fmt::format("the store {} has used every release id up to {}",
                                store_dir_.string(), ids.back()));
  }
  id_ = FormatReleaseId(number);
  partial_dir_ = ReleasesDir(store_dir_) / (id_ + ".partial");
  std::error_code error;
  if (!fs::create_directory(partial_dir_, error)) {
    throw UserError(ErrorCode::kOutputUnwritable,
                    fmt::format("cannot create the release folder {}: {}", partial_dir_.string(),
                                error ? error.message() : "it exists"));
  }
}

ReleaseWriter::~ReleaseWriter() {
  if (!published_) {
    std::error_code ignored;
    fs::remove_all(partial_dir_, ignored);
  }
}

fs::path ReleaseWriter::Path(std::string_view relative) const {
  if (published_) throw std::logic_error("ReleaseWriter::Path after Publish");
  if (!IsSafeRelativePath(relative) || relative == kManifestName) {
    throw std::logic_error(
        fmt::format("ReleaseWriter::Path: '{}' is not a file name inside a "
                    "release (letters, digits, '.', '_', '-', '/' folders)",
                    relative));
  }
  fs::path path = partial_dir_ / relative;
  std::error_code error;
  fs::create_directories(path.parent_path(), error);
  if (error) {
    throw UserError(ErrorCode::kOutputUnwritable,
                    fmt::format("cannot create the folder {}: {}", path.parent_path().string(),
                                error.message()));
  }
  return path;
}

std::vector<ManifestFile> ReleaseWriter::RecordFiles() const {
  std::vector<ManifestFile> files;
  for (const fs::directory_entry& entry : fs::recursive_directory_iterator(partial_dir_)) {
    if (entry.is_directory()) continue;
    const std::string relative = entry.path().lexically_relative(partial_dir_).generic_string();
    if (!entry.is_regular_file() || !IsSafeRelativePath(relative)) {
      throw std::logic_error(fmt::format(
          "release {} holds {}, which is not a regular file with a safe name", id_, relative));
    }
    const FileHash hash = HashFile(entry.path());
    ManifestFile file{relative, hash.bytes, FormatHash(hash.xxh3), std::nullopt};
    // Opening a table checks it completely before it is published.
    if (StartsWithTableMagic(entry.path())) file.rows = TableReader::Open(entry.path()).rows();
    files.push_back(std::move(file));
  }
  std::sort(files.begin(), files.end(),
            [](const ManifestFile& a, const ManifestFile& b) { return a.path < b.path; });
  return files;
}

Manifest ReleaseWriter::Publish(const nlohmann::json& summary, DayNumber cut_off_day,
                                std::vector<MonthIndex> source_months) {
  if (published_) throw std::logic_error("ReleaseWriter::Publish called twice");
  if (!summary.is_object()) throw std::logic_error("ReleaseWriter: summary must be an object");
  std::sort(source_months.begin(), source_months.end());
  source_months.erase(std::unique(source_months.begin(), source_months.end()), source_months.end());
  Manifest manifest;
  manifest.release_id = id_;
  manifest.created_utc = NowUtc();
  manifest.cut_off_day = cut_off_day;
  manifest.source_months = std::move(source_months);
  manifest.files = RecordFiles();
  manifest.summary = summary;

  FileHandle file = OpenFile(partial_dir_ / kManifestName, O_WRONLY | O_CREAT | O_TRUNC);
  const std::string text = ManifestToJson(manifest);
  file.WriteAll(std::as_bytes(std::span(text)));
  file.Sync();
  file.Close();
  CrashPoint("manifest-written");
  // Every file and folder of the release is on disk before its final name appears.
  SyncTree(partial_dir_);
  CrashPoint("partial-synced");
  const fs::path final_dir = ReleaseDir(store_dir_, id_);
  RenamePath(partial_dir_, final_dir);
  partial_dir_ = final_dir;
  published_ = true;
  CrashPoint("release-renamed");
  // The release's name is on disk before CURRENT can point at it.
  SyncPath(ReleasesDir(store_dir_));
  CrashPoint("releases-dir-synced");
  SwitchCurrent();
  return manifest;
}

void ReleaseWriter::SwitchCurrent() const {
  const fs::path temporary = store_dir_ / "CURRENT.tmp";
  const std::string text = id_ + "\n";
  const auto bytes = std::as_bytes(std::span(text));
  FileHandle file = OpenFile(temporary, O_WRONLY | O_CREAT | O_TRUNC);
  file.WriteAll(bytes.first(bytes.size() / 2));
  CrashPoint("current-half-written");
  file.WriteAll(bytes.subspan(bytes.size() / 2));
  file.Sync();
  file.Close();
  CrashPoint("current-tmp-synced");
  RenamePath(temporary, store_dir_ / "CURRENT");
  CrashPoint("current-renamed");
  SyncPath(store_dir_);
  CrashPoint("store-dir-synced");
}

}  // namespace jobindsigt::store
