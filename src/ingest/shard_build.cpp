#include "ingest/shard_build.h"

#include <algorithm>

namespace jobindsigt::ingest {
namespace {

// `delivered_rows`: how many rows will be appended (room is kept for them).
SourceRows PreviousRows(const ShardJob& job, size_t source, int shard, size_t delivered_rows,
                        bool& sorted) {
  const SourceSpec& spec = job.catalog->sources[source];
  SourceRows rows(&spec);
  rows.texts = (*job.texts)[source].texts;
  rows.text_index = (*job.texts)[source].text_index;
  sorted = true;
  if (job.previous_spilled != nullptr) {
    SourceRows spilled = (*job.previous_spilled)[source]->Read(shard);
    spilled.texts = std::move(rows.texts);
    spilled.text_index = std::move(rows.text_index);
    sorted = false;
    return spilled;
  }
  if (job.previous == nullptr) return rows;
  const std::string path = SourceTablePath(spec, shard);
  const auto& files = job.previous->manifest().files;
  if (std::any_of(files.begin(), files.end(),
                  [&](const auto& file) { return file.path == path; })) {
    AppendSourceTables({job.previous->OpenTable(path)}, rows, delivered_rows);
  }
  return rows;
}

}  // namespace

ShardResult BuildShard(const ShardJob& job, int shard, size_t source) {
  const auto& sources = job.catalog->sources;
  const SourceSpec& spec = sources[source];
  ShardResult result;
  result.records.assign(sources.size(), 0);
  result.unknown.resize(sources.size());
  bool sorted = true;
  SourceRows delivered = (*job.delivered)[source]->Read(shard);
  SourceRows previous = PreviousRows(job, source, shard, delivered.size(), sorted);
  const size_t previous_count = previous.size();
  ResolvedShard resolved = ResolveShard(std::move(previous), sorted, std::move(delivered));
  {
    store::TableWriter table = BuildSourceTable(resolved.rows, resolved.order);
    table.Write(job.path_of(SourceTablePath(spec, shard)));
  }
  result.records[source] = static_cast<int64_t>(resolved.order.size());
  result.unknown[source] = std::move(resolved.unknown_deletions);
  result.shard = shard;
  result.source = source;
  // Only the touched keys are compared; the persons touched are kept to be given their
  // benefits' codes when there was a release before (the first release is all new).
  const bool had_previous = job.previous != nullptr || job.previous_spilled != nullptr;
  result.source_changes = SourceChanges(job.benefit_codes);
  result.source_changes.CompareTouched(resolved.rows, previous_count, resolved.order,
                                       resolved.touched, had_previous);
  if (spec.id == "benefits") {
    if (had_previous) {
      result.benefit_persons = CodesByPerson(resolved.rows, resolved.order, resolved.touched);
    }
    if (spec.key == std::vector<int>{spec.FieldIndex("record_id")}) {
      result.changes.CompareTouched(resolved.rows, previous_count, resolved.order,
                                    resolved.touched);
    } else {
      std::vector<size_t> previous_rows(previous_count);
      for (size_t row = 0; row < previous_count; ++row) previous_rows[row] = row;
      result.changes.Compare(resolved.rows, previous_rows, resolved.rows, resolved.order);
    }
  }
  if (!spec.build_spells) return result;  // the dataflow's steps say whether
  store::TableWriter spells =
      BuildSpellTable(resolved.rows, resolved.order, job.spell_groups, job.cutoff_day);
  result.spells = static_cast<int64_t>(spells.rows());
  spells.Write(job.path_of(SpellTablePath(shard)));
  return result;
}

}  // namespace jobindsigt::ingest
