#pragma once
// One source's table of one person shard, built on its own: the previous release's rows of
// the shard and the rows spilled for it are resolved, sorted and written; for benefits also
// the shard's spells. Tables share nothing but what is read, so the ingest builds them on
// all cores, each in the memory of one shard's rows of one source.

#include <filesystem>
#include <functional>
#include <memory>
#include <vector>

#include "ingest/release_notes.h"
#include "ingest/row_spill.h"
#include "ingest/shard_resolver.h"
#include "store/store.h"

namespace jobindsigt::ingest {

struct ShardJob {
  const DataflowCatalog* catalog = nullptr;
  // Per source, in catalogue order: the delivered rows set aside per shard.
  const std::vector<std::unique_ptr<RowSpill>>* delivered = nullptr;
  // The previous release's rows come from its tables of the same shard (`previous`), or, when
  // the number of shards changed, from spills of those rows (`previous_spilled`).
  const store::Release* previous = nullptr;
  const std::vector<std::unique_ptr<RowSpill>>* previous_spilled = nullptr;
  // Per source: the text dictionary after reading every delivery (texts, text_index).
  const std::vector<SourceRows>* texts = nullptr;
  SpellGroups spell_groups;
  DayNumber cutoff_day = 0;
  size_t benefit_codes = 0;  // the size of the benefit code list, for the release notes
  std::function<std::filesystem::path(const std::string&)> path_of;  // release.Path
};

struct ShardResult {
  std::vector<int64_t> records;                       // live rows per source
  std::vector<std::vector<UnknownDeletion>> unknown;  // per source
  int64_t spells = 0;
  BenefitChanges changes;
  int shard = 0;
  size_t source = 0;
  SourceChanges source_changes;  // what changed in the source's records of this shard
  PersonCodes benefit_persons;   // benefits, after a previous release: the persons' codes
};

// Builds the table of `source` (catalogue index) for shard `shard` (0 for a source without
// persons), and for benefits also the shard's spells.
ShardResult BuildShard(const ShardJob& job, int shard, size_t source);

}  // namespace jobindsigt::ingest
