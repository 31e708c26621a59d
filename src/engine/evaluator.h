#pragma once
// Evaluates a resolved query over a range of persons of one shard into per-cell counters,
// and turns merged counters into the answer. Each person's cells are evaluated once per
// measure and period; distinct-person counts are made by collecting the cells a person
// touches and counting each once, so they add up across persons, ranges and shards.

#include <cstdint>
#include <span>
#include <unordered_map>
#include <vector>

#include "engine/cube.h"
#include "engine/query_resolver.h"
#include "engine/release_data.h"

namespace jobindsigt::engine {

// Kaplan–Meier inputs of one cell: spells by whole weeks T, ended or censored. T past the
// last week asked for is kept in the last slot (those spells are at risk throughout).
struct SurvivalCounts {
  std::vector<int64_t> ended;
  std::vector<int64_t> censored;
};

struct Accumulators {
  std::vector<double> numerator;                        // counts, sums
  std::vector<double> denominator;                      // ratios only
  std::unordered_map<size_t, SurvivalCounts> survival;  // by cell with survival week 0
  std::unordered_map<size_t, int64_t> left_out;         // by cell with status_after 0
  std::vector<int64_t> outside_bands;                   // per breakdown

  explicit Accumulators(const ResolvedQuery& query);
  void Merge(Accumulators&& other);
};

// The persons of `shard` who can count in the query (sorted indexes): those with a record of
// a measure's group touching the years of its periods, or everyone for population figures.
std::vector<uint32_t> CandidatePersons(const ResolvedQuery& query, const Shard& shard);

void EvaluatePersons(const ResolvedQuery& query, const Shard& shard,
                     std::span<const uint32_t> persons, Accumulators& accumulators);

Cube FinishCube(const ResolvedQuery& query, const Accumulators& accumulators);

}  // namespace jobindsigt::engine
