#pragma once
// Release notes: for each benefit, whether its records changed against the previous release
// and the first month from which numbers can differ. Computed from the records themselves:
// a new, deleted or changed record changes its benefit from its first affected day.

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
  void Merge(const BenefitChanges& other);
  std::vector<ReleaseNote> Notes(const SourceSpec& benefits, bool had_previous_release) const;

 private:
  std::vector<DayNumber> first_change_;
  std::vector<bool> had_data_;
  std::vector<bool> has_data_;
};

std::vector<ReleaseNote> CompareBenefits(const SourceRows& previous, const SourceRows& current,
                                         bool had_previous_release);

}  // namespace jobindsigt::ingest
