#pragma once
// The engine's C++ API: opens a store's releases and answers queries (query.h) with cubes
// (cube.h). It knows nothing of HTTP, JSON or files other than the store's tables.
//
// Thread safety: Run may be called from many threads at once. Releases are loaded on first
// use and kept while in use; `latest` follows the store's CURRENT pointer, so a newly
// published release is picked up without a restart.

#include <cstddef>
#include <filesystem>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "catalog/code_lists.h"
#include "catalog/measure_catalog.h"
#include "engine/cube.h"
#include "engine/query.h"

namespace jobindsigt::engine {

struct AreaCatalog;

struct EngineSettings {
  // Upper limit on cells per answer (statistics × periods × areas × breakdown categories):
  // a larger query is refused with `too_many_cells` before any work is done.
  size_t max_cells = 250'000;
  // Worker threads per query; 0 = one per core.
  int threads = 0;
  // Persons and full-time persons by month from the rows of each month (month_pass.h)
  // instead of person by person; false forces the person pass (the tests compare the two).
  bool month_pass = true;
  // Population figures from the release's resident table (ResidentTable) instead of person by
  // person; false forces the person pass for them (the tests compare the two). Expenditure is
  // always counted from the payments of the months asked for (they are held month by month).
  bool resident_table = true;
  // Full-time persons and expenditure by area and benefit over whole months from the release's
  // sums by month, code and municipality (MonthCodeSums); false counts them row by row.
  bool sums = true;
  // The month pass sums contributions by leaf (period and each dimension's class of
  // categories) and turns the leaves into cells at the end; false sends every contribution to
  // its cells at once (the tests compare the two).
  bool month_leaves = true;
  // By leaf, tables of single months count a row's months as spans (month_spans.h); false
  // takes one contribution per month (the tests compare the two).
  bool month_spans = true;
  // Persons and fte over whole months, persons on a period's first or last day and activation,
  // when no breakdown is classed by day, over the benefit rows merged into runs for the latest
  // 36 months (Shard::runs); false visits the rows (the tests compare the two).
  bool runs = true;
};

// What a loaded release offers to those who build queries (the server, the catalogue).
struct ReleaseInfo {
  std::string id;
  DayNumber cut_off_day = 0;
  MonthIndex first_month = 0;  // first delivery month: periods before it are refused
  MonthIndex last_month = 0;   // the cut-off day's month
  int64_t persons = 0;
};

// Limits malloc's arenas to one per core. Call first thing in main() of a process that loads
// releases. glibc gives each thread an arena of its own, up to eight per core; the load's
// and the queries' threads then each keep the memory they freed. Over the engine benchmark's
// mix at `full` the peak rose 120-170 MiB above the load's own peak; with one arena per core
// it stayed at the load's, and no query was slower (bench/results/engine.md, nineteenth
// session).
void LimitMallocArenas();

class Engine {
 public:
  // Opens the store (the current release is loaded lazily) and reads the catalogue. Throws
  // UserError(kBadStore / kBadCatalog).
  static std::unique_ptr<Engine> Open(const std::filesystem::path& store,
                                      const std::filesystem::path& catalog_dir,
                                      EngineSettings settings = {});
  virtual ~Engine() = default;

  // Answers the query. Throws QueryError (query_error.h) naming the offending field for a
  // query that cannot be answered; never returns a partial cube.
  virtual Cube Run(const Query& query) const = 0;

  // The release `id` ("latest" for the current one). Throws QueryError(unknown_release).
  virtual ReleaseInfo Release(const std::string& id) const = 0;
  virtual std::vector<std::string> ReleaseIds() const = 0;
  // The bytes the loaded release `id` holds in memory, by part, largest first (where the
  // serving memory goes; the engine benchmark prints it).
  virtual std::vector<std::pair<std::string, size_t>> ReleaseMemory(
      const std::string& id) const = 0;
  // Loads the store's current release if it is not the one `latest` answers from, then
  // switches `latest` to it; queries running meanwhile use the release they started with.
  // Returns whether it switched. Throws UserError(kBadStore) when the release cannot be read
  // (`latest` keeps its release).
  virtual bool RefreshLatest() const = 0;
  virtual const EngineSettings& settings() const = 0;
  // The catalogue the engine answers from (for menus, documentation and checks).
  virtual const MeasureCatalog& measures() const = 0;
  virtual const CodeLists& codes() const = 0;
  virtual const AreaCatalog& areas() const = 0;
};

}  // namespace jobindsigt::engine
