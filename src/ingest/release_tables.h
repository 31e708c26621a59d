#pragma once
// The resolved sources as store tables and back: one table per source per person shard,
// sorted by person and date, codes with dictionaries; and the spells table.
// The layout is documented in docs/internals/storage.md ("Tables of a release").

#include <functional>
#include <string>
#include <vector>

#include "ingest/resolved_state.h"
#include "store/table_reader.h"
#include "store/table_writer.h"

namespace jobindsigt::ingest {

// A missing date (e.g. held_date of a meeting not held) and an open end (to_date of a
// running record) as stored: the open end lies after any query's period.
inline constexpr int32_t kMissingDay = std::numeric_limits<int32_t>::min();
inline constexpr int32_t kOpenDay = std::numeric_limits<int32_t>::max();

using TableSink = std::function<void(const std::string& relative_path, store::TableWriter& table)>;

struct ShardPlan {
  static constexpr size_t kPersonsPerShard = 262144;
  int shard_count = 1;
  int ShardOf(int64_t person_id) const;
  // One shard per `per_shard` persons, at most 64.
  static ShardPlan ForPersons(size_t persons, size_t per_shard = kPersonsPerShard);
};

// The order of rows in a table: by person, first date, then key (then position, which
// never decides among live rows: their keys differ).
class RowOrder {
 public:
  explicit RowOrder(const SourceRows& rows);
  bool operator()(size_t a, size_t b) const;

 private:
  const SourceRows* rows_;
  int person_;
  int date_;
};

// Whether rows of distinct keys in key order are in RowOrder already: the key is the person
// alone, or leads with the person and the first date (employment, payments, residence).
bool KeyOrderIsRowOrder(const SourceSpec& spec);

// Sorts row numbers of `rows` into RowOrder (faster than std::sort with RowOrder).
void SortRows(const SourceRows& rows, std::vector<size_t>& order);

// Whether the source's rows belong to persons (and so to person shards), and whose a row is.
bool HasPersons(const SourceSpec& spec);
int64_t PersonOf(const SourceRows& rows, size_t row);
// shard-NNN/<source>.tbl, or shared/<source>.tbl for a source without persons.
std::string SourceTablePath(const SourceSpec& spec, int shard);
std::string SpellTablePath(int shard);

// The table of one source's rows `order` (a shard's live rows, in RowOrder).
store::TableWriter BuildSourceTable(const SourceRows& rows, const std::vector<size_t>& order);

// Writes `rows` (the live rows of one source) into per-shard tables named
// shard-NNN/<source>.tbl, or shared/<source>.tbl for sources without persons.
void WriteSourceTables(const SourceRows& rows, const ShardPlan& plan, const TableSink& sink);

// Reads a source's tables back into rows (codes mapped through the current catalogue by
// their text). Throws UserError(kBadStore) when a table lacks a declared column or holds a
// code the catalogue no longer has.
SourceRows ReadSourceTables(const SourceSpec& spec, const std::vector<store::TableReader>& tables);

// Appends the rows of `tables` (one source's) to `rows`, whose text dictionary may already
// hold texts: the tables' texts are mapped into it.
// `extra_rows`: room kept for rows to be appended after these (the delivered ones), so that
// the columns are allocated once.
void AppendSourceTables(const std::vector<store::TableReader>& tables, SourceRows& rows,
                        size_t extra_rows = 0);

// The spell groups: each benefit, then each catalogue benefit group, as bit masks of codes.
struct SpellGroups {
  std::vector<std::string> names;
  std::vector<uint64_t> masks;
  static SpellGroups Of(const SourceSpec& benefits, const CodeLists& codes);
};

// The spells table of one shard from its live benefit rows `rows` in RowOrder;
// first_record/end_record are positions in `rows` (row numbers of the shard's benefits.tbl).
store::TableWriter BuildSpellTable(const SourceRows& benefits, const std::vector<size_t>& rows,
                                   const SpellGroups& groups, DayNumber cutoff_day);

// Builds spells per person for each benefit and each catalogue benefit group and writes
// shard-NNN/spells.tbl. Returns the number of spells.
int64_t WriteSpellTables(const SourceRows& benefits, const CodeLists& codes, DayNumber cutoff_day,
                         const ShardPlan& plan, const TableSink& sink);

}  // namespace jobindsigt::ingest
