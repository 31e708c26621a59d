#pragma once
// Release notes: for each benefit, whether its records changed against the previous release
// and the first month from which numbers can differ. Computed from the records themselves:
// a new, deleted or changed record changes its benefit from its first affected day.

#include <utility>
#include <vector>

#include "ingest/run_report.h"

namespace jobindsigt::ingest {

// The comparison in parts: records never move between person shards, so each shard's
// previous and current benefit records can be compared on their own and the parts merged.
class BenefitChanges {
 public:
  explicit BenefitChanges(size_t benefit_count = 0);
  // Compares the records `previous_rows` of `previous` with `current_rows` of `current`.
  void Compare(const SourceRows& previous, const std::vector<size_t>& previous_rows,
               const SourceRows& current, const std::vector<size_t>& current_rows);
  // The same comparison within one resolved shard (`rows`: the previous rows 0 ..
  // previous_count-1, then the delivered ones; `live` the rows kept), from the keys the
  // delivered rows touched alone: every other previous row is kept unchanged, so only the
  // touched pairs (previous row or -1, surviving row or -1) can change a benefit's numbers.
  // The benefits' key must be their record_id, as Compare matches records by it.
  void CompareTouched(const SourceRows& rows, size_t previous_count,
                      const std::vector<size_t>& live,
                      const std::vector<std::pair<int64_t, int64_t>>& touched);
  void Merge(const BenefitChanges& other);
  std::vector<ReleaseNote> Notes(const SourceSpec& benefits, bool had_previous_release) const;

 private:
  // What one record's change means for its benefits' first changed day: `old_row` of
  // `previous` (-1 for a new record) against `row` of `current` (-1 for a deleted one).
  void Note(const SourceRows& previous, int64_t old_row, const SourceRows& current, int64_t row);

  struct Fields {  // of the benefits source, looked up once per comparison
    int code = -1;
    int from = -1;
    int to = -1;
  };
  Fields fields_;
  std::vector<DayNumber> first_change_;
  std::vector<bool> had_data_;
  std::vector<bool> has_data_;
};

std::vector<ReleaseNote> CompareBenefits(const SourceRows& previous, const SourceRows& current,
                                         bool had_previous_release);

}  // namespace jobindsigt::ingest
