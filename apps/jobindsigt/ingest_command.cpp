// `jobindsigt ingest` and `jobindsigt releases`.

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <malloc.h>

#include <climits>
#include <cstdlib>
#include <memory>

#include "apps/jobindsigt/commands.h"
#include "apps/jobindsigt/stop_flag.h"
#include "common/error.h"
#include "ingest/ingest_run.h"
#include "store/store.h"

namespace jobindsigt::cli {
namespace {

struct IngestFlags {
  std::string sources;
  std::string store;
  std::string until;
  std::string report;
  std::string catalog;
  bool quiet = false;
};

struct ReleasesFlags {
  std::string store;
  std::string verify;
  int prune_keep = 0;
  bool json = false;
};

// The ingest builds each shard's tables in columns of tens to hundreds of megabytes, one
// shard after another. glibc serves such blocks with mmap and gives them back on free, so every
// shard paid again for page faults and the kernel's zeroing (a quarter of an incremental
// run's CPU time at `full`). Kept on the heap instead, freed columns are reused by the next
// shard; the peak stays about the same (about a tenth more, measured at `medium`).
void KeepFreedMemoryForReuse() {
  mallopt(M_MMAP_MAX, 0);
  mallopt(M_TRIM_THRESHOLD, INT_MAX);
}

int RunIngest(const IngestFlags& flags) {
  KeepFreedMemoryForReuse();
  ingest::IngestOptions options;
  options.sources = flags.sources;
  options.store = flags.store;
  options.catalog_dir = CatalogDir(flags.catalog);
  if (!flags.until.empty()) {
    options.until = ParseYearMonth(flags.until);
    if (!options.until) {
      throw UserError(ErrorCode::kBadArgument,
                      fmt::format("--until '{}' is not a month: expected YYYY-MM", flags.until));
    }
  }
  if (!flags.report.empty()) options.report_path = flags.report;
  options.show_progress = !flags.quiet;
  const ingest::RunReport report = ingest::Ingest(options, StopFlag());
  if (report.status == "up_to_date") {
    fmt::print("up to date: release {} already holds every delivery in {}\n", report.release_id,
               flags.sources);
    return 0;
  }
  fmt::print("{}", report.Summary());
  return report.status == "published" ? 0 : kExitNotPublished;
}

int RunReleases(const ReleasesFlags& flags) {
  const store::Store store = store::Store::Open(flags.store);
  if (flags.prune_keep > 0) {
    const auto removed = store.Prune(flags.prune_keep);
    fmt::print("pruned {} release(s){}{}\n", removed.size(), removed.empty() ? "" : ": ",
               fmt::join(removed, ", "));
  }
  if (!flags.verify.empty()) {
    const auto result = store.VerifyRelease(flags.verify);
    for (const auto& problem : result.problems) fmt::print("  {}\n", problem);
    fmt::print("release {}: {} files, {:.1f} MB checked, {}\n", result.release_id,
               result.files_checked, result.bytes_checked / 1e6,
               result.ok() ? "all match the manifest" : "DAMAGED");
    return result.ok() ? 0 : kExitFailure;
  }
  const auto releases = store.ListReleases();
  if (flags.json) {
    nlohmann::json list = nlohmann::json::array();
    for (const auto& info : releases) {
      list.push_back({{"id", info.id},
                      {"created_utc", info.created_utc},
                      {"cut_off_day", info.cut_off_day == 0 ? "" : FormatIsoDate(info.cut_off_day)},
                      {"current", info.is_current},
                      {"bytes", info.bytes},
                      {"problem", info.problem}});
    }
    fmt::print("{}\n", list.dump(2));
    return 0;
  }
  fmt::print("{:<9} {:<21} {:<11} {:>10}  {}\n", "release", "created (UTC)", "cut-off", "MB", "");
  for (const auto& info : releases) {
    fmt::print("{:<9} {:<21} {:<11} {:>10.1f}  {}{}\n", info.id, info.created_utc,
               info.cut_off_day == 0 ? "" : FormatIsoDate(info.cut_off_day), info.bytes / 1e6,
               info.is_current ? "current" : "", info.problem);
  }
  return 0;
}

}  // namespace

void AddIngestCommand(CLI::App& app, Action& action) {
  auto flags = std::make_shared<IngestFlags>();
  CLI::App* command = app.add_subcommand(
      "ingest",
      "Take the deliveries not yet ingested, validate them, and publish a new release of the "
      "store. Exit code 3: a file was rejected or too many rows were quarantined, and nothing "
      "was published.");
  command
      ->add_option("--sources", flags->sources,
                   "Folder with one folder per delivery month (YYYY-MM)")
      ->required();
  command->add_option("--store", flags->store, "The store folder (created when new)")->required();
  command->add_option("--until", flags->until, "Take no delivery after this month (YYYY-MM)");
  command->add_option("--report", flags->report, "Also write the run report (JSON) to this file");
  command->add_option("--catalog", flags->catalog,
                      "Catalogue folder (default: $JOBINDSIGT_CATALOG or the built-in path)");
  command->add_flag("--quiet", flags->quiet, "No progress output");
  command->callback([flags, &action] { action = [flags] { return RunIngest(*flags); }; });
}

void AddReleasesCommand(CLI::App& app, Action& action) {
  auto flags = std::make_shared<ReleasesFlags>();
  CLI::App* command =
      app.add_subcommand("releases", "List a store's releases; verify or prune them explicitly.");
  command->add_option("--store", flags->store, "The store folder")->required();
  command->add_option("--verify", flags->verify,
                      "Check every file of a release (an id or 'latest') against its manifest");
  command
      ->add_option("--prune-keep", flags->prune_keep,
                   "Delete all but the newest N releases (never the current one)")
      ->check(CLI::Range(1, 100000));
  command->add_flag("--json", flags->json, "List as JSON");
  command->callback([flags, &action] { action = [flags] { return RunReleases(*flags); }; });
}

}  // namespace jobindsigt::cli
