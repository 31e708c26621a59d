#include "store/file_io.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>
#include <xxhash.h>

#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <utility>
#include <vector>

#include "common/error.h"

namespace jobindsigt::store {
namespace fs = std::filesystem;
namespace {

[[noreturn]] void ThrowIo(std::string_view action, const fs::path& path, int error) {
  throw UserError(ErrorCode::kIoFailure,
                  fmt::format("cannot {} {}: {}", action, path.string(), std::strerror(error)));
}

}  // namespace

FileHandle::FileHandle(FileHandle&& other) noexcept
    : fd_(std::exchange(other.fd_, -1)), path_(std::move(other.path_)) {}

FileHandle& FileHandle::operator=(FileHandle&& other) noexcept {
  if (this != &other) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = std::exchange(other.fd_, -1);
    path_ = std::move(other.path_);
  }
  return *this;
}

FileHandle::~FileHandle() {
  if (fd_ >= 0) ::close(fd_);
}

void FileHandle::WriteAll(std::span<const std::byte> bytes) const {
  size_t written = 0;
  while (written < bytes.size()) {
    const ssize_t result = ::write(fd_, bytes.data() + written, bytes.size() - written);
    if (result < 0) {
      if (errno == EINTR) continue;
      ThrowIo("write", path_, errno);
    }
    written += static_cast<size_t>(result);
  }
}

void FileHandle::Sync() const {
  if (::fsync(fd_) != 0) ThrowIo("fsync", path_, errno);
}

void FileHandle::Close() {
  const int fd = std::exchange(fd_, -1);
  if (fd >= 0 && ::close(fd) != 0 && errno != EINTR) ThrowIo("close", path_, errno);
}

FileHandle OpenFile(const fs::path& path, int flags, int mode) {
  const int fd = ::open(path.c_str(), flags | O_CLOEXEC, mode);
  if (fd < 0) ThrowIo("open", path, errno);
  return FileHandle(fd, path);
}

void SyncPath(const fs::path& path) {
  OpenFile(path, O_RDONLY).Sync();
}

void RenamePath(const fs::path& from, const fs::path& to) {
  if (::rename(from.c_str(), to.c_str()) != 0) {
    ThrowIo(fmt::format("rename {} to", from.string()), to, errno);
  }
}

std::string ReadSmallFile(const fs::path& path, uint64_t max_bytes, std::string_view what) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    throw UserError(ErrorCode::kBadStore, fmt::format("cannot read the {} {}: {}", what,
                                                      path.string(), std::strerror(errno)));
  }
  const FileHandle file(fd, path);
  std::string content;
  char buffer[4096];
  while (true) {
    const ssize_t result = ::read(fd, buffer, sizeof buffer);
    if (result < 0 && errno == EINTR) continue;
    if (result < 0) ThrowIo("read", path, errno);
    if (result == 0) break;
    content.append(buffer, static_cast<size_t>(result));
    if (content.size() > max_bytes) {
      throw UserError(ErrorCode::kBadStore,
                      fmt::format("the {} {} is larger than {} bytes: it is not a file the "
                                  "store wrote",
                                  what, path.string(), max_bytes));
    }
  }
  return content;
}

FileHash HashFile(const fs::path& path) {
  const FileHandle file = OpenFile(path, O_RDONLY);
  const std::unique_ptr<XXH3_state_t, decltype(&XXH3_freeState)> state(XXH3_createState(),
                                                                       &XXH3_freeState);
  if (!state) throw std::bad_alloc();
  XXH3_64bits_reset(state.get());
  std::vector<char> buffer(size_t{1} << 20);
  FileHash hash;
  while (true) {
    const ssize_t result = ::read(file.fd(), buffer.data(), buffer.size());
    if (result < 0 && errno == EINTR) continue;
    if (result < 0) ThrowIo("read", path, errno);
    if (result == 0) break;
    XXH3_64bits_update(state.get(), buffer.data(), static_cast<size_t>(result));
    hash.bytes += static_cast<uint64_t>(result);
  }
  hash.xxh3 = XXH3_64bits_digest(state.get());
  return hash;
}

std::string FormatHash(uint64_t xxh3) {
  return fmt::format("{:016x}", xxh3);
}

StoreLock::StoreLock(const fs::path& store_dir) {
  const fs::path path = store_dir / "LOCK";
  file_ = OpenFile(path, O_RDWR | O_CREAT);
  if (::flock(file_.fd(), LOCK_EX | LOCK_NB) != 0) {
    if (errno != EWOULDBLOCK) ThrowIo("lock", path, errno);
    char holder[32] = {};
    const ssize_t read = ::pread(file_.fd(), holder, sizeof holder - 1, 0);
    throw UserError(
        ErrorCode::kStoreBusy,
        fmt::format("the store {} is locked by another process{} that is writing or "
                    "pruning it ({}); wait for it to finish",
                    store_dir.string(),
                    read > 0 ? fmt::format(" (pid {})", std::string(holder)) : "", path.string()));
  }
  // The holder's pid, for the message above; the lock itself is the flock.
  const std::string pid = std::to_string(::getpid());
  if (::ftruncate(file_.fd(), 0) == 0) {
    [[maybe_unused]] const ssize_t ignored = ::pwrite(file_.fd(), pid.data(), pid.size(), 0);
  }
}

void CrashPoint(std::string_view step) {
  const char* wanted = std::getenv("JOBINDSIGT_STORE_CRASH_AT");
  if (wanted != nullptr && step == wanted) ::raise(SIGKILL);
}

}  // namespace jobindsigt::store
