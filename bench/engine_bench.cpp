// The engine benchmark (bench/engine_bench.sh): opens a store once, loads the latest release,
// then answers each query of a mix (bench/queries/*.json) N times and prints per query the
// median, p95 and min wall time and the cell count, the load time and memory. It writes each
// answer as CSV so that bench/duckdb_engine_mix.mjs can check every cell against DuckDB, and
// every timed run to OUT/times.tsv.
//
//   engine_bench --store DIR --catalog DIR --queries DIR --out DIR [--runs N] [--threads T]
//
// Output on stdout is tab-separated for the script: `load <ms> <rss_mb>`, one
// `memory <part> <mb>` per part of the loaded release (largest first), one
// `query <name> <cells> <median> <p95> <min>` per query, then `peak_rss <mb>`.

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "common/error.h"
#include "engine/engine.h"
#include "engine/query_error.h"
#include "server/query_request.h"

namespace {

using jobindsigt::engine::Cube;
namespace fs = std::filesystem;

struct Options {
  fs::path store;
  fs::path catalog;
  fs::path queries;
  fs::path out;
  int runs = 20;
  int threads = 0;
};

// Resident and peak resident memory in MB from /proc: what the serving process really holds,
// mapped table files included.
double ProcStatusMb(const char* key) {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind(key, 0) == 0) return std::stod(line.substr(std::string(key).size())) / 1024.0;
  }
  return 0;
}

std::string ReadFile(const fs::path& path) {
  std::ifstream input(path, std::ios::binary);
  std::ostringstream text;
  text << input.rdbuf();
  return text.str();
}

double Milliseconds(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
      .count();
}

// Nearest-rank percentile of sorted values.
double Percentile(const std::vector<double>& sorted, double share) {
  const size_t rank = static_cast<size_t>(std::ceil(share * static_cast<double>(sorted.size())));
  return sorted[std::clamp<size_t>(rank, 1, sorted.size()) - 1];
}

double Median(const std::vector<double>& sorted) {
  const size_t n = sorted.size();
  return n % 2 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
}

// One row per cell: every dimension's category id, the value (shortest text that reads back
// to the same double, so the checker compares the engine's own numbers), the status and the
// left-out count of status_after cells. Ids are codes, band texts or group names: none holds
// a comma or quote in the mix, so no quoting is needed.
void WriteCsv(const Cube& cube, const fs::path& path) {
  std::ofstream csv(path);
  for (const auto& dimension : cube.dimensions) csv << dimension.id << ',';
  csv << "value,status,left_out\n";
  for (size_t cell = 0; cell < cube.CellCount(); ++cell) {
    const auto coordinates = cube.Coordinates(cell);
    for (size_t d = 0; d < coordinates.size(); ++d)
      csv << cube.dimensions[d].categories[coordinates[d]].id << ',';
    const double value = cube.values[cell];
    if (!std::isnan(value)) csv << fmt::format("{}", value);
    csv << ',' << jobindsigt::engine::CellStatusId(cube.statuses[cell]) << ','
        << (cell < cube.left_out.size() ? cube.left_out[cell] : 0) << '\n';
  }
}

Options ParseArguments(int argc, char** argv) {
  Options options;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string flag = argv[i];
    const std::string value = argv[i + 1];
    if (flag == "--store") {
      options.store = value;
    } else if (flag == "--catalog") {
      options.catalog = value;
    } else if (flag == "--queries") {
      options.queries = value;
    } else if (flag == "--out") {
      options.out = value;
    } else if (flag == "--runs") {
      options.runs = std::max(1, std::stoi(value));
    } else if (flag == "--threads") {
      options.threads = std::stoi(value);
    } else {
      throw std::invalid_argument("unknown flag " + flag);
    }
  }
  if (options.store.empty() || options.catalog.empty() || options.queries.empty() ||
      options.out.empty()) {
    throw std::invalid_argument(
        "usage: engine_bench --store DIR --catalog DIR --queries DIR --out DIR [--runs N] "
        "[--threads T]");
  }
  return options;
}

int Run(const Options& options) {
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(options.queries))
    if (entry.path().extension() == ".json") files.push_back(entry.path());
  std::sort(files.begin(), files.end());
  fs::create_directories(options.out);
  // Every timed run, for figures over the whole mix (bench/engine_bench.sh).
  std::ofstream times_file(options.out / "times.tsv");

  jobindsigt::engine::EngineSettings settings;
  settings.threads = options.threads;
  const auto engine = jobindsigt::engine::Engine::Open(options.store, options.catalog, settings);
  // Loading is separate from answering: a server loads once and then serves many queries.
  const auto load_start = std::chrono::steady_clock::now();
  const auto release = engine->Release("latest");
  const double load_ms = Milliseconds(load_start);
  fmt::print("load\t{:.1f}\t{:.0f}\t{}\n", load_ms, ProcStatusMb("VmRSS:"), release.id);
  for (const auto& [part, bytes] : engine->ReleaseMemory(release.id))
    fmt::print("memory\t{}\t{:.0f}\n", part, static_cast<double>(bytes) / (1 << 20));
  std::fflush(stdout);

  for (const auto& file : files) {
    const std::string name = file.stem().string();
    const auto query = jobindsigt::server::ParseQueryRequest(ReadFile(file));
    // The first run is a warm-up (page cache, allocator) and gives the answer to check.
    const Cube cube = engine->Run(query);
    WriteCsv(cube, options.out / (name + ".csv"));
    std::vector<double> times;
    for (int run = 0; run < options.runs; ++run) {
      const auto start = std::chrono::steady_clock::now();
      const Cube timed = engine->Run(query);
      times.push_back(Milliseconds(start));
      times_file << name << '\t' << fmt::format("{:.3f}", times.back()) << '\n';
      if (timed.CellCount() != cube.CellCount()) throw std::logic_error("answer changed");
    }
    std::sort(times.begin(), times.end());
    fmt::print("query\t{}\t{}\t{:.2f}\t{:.2f}\t{:.2f}\n", name, cube.CellCount(), Median(times),
               Percentile(times, 0.95), times.front());
    std::fflush(stdout);
  }
  fmt::print("peak_rss\t{:.0f}\n", ProcStatusMb("VmHWM:"));
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  jobindsigt::engine::LimitMallocArenas();
  try {
    return Run(ParseArguments(argc, argv));
  } catch (const jobindsigt::engine::QueryError& error) {
    fmt::print(stderr, "engine_bench: query error [{}] at '{}': {}\n", error.reason(),
               error.field(), error.what());
  } catch (const std::exception& error) {
    fmt::print(stderr, "engine_bench: {}\n", error.what());
  }
  return 1;
}
