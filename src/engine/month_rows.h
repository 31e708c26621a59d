#pragma once
// The rows the month pass visits (month_pass.cpp): the months of a query's periods, and the
// benefit rows of a group's codes and areas overlapping them, gathered from the release's
// index by code, month and municipality in row order (so person order). Internal to the engine.

#include <algorithm>
#include <cstdint>
#include <span>
#include <vector>

#include "engine/evaluator.h"

namespace jobindsigt::engine {

// The person's situation in a calendar month for `status_after` (docs/measures.md), first
// match wins: any benefit record of any code that month, else a paid hour, else an
// enrolment, else other (a StatusAfterState). The benefit rows are read from `first_row` on:
// the caller may pass a row before which none of the person's can overlap the month (the
// start of the stretch holding a row of that month or earlier: BenefitColumns::StretchStart).
int StatusOfPersonIn(const Shard& shard, size_t person, MonthIndex month, uint32_t first_row = 0);

// The months of the periods a group's rows are visited for, and for each month the periods
// holding it: a row is visited once and counted in every period it overlaps.
struct PeriodMonths {
  MonthIndex first = 0;
  MonthIndex last = -1;
  std::vector<std::vector<uint32_t>> periods;   // [month − first]: period indexes
  std::vector<std::vector<uint32_t>> starting;  // [month − first]: the periods beginning then
  std::vector<MonthIndex> next_start;           // [month − first]: the first month from it on
                                                // where a period begins (or last + 1)
  std::vector<DayNumber> starts;   // [month − first]: its first day; one more at the end
  std::vector<int32_t> packed;     // [day − starts[0]]: PackedDate of each day of the months
  std::vector<uint16_t> month_of;  // [day − starts[0]]: its month − first

  std::span<const uint32_t> Of(MonthIndex month) const { return periods[month - first]; }
  // PackedDate(day) for a day of the months, from the table (ages, per contribution).
  int32_t Packed(DayNumber day) const { return packed[static_cast<size_t>(day - starts[0])]; }
  std::span<const uint32_t> StartingIn(MonthIndex month) const { return starting[month - first]; }
  MonthIndex NextStart(MonthIndex month) const {
    return month > last ? last + 1 : next_start[month - first];
  }
  // The month of `day`, held within first … last: one look-up in a short table where
  // MonthOfDay takes a civil-calendar conversion (two per row visited).
  MonthIndex Within(DayNumber day) const {
    if (day < starts.front()) return first;
    if (day >= starts.back()) return last;
    return first + month_of[static_cast<size_t>(day - starts.front())];
  }
};

// The months of `periods` (indexes into query.periods, each of whole months).
PeriodMonths MonthsOfPeriods(const ResolvedQuery& query, const std::vector<uint32_t>& periods);

// The benefit rows of `mask`'s codes in the covered municipality slots overlapping any month
// of `months`, ascending and each once: rows are person-sorted, so each person's rows are
// adjacent, and the columns are read front to back. For each run of consecutive months a … b
// it takes the rows overlapping a and those beginning in a + 1 … b, so a row is met once per
// run it overlaps (taking the whole list of every month would meet it once per month). With
// `beginning_only`, only the rows beginning in the months (the spells starting there); with
// `only`, only the rows whose bit it has (a spell's first or end record), or `or_only`'s.
// `to`: the rows' last days (the shard's, one per row). When the rows are many, the rows
// carried into a run's first month are taken without reading their `to`: the rows may then
// hold some that ended before it (before `months.first` or in a month without a period),
// which the visit passes over.
void GatherRows(const RecordMonthIndex& index, uint64_t mask, const PeriodMonths& months,
                const std::vector<size_t>& slots, bool beginning_only,
                const std::vector<DayNumber>& to, const std::vector<uint64_t>* only,
                const std::vector<uint64_t>* or_only, std::vector<uint32_t>& rows);

// The spells of a benefit group of several codes for one person, from the stretch of their
// history holding a given row on (BenefitColumns::StretchStart: no spell crosses its start):
// each row's spell start, and whether the row is its spell's first or end record, as
// PersonPass::BuildSpells finds them. For a group of one code, the rows' own-code columns
// (own_spell_start, spell_first, spell_end) say the same.
class GroupSpells {
 public:
  // The spells of `mask`'s codes among `person`'s rows from the stretch holding `row` on.
  void Build(const BenefitColumns& benefits, uint32_t person, uint32_t row, uint64_t mask);
  // For a row of the group from that stretch on:
  DayNumber Start(uint32_t row) const { return start_[row - begin_]; }
  bool First(uint32_t row) const { return (flags_[row - begin_] & kFirst) != 0; }
  bool End(uint32_t row) const { return (flags_[row - begin_] & kEnd) != 0; }

 private:
  static constexpr uint8_t kFirst = 1;
  static constexpr uint8_t kEnd = 2;
  uint32_t begin_ = 0;            // the first row held
  std::vector<DayNumber> start_;  // by row − begin_
  std::vector<uint8_t> flags_;    // by row − begin_
};

}  // namespace jobindsigt::engine
