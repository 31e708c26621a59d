#pragma once
// The answer cube in the formats analysts download (docs/exports.md): XLSX, PC-Axis, SDMX-CSV
// 2.0, JSON rows and a JSON-stat 2.0 dataset with units and roles. Each writer takes the cube
// and an ExportContext: what the cube itself does not know (the measures' names, units,
// decimals and texts, the source line) and how the user asked to see it (language, codes or
// labels). The time of writing is passed in so that the same request gives the same bytes.

#include <cstdint>
#include <string>
#include <vector>

#include "engine/cube.h"
#include "export/cube_formats.h"

namespace jobindsigt::exporting {

// Which texts name a dimension's categories: the codes (`169`), the labels (`Høje-Taastrup`)
// or both (codes in one column or field, labels in the next).
enum class LabelMode { kCodes, kLabels, kBoth };

// One category of the cube's `statistic` dimension as the catalogue describes it.
struct MeasureInfo {
  std::string id;       // the category id in the `statistic` dimension
  std::string unit;     // a code for machines: `persons`, `percent`, `dkk`
  std::string unit_da;  // the unit as the reader sees it: `personer`, `pct.`
  std::string unit_en;
  int decimals = 0;    // decimals shown (and stored in PX)
  std::string doc_da;  // plain: what the number says
  std::string doc_en;
  std::string technical_da;  // technical: how it is computed
  std::string technical_en;
};

struct ExportContext {
  Language language = Language::kDanish;
  LabelMode labels = LabelMode::kBoth;
  std::vector<MeasureInfo> measures;  // looked up by the `statistic` categories' ids
  std::string source;                 // the source line: who publishes the numbers
  std::string contact;                // the contact line
  // PX MATRIX / TABLEID and the SDMX dataflow id: letters, digits and `_`.
  std::string table_id = "JOBINDSIGT";
  std::string subject_code = "AM";  // PX SUBJECT-CODE
  std::string subject_area_da = "Beskæftigelsesindsats";
  std::string subject_area_en = "Employment policy";
  // Seconds since 1970-01-01 UTC. The writers never read the clock: the same cube and
  // context give the same bytes (ETags, golden tests).
  int64_t generated_unix = 0;
  // When the release was published; 0 = use `generated_unix`. PX LAST-UPDATED.
  int64_t release_published_unix = 0;
  // The release id and cut-off day are the cube's own (Cube::release_id, cut_off_day), so
  // that they cannot disagree with the numbers.
};

// XLSX workbook (Office Open XML) as bytes: sheet 1 has one row per cell in long form — one
// column per dimension (code and/or label), the value as a real number with the measure's
// decimals, the unit and the status —, no merged cells, a filtering and frozen header row;
// sheet 2 ("Definitioner"/"Definitions") the measures' texts, release, cut-off day, status
// legend and notes. Throws std::runtime_error when libxlsxwriter fails.
std::string CubeToXlsx(const engine::Cube& cube, const ExportContext& context);

// PC-Axis file (UTF-8, CHARSET "Unicode") meeting the mandatory keywords and content rules
// of docs/exports.md: the statistic as CONTVARIABLE, periods in HEADING, cells without a
// value as quoted dot symbols with DATASYMBOL texts.
std::string CubeToPx(const engine::Cube& cube, const ExportContext& context);

// SDMX-CSV 2.0 (RFC 4180, `,`): STRUCTURE, STRUCTURE_ID, ACTION, one column per dimension,
// OBS_VALUE (`NaN` when the cell has no value), OBS_STATUS, CONF_STATUS, UNIT_MEASURE,
// DECIMALS and the cell status.
std::string CubeToSdmxCsv(const engine::Cube& cube, const ExportContext& context);

// JSON rows: {"release", "cut_off_day", "generated", "measures": [...], "rows": [one object
// per cell: code and/or label per dimension, value (null when none), unit, status]}.
std::string CubeToJsonRows(const engine::Cube& cube, const ExportContext& context);

// JSON-stat 2.0 as CubeToJsonStat, plus what the context knows: a title, `role`
// (time/geo/metric), the metric's `unit` (label, decimals), source and notes.
std::string CubeToJsonStat(const engine::Cube& cube, const ExportContext& context);

}  // namespace jobindsigt::exporting
