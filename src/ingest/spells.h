#pragma once
// Spells: a person's benefit records in a group joined by the four-week rule of measures.md.
// Sorted by from (ties by record_id), a record continues the current spell while the days
// without the benefit before it, gap = from - (latest to so far) - 1, are fewer than 28;
// overlapping and adjacent records continue it too. An open record runs to the cut-off day.

#include <cstdint>
#include <span>
#include <vector>

#include "common/date.h"

namespace jobindsigt::ingest {

inline constexpr int kSpellGapDays = 28;

struct SpellRecord {
  DayNumber from;
  DayNumber to;  // the cut-off day for an open record
  int64_t record_id;
  int32_t index;  // the caller's index of the record, carried into the spell
};

struct Spell {
  DayNumber start;
  DayNumber end;
  int32_t first_record;  // the record with the smallest from (ties: smallest record_id)
  int32_t end_record;    // the record whose to is the end (ties: smallest record_id)
};

// `records` must be sorted by (from, record_id). Appends the spells to `spells`.
void BuildSpells(std::span<const SpellRecord> records, std::vector<Spell>& spells);

// A spell is ended when its end lies at least 28 days before the cut-off day.
constexpr bool IsEnded(const Spell& spell, DayNumber cutoff_day) {
  return cutoff_day - spell.end >= kSpellGapDays;
}

}  // namespace jobindsigt::ingest
