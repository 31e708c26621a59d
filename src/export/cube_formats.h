#pragma once
// The answer cube in the formats the command line writes: JSON-stat 2.0, CSV (international
// `,` with decimal point, or Danish `;` with decimal comma and a BOM) and a readable text
// table. Each cell carries its status; a cell without a value is empty.

#include <nlohmann/json.hpp>
#include <string>

#include "engine/cube.h"

namespace jobindsigt::exporting {

enum class Language { kDanish, kEnglish };

// JSON-stat 2.0 dataset: `id`/`size` in cube order, category index and labels, `value` with
// null for cells without a value, `status` per cell, release and cut-off in `extension`.
std::string CubeToJsonStat(const engine::Cube& cube, Language language);
// The same dataset as a JSON value, for writers that add to it (export_writers.h). It has
// `role` (time: period, geo: area, metric: statistic), as standards.md §4.3 asks.
nlohmann::ordered_json JsonStatDataset(const engine::Cube& cube, Language language);

enum class CsvDialect { kInternational, kDanish };
// One row per cell: a code and a label column per dimension, then value and status.
std::string CubeToCsv(const engine::Cube& cube, CsvDialect dialect, Language language);

// Aligned columns for a terminal: the dimensions' labels, the value, the status.
std::string CubeToText(const engine::Cube& cube, Language language);

}  // namespace jobindsigt::exporting
