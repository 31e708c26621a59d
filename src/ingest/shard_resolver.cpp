#include "ingest/shard_resolver.h"

#include <algorithm>
#include <array>
#include <bit>
#include <cassert>
#include <tuple>

#include "common/prefetch.h"
#include "common/random.h"
#include "ingest/release_tables.h"

namespace jobindsigt::ingest {
namespace {

// Deletions apply when the source's dataflow resolves versions (resolve_versions).
int64_t DeletedStatus(const SourceSpec& spec) {
  if (!spec.versioned() || !spec.resolve_versions) return -1;
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

// The delivered rows by key, each key's rows in delivery order. When the key's parts span
// at most 64 bits together (offsets from each part's smallest value), the sort runs over
// 16-byte (packed key, row) pairs instead of 40-byte entries compared part by part: the
// delivered rows of a first ingest are all the rows there are, and this sort was its
// largest single cost.
std::vector<Keyed> SortedByKey(const SourceRows& delivered, const ResolvedState& keys) {
  const std::vector<int>& parts = delivered.spec->key;
  const size_t count = delivered.size();
  std::array<int64_t, 4> low{};
  std::array<int, 4> shift{};
  int bits = 0;
  const size_t used = std::min<size_t>(parts.size(), 4);
  for (size_t part = used; part-- > 0;) {
    const auto& values = delivered.columns[parts[part]].ints;
    int64_t smallest = count > 0 ? values[0] : 0;
    int64_t largest = smallest;
    for (const int64_t value : values) {
      smallest = std::min(smallest, value);
      largest = std::max(largest, value);
    }
    low[part] = smallest;
    shift[part] = bits;
    const uint64_t range = static_cast<uint64_t>(largest) - static_cast<uint64_t>(smallest);
    bits += 64 - std::countl_zero(range);
  }
  std::vector<Keyed> by_key(count);
  if (bits > 64 || count >= UINT32_MAX) {
    for (size_t row = 0; row < count; ++row) by_key[row] = {keys.KeyOf(delivered, row), row};
    std::sort(by_key.begin(), by_key.end());
    return by_key;
  }
  struct Packed {
    uint64_t key;
    uint32_t row;
  };
  std::vector<Packed> packed(count);
  for (size_t row = 0; row < count; ++row) {
    uint64_t key = 0;
    for (size_t part = 0; part < used; ++part) {
      const uint64_t offset = static_cast<uint64_t>(delivered.columns[parts[part]].ints[row]) -
                              static_cast<uint64_t>(low[part]);
      key |= shift[part] < 64 ? offset << shift[part] : 0;
    }
    packed[row] = {key, static_cast<uint32_t>(row)};
  }
  std::sort(packed.begin(), packed.end(), [](const Packed& a, const Packed& b) {
    return a.key != b.key ? a.key < b.key : a.row < b.row;
  });
  // The keys back from their packed form: reading them from the columns again would be a
  // cache miss per row, in sorted order.
  std::array<uint64_t, 4> mask{};
  for (size_t part = 0; part < used; ++part) {
    const int width = (part == 0 ? bits : shift[part - 1]) - shift[part];
    mask[part] = width >= 64 ? ~uint64_t{0} : (uint64_t{1} << width) - 1;
  }
  for (size_t position = 0; position < count; ++position) {
    RowKey key{};
    for (size_t part = 0; part < used; ++part) {
      const uint64_t offset =
          shift[part] < 64 ? (packed[position].key >> shift[part]) & mask[part] : 0;
      key[part] = static_cast<int64_t>(offset + static_cast<uint64_t>(low[part]));
    }
    by_key[position] = {key, packed[position].row};
  }
  return by_key;
}

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

// The delivered keys, for looking up every previous row: open addressing with linear probing
// over (hash, group) slots. The delivered keys are few and the previous rows many, and most
// lookups miss; std::unordered_map walked a node list per lookup, a cache miss each, and was
// most of an incremental run's time.
class DeliveredKeys {
 public:
  DeliveredKeys(const std::vector<Keyed>& by_key, const std::vector<size_t>& group_starts)
      : by_key_(by_key), group_starts_(group_starts) {
    const size_t groups = group_starts.size() - 1;
    size_t capacity = 16;
    while (capacity < groups * 2) capacity *= 2;
    slots_.assign(capacity, Slot{0, kEmpty});
    mask_ = capacity - 1;
    for (size_t group = 0; group < groups; ++group) {
      const uint64_t hash = Hash(by_key[group_starts[group]].key);
      size_t slot = hash & mask_;
      while (slots_[slot].group != kEmpty) slot = (slot + 1) & mask_;
      slots_[slot] = Slot{hash, static_cast<uint32_t>(group)};
    }
  }

  static uint64_t Hash(const RowKey& key) {
    uint64_t hash = 0;
    for (const int64_t part : key) hash = Mix64(hash ^ static_cast<uint64_t>(part));
    return hash;
  }

  // Asks for the slot a later Find of `hash` starts at: the table is larger than the cache,
  // and the lookups of consecutive rows are independent, so their misses can overlap.
  void Prefetch(uint64_t hash) const { jobindsigt::Prefetch(&slots_[hash & mask_]); }

  // The group of the key with `hash`, or -1.
  int64_t Find(const RowKey& key, uint64_t hash) const {
    for (size_t slot = hash & mask_; slots_[slot].group != kEmpty; slot = (slot + 1) & mask_) {
      if (slots_[slot].hash == hash &&
          KeyEqual(by_key_[group_starts_[slots_[slot].group]].key, key)) {
        return slots_[slot].group;
      }
    }
    return -1;
  }

 private:
  static constexpr uint32_t kEmpty = UINT32_MAX;
  struct Slot {
    uint64_t hash;
    uint32_t group;
  };
  const std::vector<Keyed>& by_key_;
  const std::vector<size_t>& group_starts_;
  std::vector<Slot> slots_;
  size_t mask_ = 0;
};

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
  ResolvedShard result{std::move(previous), {}, {}, {}};
  SourceRows& rows = result.rows;
  const ResolvedState keys(delivered.spec);
  const int64_t deleted_status = DeletedStatus(*delivered.spec);
  const std::vector<Keyed> by_key = SortedByKey(delivered, keys);
  std::vector<size_t> group_starts;
  for (size_t position = 0; position < by_key.size(); ++position) {
    if (position == 0 || !KeyEqual(by_key[position].key, by_key[position - 1].key))
      group_starts.push_back(position);
  }
  group_starts.push_back(by_key.size());
  const size_t groups = group_starts.size() - 1;
  // The previous rows the delivered keys touch: replaced or deleted either way.
  std::vector<int64_t> previous_row(groups, -1);
  const size_t previous_count = rows.size();
  result.order.reserve(previous_count + delivered.size());
  if (previous_count > 0 && groups > 0) {
    const DeliveredKeys delivered_keys(by_key, group_starts);
    constexpr size_t kAhead = 16;
    std::array<uint64_t, kAhead> hashes{};
    for (size_t row = 0; row < std::min(kAhead, previous_count); ++row) {
      hashes[row] = DeliveredKeys::Hash(keys.KeyOf(rows, row));
      delivered_keys.Prefetch(hashes[row]);
    }
    for (size_t row = 0; row < previous_count; ++row) {
      const RowKey key = keys.KeyOf(rows, row);
      const int64_t group = delivered_keys.Find(key, hashes[row % kAhead]);
      if (row + kAhead < previous_count) {
        hashes[row % kAhead] = DeliveredKeys::Hash(keys.KeyOf(rows, row + kAhead));
        delivered_keys.Prefetch(hashes[row % kAhead]);
      }
      if (group < 0) {
        result.order.push_back(row);
      } else {
        previous_row[static_cast<size_t>(group)] = static_cast<int64_t>(row);
      }
    }
  } else {
    for (size_t row = 0; row < previous_count; ++row) result.order.push_back(row);
  }
  std::vector<size_t> added;
  result.touched.reserve(groups);
  for (size_t group = 0; group < groups; ++group) {
    const int64_t survivor =
        ApplyGroup(delivered, by_key, group_starts[group], group_starts[group + 1],
                   previous_row[group] >= 0, deleted_status, result.unknown_deletions);
    const int64_t survivor_row =
        survivor >= 0 ? static_cast<int64_t>(previous_count) + survivor : -1;
    if (survivor >= 0) added.push_back(static_cast<size_t>(survivor_row));
    if (previous_row[group] >= 0 || survivor >= 0)
      result.touched.push_back({previous_row[group], survivor_row});
  }
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
  // The survivors are in key order; where that is table order, they are sorted already.
  if (!KeyOrderIsRowOrder(*rows.spec)) SortRows(rows, added);
  assert(std::is_sorted(added.begin(), added.end(), less));
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
