#pragma once
// Hand-made deliveries and hand-checked expected cells (issue 4: a person with two spells in
// a month, a move between municipalities, gaps of exactly 28 and 27 days, a birthday inside
// the period, spells ongoing at the cut-off, plus activation, meetings, status after,
// expenditure and population). Every expected value is worked out by hand from
// docs/measures.md in golden_cases.cpp; the engine (golden_test.cpp) and the reference
// (reference_test.cpp) are both checked against them.

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "engine/cube.h"
#include "engine/query.h"

namespace jobindsigt::test {

// Writes deliveries 2024-01 … 2024-06 (cut-off day 2024-06-30) under `sources`.
void WriteGoldenDeliveries(const std::filesystem::path& sources);

struct GoldenCell {
  std::vector<std::string> at;  // one category id per dimension of the answer
  std::optional<double> value;  // nullopt: no value
  engine::CellStatus status = engine::CellStatus::kOk;
  std::optional<int64_t> left_out;
};

struct GoldenCase {
  std::string name;
  engine::Query query;
  std::vector<GoldenCell> cells;
};

std::vector<GoldenCase> GoldenCases();

// The status's id as measures.md spells it, for readable failures.
std::string StatusText(engine::CellStatus status);

// Index of the cell whose category ids are `at`, given each dimension's category ids;
// nullopt when a dimension or id is missing.
std::optional<size_t> CellAt(const std::vector<std::vector<std::string>>& categories,
                             const std::vector<std::string>& at);

}  // namespace jobindsigt::test
