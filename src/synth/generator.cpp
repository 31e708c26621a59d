#include "synth/generator.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <cstring>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <thread>

#include "catalog/municipalities.h"
#include "common/error.h"
#include "common/progress.h"
#include "synth/delivery_buffers.h"
#include "synth/delivery_writer.h"
#include "synth/municipal_facts.h"
#include "synth/person_life.h"

namespace jobindsigt::synth {
namespace fs = std::filesystem;
namespace {

constexpr int64_t kPersonsPerChunk = 16384;

fs::path MonthFolder(const fs::path& root, MonthIndex month) {
  return root / FormatYearMonth(month);
}

void AppendToFile(const fs::path& path, const std::string& text) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_APPEND | O_CLOEXEC);
  if (fd < 0) {
    throw UserError(ErrorCode::kIoFailure,
                    fmt::format("cannot open {}: {}", path.string(), std::strerror(errno)));
  }
  size_t written = 0;
  while (written < text.size()) {
    const ssize_t result = ::write(fd, text.data() + written, text.size() - written);
    if (result < 0) {
      if (errno == EINTR) continue;
      const int error = errno;
      ::close(fd);
      throw UserError(ErrorCode::kIoFailure,
                      fmt::format("cannot write {}: {}", path.string(), std::strerror(error)));
    }
    written += static_cast<size_t>(result);
  }
  ::close(fd);
}

// Appends every non-empty buffer to its file and counts rows and bytes.
void FlushBuffers(const fs::path& root, const DeliveryBuffers& buffers, GenerateSummary& summary) {
  for (MonthIndex month = buffers.first_delivery(); month <= buffers.last_delivery(); ++month) {
    const fs::path folder = MonthFolder(root, month);
    for (int file = 0; file < kSourceFileCount; ++file) {
      const std::string& text = buffers.Buffer(month, static_cast<SourceFile>(file));
      if (text.empty()) continue;
      AppendToFile(folder / kSourceFiles[file].file_name, text);
      summary.rows[file] += static_cast<uint64_t>(std::count(text.begin(), text.end(), '\n'));
      summary.bytes[file] += text.size();
    }
  }
}

void CheckOptions(const GeneratorOptions& options) {
  if (options.from > options.until) {
    throw UserError(
        ErrorCode::kBadArgument,
        fmt::format("--until {} is before --from {}: expected a month on or after --from",
                    FormatYearMonth(options.until), FormatYearMonth(options.from)));
  }
  if (options.from < kEarliestMonth || options.until > kLatestMonth) {
    throw UserError(ErrorCode::kBadArgument,
                    fmt::format("months {} … {} are outside the generator's range: expected "
                                "--from and --until within {} … {}",
                                FormatYearMonth(options.from), FormatYearMonth(options.until),
                                FormatYearMonth(kEarliestMonth), FormatYearMonth(kLatestMonth)));
  }
  if (options.threads < 1 || options.threads > 256) {
    throw UserError(ErrorCode::kBadArgument,
                    fmt::format("--threads {} is not allowed: expected 1 … 256", options.threads));
  }
}

// Checks the output folder and makes the staging folder beside it.
fs::path PrepareStaging(const GeneratorOptions& options) {
  const fs::path out = fs::absolute(options.out_dir).lexically_normal();
  std::error_code error;
  if (fs::exists(out, error)) {
    if (!fs::is_directory(out, error)) {
      throw UserError(
          ErrorCode::kOutputUnwritable,
          fmt::format("--out {} is a file: expected a folder (new or empty)", out.string()));
    }
    if (!fs::is_empty(out, error) && !options.force) {
      throw UserError(ErrorCode::kOutputNotEmpty,
                      fmt::format("--out {} is not empty: expected a new or empty folder "
                                  "(add --force to replace it)",
                                  out.string()));
    }
    // --force replaces earlier generated data only, never an unrelated folder.
    for (const auto& entry : fs::directory_iterator(out, error)) {
      if (!entry.is_directory() || !ParseYearMonth(entry.path().filename().string())) {
        throw UserError(ErrorCode::kOutputNotEmpty,
                        fmt::format("--out {} holds '{}', which generate did not write: expected "
                                    "a new, empty or earlier generated folder",
                                    out.string(), entry.path().filename().string()));
      }
    }
  }
  const fs::path parent = out.parent_path();
  fs::create_directories(parent, error);
  if (error || ::access(parent.c_str(), W_OK) != 0) {
    throw UserError(ErrorCode::kOutputUnwritable,
                    fmt::format("--out {}: cannot write in {}: expected a folder you may write to",
                                out.string(), parent.string()));
  }
  fs::path staging = parent / fmt::format(".{}.partial-{}", out.filename().string(), ::getpid());
  fs::remove_all(staging, error);
  fs::create_directories(staging, error);
  if (error) {
    throw UserError(ErrorCode::kOutputUnwritable,
                    fmt::format("cannot create {}: {}", staging.string(), error.message()));
  }
  return staging;
}

void WriteHeaders(const fs::path& staging, MonthIndex first, MonthIndex last) {
  for (MonthIndex month = first; month <= last; ++month) {
    const fs::path folder = MonthFolder(staging, month);
    fs::create_directories(folder);
    for (const auto& info : kSourceFiles) {
      const fs::path path = folder / info.file_name;
      const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
      if (fd < 0)
        throw UserError(ErrorCode::kIoFailure, fmt::format("cannot create {}", path.string()));
      ::close(fd);
      AppendToFile(path, std::string(info.header) + "\n");
    }
  }
}

// Simulates chunks on worker threads and hands them to the caller in order.
class ChunkPipeline {
 public:
  ChunkPipeline(const World& world, int threads, const std::atomic<bool>& stop)
      : world_(world),
        stop_(stop),
        chunk_count_((world.total_persons() + kPersonsPerChunk - 1) / kPersonsPerChunk),
        max_in_flight_(threads + 2) {
    for (int index = 0; index < threads; ++index) workers_.emplace_back([this] { Work(); });
  }

  ~ChunkPipeline() {
    {
      std::lock_guard lock(mutex_);
      cancelled_ = true;
    }
    changed_.notify_all();
    for (auto& worker : workers_) worker.join();
  }

  int64_t chunk_count() const { return chunk_count_; }

  // The chunk's rows, or nullptr when a worker failed or the run was stopped.
  std::unique_ptr<DeliveryBuffers> Take(int64_t chunk) {
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [&] { return ready_.count(chunk) != 0 || failure_ || stop_.load(); });
    if (failure_) std::rethrow_exception(failure_);
    if (stop_.load()) return nullptr;
    auto buffers = std::move(ready_[chunk]);
    ready_.erase(chunk);
    taken_ = chunk + 1;
    changed_.notify_all();
    return buffers;
  }

 private:
  void Work() {
    PersonLife life;
    while (true) {
      int64_t chunk;
      {
        std::unique_lock lock(mutex_);
        changed_.wait(lock, [&] { return cancelled_ || next_ < taken_ + max_in_flight_; });
        if (cancelled_ || next_ >= chunk_count_ || stop_.load()) return;
        chunk = next_++;
      }
      try {
        auto buffers =
            std::make_unique<DeliveryBuffers>(world_.first_delivery(), world_.last_delivery());
        const int64_t first = chunk * kPersonsPerChunk;
        const int64_t last = std::min(first + kPersonsPerChunk, world_.total_persons());
        for (int64_t seq = first; seq < last && !stop_.load(); ++seq) {
          SimulatePerson(world_, seq, life);
          WritePersonRows(world_, life, *buffers);
        }
        std::lock_guard lock(mutex_);
        ready_[chunk] = std::move(buffers);
      } catch (...) {
        std::lock_guard lock(mutex_);
        if (!failure_) failure_ = std::current_exception();
      }
      changed_.notify_all();
    }
  }

  const World& world_;
  const std::atomic<bool>& stop_;
  const int64_t chunk_count_;
  const int64_t max_in_flight_;
  std::mutex mutex_;
  std::condition_variable changed_;
  std::map<int64_t, std::unique_ptr<DeliveryBuffers>> ready_;
  std::exception_ptr failure_;
  int64_t next_ = 0;
  int64_t taken_ = 0;
  bool cancelled_ = false;
  std::vector<std::thread> workers_;
};

void WriteAll(const GeneratorOptions& options, const World& world, const fs::path& staging,
              const std::atomic<bool>& stop, GenerateSummary& summary) {
  WriteHeaders(staging, world.first_delivery(), world.last_delivery());
  {
    DeliveryBuffers facts(world.first_delivery(), world.last_delivery());
    WriteMunicipalFacts(world, facts);
    FlushBuffers(staging, facts, summary);
  }
  ChunkPipeline pipeline(world, options.threads, stop);
  Progress progress("generate", static_cast<uint64_t>(pipeline.chunk_count()));
  for (int64_t chunk = 0; chunk < pipeline.chunk_count(); ++chunk) {
    auto buffers = pipeline.Take(chunk);
    if (!buffers)
      throw UserError(ErrorCode::kInterrupted, "stopped by a signal; nothing was written to --out");
    FlushBuffers(staging, *buffers, summary);
    if (options.show_progress) progress.Update(static_cast<uint64_t>(chunk + 1));
  }
  if (options.show_progress) progress.Finish();
}

}  // namespace

GenerateSummary Generate(const GeneratorOptions& options, const std::atomic<bool>& stop) {
  const auto started = std::chrono::steady_clock::now();
  CheckOptions(options);
  const auto municipalities = LoadMunicipalities(options.catalog_dir);
  const World world(options, municipalities);
  const fs::path staging = PrepareStaging(options);
  GenerateSummary summary;
  summary.persons = world.total_persons();
  summary.municipalities = static_cast<int>(world.municipalities().size());
  summary.delivery_months = world.last_delivery() - world.first_delivery() + 1;
  try {
    WriteAll(options, world, staging, stop, summary);
    const fs::path out = fs::absolute(options.out_dir).lexically_normal();
    fs::remove_all(out);
    fs::rename(staging, out);
  } catch (...) {
    std::error_code ignored;
    fs::remove_all(staging, ignored);
    throw;
  }
  summary.seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return summary;
}

}  // namespace jobindsigt::synth
