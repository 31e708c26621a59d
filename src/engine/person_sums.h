#pragma once
// Persons by month, municipality, age and codes for the latest months of a release
// (MonthCodeSums::ByAge: persons, several_codes, mixed; decision 0018): built at load beside
// the full-time sums by age, and added to the cells of a table of `persons` over single
// months by area and age. Internal to the engine.

#include <algorithm>
#include <cstdint>
#include <vector>

#include "engine/evaluator.h"

namespace jobindsigt::engine {

// A person's age on the last of a row's days in `month` (the contribution's evaluation day).
inline int AgeInMonth(const Shard& shard, size_t row, MonthIndex month) {
  const DayNumber last_day = std::min(shard.benefits.to[row], LastDayOfMonth(month));
  return AgeFromPacked(shard.persons.birth_packed[shard.benefits.person[row]],
                       PackedDate(last_day));
}

// One worker's share of the person sums while a release loads: whole shards, joined at the
// end (JoinPersonSums).
struct PersonSumsPart {
  std::vector<uint32_t> persons;  // as MonthCodeSums::ByAge::persons
  struct SeveralCodes {
    uint32_t month = 0;  // − first_month
    MonthCodeSums::ByAge::SeveralCodes entry;
  };
  std::vector<SeveralCodes> several_codes;  // one per person-month, counted when joined
  std::vector<uint32_t> mixed_month;        // by person-month: its month − first_month
  std::vector<uint32_t> mixed_places;       // by person-month: its first place; one more
  std::vector<MonthCodeSums::ByAge::Place> places;
};

// Adds `shard`'s person-months in the months of `sums.by_age` to `part` (its `persons` sized
// as the sums' by age); `slot_of` maps a municipality value + 1 to its slot.
void AddShardPersons(const Shard& shard, const std::vector<int>& slot_of, const MonthCodeSums& sums,
                     PersonSumsPart& part);

// Joins the workers' parts into `sums.by_age`'s person sums.
void JoinPersonSums(std::vector<PersonSumsPart>& parts, MonthCodeSums& sums);

// Whether `persons` of `query` can come from the person sums: every period is one calendar
// month they hold, and every breakdown is `age` or one that does not apply to persons.
bool PersonsFromSums(const ResolvedQuery& query);

// Adds the persons of `measure` (a `persons` measure PersonsFromSums admits) to its cells: a
// person once in each cell of their places in the month, and the contributions at ages
// outside the bands to the hint, as the month pass counts them.
void AddPersonsFromSums(const ResolvedQuery& query, size_t measure, Accumulators& accumulators);

}  // namespace jobindsigt::engine
