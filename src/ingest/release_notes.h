#pragma once
// Release notes: for each benefit, whether its records changed against the previous release
// and the first month from which numbers can differ. Computed from the records themselves:
// a new, deleted or changed record changes its benefit from its first affected day.

#include <limits>
#include <utility>
#include <vector>

#include "catalog/measure_catalog.h"
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

// What changed in one source, from the records a run touched (new, deleted or changed), as first
// changed days: per benefit code, and of any record. A record's first affected day is the
// earliest of its dates and months (both versions), or for a change of its end alone
// (`to_date`) the day after the earlier end. A source with a `benefit_code` column notes the
// record's own codes; another source of persons notes, per shard, the touched persons with
// their first day, and ResolvePersons gives them the codes of the person's benefit records.
inline constexpr DayNumber kNoChange = std::numeric_limits<DayNumber>::max();

// The codes of each person's benefit records in one shard (previous or current), by person.
using PersonCodes = std::vector<std::pair<int64_t, uint64_t>>;

class SourceChanges {
 public:
  SourceChanges() = default;
  explicit SourceChanges(size_t code_count);
  // One shard's resolved rows as in BenefitChanges::CompareTouched. `by_person`: note the
  // touched persons for ResolvePersons (only worth it when there was a previous release).
  void CompareTouched(const SourceRows& rows, size_t previous_count,
                      const std::vector<size_t>& live,
                      const std::vector<std::pair<int64_t, int64_t>>& touched, bool by_person);
  // Gives the touched persons the codes of their benefit records (`codes` of the same shard).
  void ResolvePersons(const PersonCodes& codes);
  void Merge(const SourceChanges& other);

  std::vector<DayNumber> by_code;  // first changed day per benefit code
  DayNumber any = kNoChange;       // first changed day of any record
  std::vector<bool> had_data;      // per benefit code; [0] for a source without codes
  std::vector<bool> has_data;
  std::vector<std::pair<int64_t, DayNumber>> persons;  // touched persons, first day, by person
};

// The codes of the benefit records of each person in a shard's resolved benefits (the live
// rows and the touched previous ones).
PersonCodes CodesByPerson(const SourceRows& benefits, const std::vector<size_t>& live,
                          const std::vector<std::pair<int64_t, int64_t>>& touched);

// Release notes per catalogue measure from the changes of every source (catalogue order):
// a measure changed from the earliest day on which a source it reads changed for a benefit
// of its group (population and residence: any record), no earlier than `first_day` (the
// release's first delivery month). status_after also reads every benefit, employment and
// education k months after the end month, so their changes count from k months earlier.
std::vector<MeasureNote> MeasureNotes(const MeasureCatalog& measures,
                                      const std::vector<SourceSpec>& sources,
                                      const std::vector<SourceChanges>& changes,
                                      bool had_previous_release, DayNumber first_day);

std::vector<ReleaseNote> CompareBenefits(const SourceRows& previous, const SourceRows& current,
                                         bool had_previous_release);

}  // namespace jobindsigt::ingest
