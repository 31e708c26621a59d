#include "ingest/shard_resolver.h"

#include <algorithm>
#include <tuple>
#include <unordered_map>

#include "ingest/release_tables.h"

namespace jobindsigt::ingest {
namespace {

int64_t DeletedStatus(const SourceSpec& spec) {
  if (!spec.versioned()) return -1;
  const auto& values = spec.fields[spec.status_index].values;
  const auto found = std::find(values.begin(), values.end(), "D");
  return found == values.end() ? -1 : found - values.begin();
}

// A delivered row's key and position; sorted by both, each key's rows stay in delivery order.
struct Keyed {
  RowKey key;
  size_t row;
  bool operator<(const Keyed& other) const {
    return KeyEqual(key, other.key) ? row < other.row : KeyLess(key, other.key);
  }
};

// What the delivered rows of one key (`begin`..`end` of `by_key`) leave, applied in order onto
// `existed` (whether the previous release has the key): the surviving version's row, or -1.
int64_t ApplyGroup(const SourceRows& delivered, const std::vector<Keyed>& by_key, size_t begin,
                   size_t end, bool existed, int64_t deleted_status,
                   std::vector<UnknownDeletion>& unknown) {
  const SourceSpec& spec = *delivered.spec;
  bool exists = existed;
  int64_t current = -1;
  for (size_t position = begin; position < end; ++position) {
    const size_t row = by_key[position].row;
    const bool deletes =
        spec.versioned() && delivered.Int(spec.status_index, row) == deleted_status;
    if (!deletes) {
      exists = true;
      current = static_cast<int64_t>(row);
    } else if (exists) {
      exists = false;
      current = -1;
    } else {
      unknown.push_back({delivered.delivery[row], delivered.file_line[row], by_key[begin].key[0]});
    }
  }
  return current;
}

// Appends every row of `other` (same source) column by column.
void AppendAll(SourceRows& rows, const SourceRows& other) {
  for (size_t field = 0; field < rows.columns.size(); ++field) {
    auto& to = rows.columns[field];
    const auto& from = other.columns[field];
    to.ints.insert(to.ints.end(), from.ints.begin(), from.ints.end());
    to.reals.insert(to.reals.end(), from.reals.begin(), from.reals.end());
  }
  rows.delivery.insert(rows.delivery.end(), other.delivery.begin(), other.delivery.end());
  rows.file_line.insert(rows.file_line.end(), other.file_line.begin(), other.file_line.end());
}

}  // namespace

ResolvedShard ResolveShard(SourceRows previous, bool previous_sorted, SourceRows delivered) {
  ResolvedShard result{std::move(previous), {}, {}};
  SourceRows& rows = result.rows;
  const ResolvedState keys(delivered.spec);
  const int64_t deleted_status = DeletedStatus(*delivered.spec);
  std::vector<Keyed> by_key(delivered.size());
  for (size_t row = 0; row < delivered.size(); ++row)
    by_key[row] = {keys.KeyOf(delivered, row), row};
  std::sort(by_key.begin(), by_key.end());
  std::vector<size_t> group_starts;
  for (size_t position = 0; position < by_key.size(); ++position) {
    if (position == 0 || !KeyEqual(by_key[position].key, by_key[position - 1].key))
      group_starts.push_back(position);
  }
  group_starts.push_back(by_key.size());
  const size_t groups = group_starts.size() - 1;
  // The previous rows the delivered keys touch: replaced or deleted either way.
  std::vector<bool> previous_has(groups, false);
  const size_t previous_count = rows.size();
  if (previous_count > 0 && groups > 0) {
    std::unordered_map<RowKey, size_t, RowKeyHash> group_of;
    group_of.reserve(groups);
    for (size_t group = 0; group < groups; ++group)
      group_of.emplace(by_key[group_starts[group]].key, group);
    for (size_t row = 0; row < previous_count; ++row) {
      const auto found = group_of.find(keys.KeyOf(rows, row));
      if (found == group_of.end()) {
        result.order.push_back(row);
      } else {
        previous_has[found->second] = true;
      }
    }
  } else {
    for (size_t row = 0; row < previous_count; ++row) result.order.push_back(row);
  }
  std::vector<size_t> added;
  for (size_t group = 0; group < groups; ++group) {
    const int64_t survivor =
        ApplyGroup(delivered, by_key, group_starts[group], group_starts[group + 1],
                   previous_has[group], deleted_status, result.unknown_deletions);
    if (survivor >= 0) added.push_back(previous_count + static_cast<size_t>(survivor));
  }
  std::vector<Keyed>().swap(by_key);
  if (previous_count == 0) {
    // A first ingest: the delivered rows are all there is; moved, not copied.
    rows.columns = std::move(delivered.columns);
    rows.delivery = std::move(delivered.delivery);
    rows.file_line = std::move(delivered.file_line);
  } else {
    AppendAll(rows, delivered);
  }
  const RowOrder less(rows);
  if (!previous_sorted) SortRows(rows, result.order);
  SortRows(rows, added);
  const size_t middle = result.order.size();
  result.order.insert(result.order.end(), added.begin(), added.end());
  std::inplace_merge(result.order.begin(), result.order.begin() + static_cast<ptrdiff_t>(middle),
                     result.order.end(), less);
  std::sort(result.unknown_deletions.begin(), result.unknown_deletions.end(),
            [](const UnknownDeletion& a, const UnknownDeletion& b) {
              return std::tie(a.delivery, a.line) < std::tie(b.delivery, b.line);
            });
  return result;
}

}  // namespace jobindsigt::ingest
