// JSON rows (the API's `json`) and JSON-stat 2.0 with the context's metadata.

#include <algorithm>
#include <cmath>
#include <nlohmann/json.hpp>

#include "export/cube_formats.h"
#include "export/export_text.h"
#include "export/export_writers.h"

namespace jobindsigt::exporting {
namespace {

using Json = nlohmann::ordered_json;

Json MeasuresJson(const engine::Cube& cube, const ExportContext& context) {
  Json measures = Json::array();
  const auto& statistics = cube.dimensions[kStatisticDimension].categories;
  for (size_t index = 0; index < statistics.size(); ++index) {
    const MeasureInfo measure = MeasureFor(cube, context, index);
    measures.push_back({{"id", measure.id},
                        {"label", Text(statistics[index], context.language)},
                        {"unit", measure.unit},
                        {"unit_label", UnitText(measure, context.language)},
                        {"decimals", measure.decimals},
                        {"description", Danish(context) ? measure.doc_da : measure.doc_en}});
  }
  return measures;
}

}  // namespace

std::string CubeToJsonRows(const engine::Cube& cube, const ExportContext& context) {
  const Language language = context.language;
  const bool codes = context.labels != LabelMode::kLabels;
  const bool labels = context.labels != LabelMode::kCodes;
  // The same keys in every row (a data frame wants a fixed set of columns): `left_out` only
  // when some cell has spells left out, and then in every row.
  const bool left_out = std::any_of(cube.left_out.begin(), cube.left_out.end(),
                                    [](int64_t count) { return count > 0; });
  std::vector<MeasureInfo> measures;
  for (size_t index = 0; index < cube.dimensions[kStatisticDimension].categories.size(); ++index)
    measures.push_back(MeasureFor(cube, context, index));
  Json rows = Json::array();
  for (size_t cell = 0; cell < cube.CellCount(); ++cell) {
    const auto coordinates = cube.Coordinates(cell);
    Json row = Json::object();
    for (size_t index = 0; index < cube.dimensions.size(); ++index) {
      const auto& dimension = cube.dimensions[index];
      const auto& category = dimension.categories[coordinates[index]];
      if (codes) row[dimension.id] = category.id;
      if (labels) row[dimension.id + "_label"] = Text(category, language);
    }
    const double value = cube.values[cell];
    if (std::isnan(value)) {
      row["value"] = nullptr;
    } else if (value == std::trunc(value) && std::fabs(value) < 9.0e15) {
      // Counts as integers, so that pandas and Power BI read an integer column.
      row["value"] = static_cast<int64_t>(value);
    } else {
      row["value"] = value;
    }
    row["unit"] = UnitText(measures[coordinates[kStatisticDimension]], language);
    row["status"] = std::string(engine::CellStatusId(cube.statuses[cell]));
    if (left_out) row["left_out"] = cube.left_out[cell];
    rows.push_back(std::move(row));
  }
  Json document = {{"release", cube.release_id},
                   {"cut_off_day", FormatIsoDate(cube.cut_off_day)},
                   {"generated", IsoTimestamp(context.generated_unix)},
                   {"language", Danish(context) ? "da" : "en"},
                   {"title", CubeTitle(cube, language)},
                   {"source", context.source},
                   {"measures", MeasuresJson(cube, context)},
                   {"notes", cube.notes},
                   {"rows", std::move(rows)}};
  return document.dump(1);
}

std::string CubeToJsonStat(const engine::Cube& cube, const ExportContext& context) {
  Json dataset = JsonStatDataset(cube, context.language);
  dataset["label"] = CubeTitle(cube, context.language);
  if (!context.source.empty()) dataset["source"] = context.source;
  if (!cube.notes.empty()) dataset["note"] = cube.notes;
  // standards.md §4.3 rule S8: the metric dimension's categories carry their unit.
  Json units = Json::object();
  const auto& statistics = cube.dimensions[kStatisticDimension];
  for (size_t index = 0; index < statistics.categories.size(); ++index) {
    const MeasureInfo measure = MeasureFor(cube, context, index);
    units[statistics.categories[index].id] = {{"label", UnitText(measure, context.language)},
                                              {"decimals", measure.decimals}};
  }
  dataset["dimension"][statistics.id]["category"]["unit"] = units;
  dataset["extension"]["generated"] = IsoTimestamp(context.generated_unix);
  return dataset.dump(1);
}

}  // namespace jobindsigt::exporting
