#pragma once
// Versions and deletions for one person shard of one source: the rows of the previous release
// (already resolved) with the shard's newly delivered rows applied in delivery order. Gives
// the same live rows as ResolvedState, which holds a whole source at once, because a record's
// versions all belong to one person and so to one shard (data contract: a record_id or key
// never moves between persons).
//
// Sorting the delivered rows by key replaces ResolvedState's hash index over every row: the
// previous rows are only looked up when there are any, through the delivered keys alone.

#include <utility>
#include <vector>

#include "ingest/resolved_state.h"

namespace jobindsigt::ingest {

// A deletion of a record that was not there (quarantined as deletes_unknown_record).
struct UnknownDeletion {
  MonthIndex delivery = 0;
  int32_t line = 0;
  int64_t key = 0;
};

struct ResolvedShard {
  SourceRows rows;                                 // the previous rows, then every delivered row
  std::vector<size_t> order;                       // the live rows, in table order (RowOrder)
  std::vector<UnknownDeletion> unknown_deletions;  // in delivery and line order
  // Each delivered key that changed something: its previous row (-1 for a new key) and its
  // surviving row in `rows` (-1 when deleted). Every other previous row is kept unchanged.
  std::vector<std::pair<int64_t, int64_t>> touched;
};

// `previous_sorted`: the previous rows are in RowOrder (as read from the previous release's
// table of the same shard), so only the new rows need sorting.
ResolvedShard ResolveShard(SourceRows previous, bool previous_sorted, SourceRows delivered);

}  // namespace jobindsigt::ingest
