#pragma once
// Small POSIX helpers for the store: whole writes, fsync of files and folders, renames,
// streaming xxh3 of a file, the store's write lock and the crash-test hook. Failures of the
// system throw UserError(kIoFailure) naming the path.

#include <array>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <span>
#include <string>
#include <string_view>

namespace jobindsigt::store {

// An open file descriptor, closed when the handle goes.
class FileHandle {
 public:
  FileHandle() = default;
  FileHandle(int fd, std::filesystem::path path) : fd_(fd), path_(std::move(path)) {}
  FileHandle(FileHandle&& other) noexcept;
  FileHandle& operator=(FileHandle&& other) noexcept;
  FileHandle(const FileHandle&) = delete;
  FileHandle& operator=(const FileHandle&) = delete;
  ~FileHandle();

  int fd() const { return fd_; }
  const std::filesystem::path& path() const { return path_; }
  void WriteAll(std::span<const std::byte> bytes) const;
  void Sync() const;
  // Closes and reports a failed close: on some file systems that is where a write fails.
  void Close();

 private:
  int fd_ = -1;
  std::filesystem::path path_;
};

// open(2) with O_CLOEXEC; throws kIoFailure.
FileHandle OpenFile(const std::filesystem::path& path, int flags, int mode = 0644);

// Opens a file or folder read-only and fsyncs it. A folder's fsync makes the names
// created or renamed in it durable.
void SyncPath(const std::filesystem::path& path);

// rename(2): atomic replacement within one file system.
void RenamePath(const std::filesystem::path& from, const std::filesystem::path& to);

// The whole file. A missing, unreadable or larger than `max_bytes` file throws kBadStore
// with `what` saying what the file is for.
std::string ReadSmallFile(const std::filesystem::path& path, uint64_t max_bytes,
                          std::string_view what);

struct FileHash {
  uint64_t bytes = 0;
  uint64_t xxh3 = 0;
};
FileHash HashFile(const std::filesystem::path& path);
std::string FormatHash(uint64_t xxh3);  // 16 lower-case hex digits

// The exclusive write lock of a store (STORE/LOCK, flock). Held for the object's lifetime;
// the kernel drops it when the process dies, so a crash never leaves the store locked.
class StoreLock {
 public:
  // Throws kStoreBusy when another process (or another StoreLock) holds it.
  explicit StoreLock(const std::filesystem::path& store_dir);

 private:
  FileHandle file_;
};

// Test hook for the fault-injection tests: when the environment variable
// JOBINDSIGT_STORE_CRASH_AT names `step`, the process kills itself with SIGKILL there.
// kCrashSteps lists every step, in the order a publish reaches them.
inline constexpr std::array<std::string_view, 10> kCrashSteps = {
    "table-half-written", "table-before-rename", "manifest-written",     "partial-synced",
    "release-renamed",    "releases-dir-synced", "current-half-written", "current-tmp-synced",
    "current-renamed",    "store-dir-synced",
};
void CrashPoint(std::string_view step);

}  // namespace jobindsigt::store
