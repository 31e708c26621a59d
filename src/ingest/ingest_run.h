#pragma once
// `jobindsigt ingest`: takes the deliveries not yet ingested, in order, validates every row,
// applies replacements and deletions, builds the person-sharded tables and spells, and
// publishes a new immutable release — or, when a file is rejected or a source's quarantine
// exceeds its limit, publishes nothing and leaves the current release in place.

#include <atomic>
#include <filesystem>
#include <optional>

#include "ingest/release_tables.h"
#include "ingest/run_report.h"

namespace jobindsigt::ingest {

struct IngestOptions {
  std::filesystem::path sources;
  std::filesystem::path store;
  std::filesystem::path catalog_dir;
  std::optional<MonthIndex> until;
  std::optional<std::filesystem::path> report_path;
  bool show_progress = true;
  // Persons per shard (the release layout's 262,144); tests use small shards to have many.
  size_t persons_per_shard = ShardPlan::kPersonsPerShard;
};

// Returns the run's report: status "published", "up_to_date" (nothing new) or "stopped".
// Throws UserError for unusable input (kBadInput, kBadCatalog, kBadStore, kStoreBusy) and
// when `stop` is set (kInterrupted); the store keeps its current release in every case.
RunReport Ingest(const IngestOptions& options, const std::atomic<bool>& stop);

}  // namespace jobindsigt::ingest
