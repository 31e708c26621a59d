#pragma once
// The latest version of every row of one source, as deliveries are applied in order: a row
// with a record_id replaces the earlier version with that id and status D deletes it; a row
// of a keyed source (no record_id) replaces the earlier row with the same key.

#include <array>
#include <unordered_map>
#include <vector>

#include "ingest/source_rows.h"

namespace jobindsigt::ingest {

using RowKey = std::array<int64_t, 4>;

struct RowKeyHash {
  size_t operator()(const RowKey& key) const;
};

// Lexicographic order of keys, part by part (std::array's operators go through memcmp and
// three-way comparison, which costs several times more in the sorts of the resolver).
inline bool KeyLess(const RowKey& a, const RowKey& b) {
  if (a[0] != b[0]) return a[0] < b[0];
  if (a[1] != b[1]) return a[1] < b[1];
  if (a[2] != b[2]) return a[2] < b[2];
  return a[3] < b[3];
}
inline bool KeyEqual(const RowKey& a, const RowKey& b) {
  return a[0] == b[0] && a[1] == b[1] && a[2] == b[2] && a[3] == b[3];
}

class ResolvedState {
 public:
  explicit ResolvedState(const SourceSpec* spec);

  const SourceSpec& spec() const { return *spec_; }
  // Applies one delivered file's rows in file order. A deletion of a record that was never
  // delivered is quarantined (reason deletes_unknown_record) and counted in `report`.
  void Apply(const SourceRows& rows, FileReport& report, std::vector<QuarantinedRow>& quarantine);
  // Takes the rows of a published release as the starting state.
  void Load(const SourceRows& rows);
  // The live rows, in an unspecified order (deleted and replaced versions dropped).
  SourceRows Live() const;
  bool Contains(const RowKey& key) const { return index_.count(key) != 0; }
  RowKey KeyOf(const SourceRows& rows, size_t row) const;

 private:
  const SourceSpec* spec_;
  SourceRows rows_;
  std::vector<bool> alive_;
  std::unordered_map<RowKey, size_t, RowKeyHash> index_;
};

}  // namespace jobindsigt::ingest
