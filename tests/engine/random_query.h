#pragma once
// Random queries for the differential tests, drawn from a seeded generator (reproducible
// from the printed seed), and a readable JSON form of any query for failure messages: the
// request of measures.md, ready for `jobindsigt query --request -`.

#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "engine/query.h"
#include "reference_layout.h"

namespace jobindsigt::test {

struct QuerySpace {
  MonthIndex first_month = 0;  // the release's first delivery month
  DayNumber cut_off = 0;
  std::vector<std::string> municipalities;  // codes with data, drawn more often
  const RefCatalogue* catalogue = nullptr;
  size_t max_cells = 2000;          // redraw queries larger than this (reference time)
  bool whole_months_only = false;   // no ISO weeks (the periods of the engine's month pass)
  bool single_months_only = false;  // calendar months only (the month pass's spans)
};

// A query every part of which is valid for the release: one to three statistics (with the
// survival_week and status_after breakdowns they need), a single benefit, a catalogue group
// or an ad hoc group, one to three periods of any type that overlap the release, any area
// level with values, custom groups and a total, and up to two breakdowns with random bands,
// code subsets and totals.
engine::Query RandomQuery(std::mt19937_64& random, const QuerySpace& space);

// Only `statistics`, otherwise as RandomQuery.
engine::Query RandomQueryOf(std::mt19937_64& random, const QuerySpace& space,
                            const std::vector<engine::Statistic>& statistics);

// The number of cells of the query's answer as the reference lays it out.
size_t CellCount(const engine::Query& query, const RefCatalogue& catalogue);

// The query as a JSON request (measures.md), one line.
std::string QueryText(const engine::Query& query);

}  // namespace jobindsigt::test
