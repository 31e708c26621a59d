// SDMX-CSV 2.0 writer (sdmx-csv data message field guide, standards.md §4.4): one row per
// observation, component columns in data-structure order (dimensions, measure, attributes),
// then our own status as a custom column.

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <optional>

#include "common/period.h"
#include "export/export_text.h"
#include "export/export_writers.h"

namespace jobindsigt::exporting {
namespace {

// RFC 4180: a field with the separator, a quote or a line break is quoted, quotes doubled.
std::string Field(const std::string& text) {
  if (text.find_first_of(",\"\r\n") == std::string::npos) return text;
  std::string quoted = "\"";
  for (const char ch : text) quoted += ch == '"' ? std::string("\"\"") : std::string(1, ch);
  return quoted + "\"";
}

// SDMX component ids: the well-known concepts where they exist, else the id in capitals.
std::string ComponentId(const engine::Dimension& dimension, size_t index) {
  if (index == kPeriodDimension) return "TIME_PERIOD";
  if (index == kAreaDimension) return "REF_AREA";
  std::string id = dimension.id;
  std::transform(id.begin(), id.end(), id.begin(),
                 [](unsigned char ch) { return static_cast<char>(std::toupper(ch)); });
  return id;
}

// TIME_PERIOD in the SDMX time format: 2026-01, 2026-Q1, 2026, 2026-W05; rolling years and
// years to date as time ranges (first day / number of months), e.g. 2025-07-01/P12M.
std::string TimePeriod(const std::string& id) {
  const std::optional<Period> period = ParsePeriod(id);
  if (!period) return id;
  const CivilDate first = CivilFromDays(period->first_day);
  switch (period->type) {
    case PeriodType::kYear:
      return fmt::format("{:04d}", first.year);
    case PeriodType::kQuarter:
      return fmt::format("{:04d}-Q{}", first.year, (first.month + 2) / 3);
    case PeriodType::kMonth:
      return fmt::format("{:04d}-{:02d}", first.year, first.month);
    case PeriodType::kWeek:
      return id.substr(0, 4) + "-" + id.substr(4);
    case PeriodType::kRollingYear:
    case PeriodType::kYearToDate:
      return fmt::format("{}/P{}M", FormatIsoDate(period->first_day),
                         period->last_month() - period->first_month() + 1);
  }
  return id;
}

struct Coded {
  const char* id;
  const char* name_da;
  const char* name_en;
};

// SDMX cross-domain code lists CL_OBS_STATUS and CL_CONF_STATUS.
Coded ObservationStatus(engine::CellStatus status) {
  switch (status) {
    case engine::CellStatus::kPreliminary:
      return {"P", "Foreløbig værdi", "Provisional value"};
    case engine::CellStatus::kSuppressed:
      return {"Q", "Manglende værdi; diskretioneret", "Missing value; suppressed"};
    case engine::CellStatus::kNoDenominator:
    case engine::CellStatus::kNotApplicable:
      return {"M", "Manglende værdi; kan ikke forekomme", "Missing value; data cannot exist"};
    case engine::CellStatus::kOk:
      break;
  }
  return {"A", "Normal værdi", "Normal value"};
}

Coded ConfidentialityStatus(engine::CellStatus status) {
  if (status == engine::CellStatus::kSuppressed) return {"C", "Fortrolig", "Confidential"};
  return {"F", "Fri", "Free"};
}

}  // namespace

std::string CubeToSdmxCsv(const engine::Cube& cube, const ExportContext& context) {
  const Language language = context.language;
  const bool da = Danish(context);
  // labels=id for codes; otherwise labels=name: SDMX always keeps the ids and puts each name
  // in the column right after its id, which scripts can use or drop.
  const bool names = context.labels != LabelMode::kCodes;
  const std::string structure = fmt::format("JOBINDSIGT:{}(1.0.0)", context.table_id);
  std::vector<std::string> header = {"STRUCTURE", "STRUCTURE_ID"};
  if (names) header.push_back("STRUCTURE_NAME");
  header.push_back("ACTION");
  const auto component = [&](const std::string& id, const std::string& name) {
    header.push_back(id);
    if (names) header.push_back(name);
  };
  for (size_t index = 0; index < cube.dimensions.size(); ++index)
    component(ComponentId(cube.dimensions[index], index), Text(cube.dimensions[index], language));
  component("OBS_VALUE", da ? "Observationsværdi" : "Observation value");
  component("OBS_STATUS", da ? "Observationsstatus" : "Observation status");
  component("CONF_STATUS", da ? "Fortrolighed" : "Confidentiality status");
  component("UNIT_MEASURE", da ? "Enhed" : "Unit of measure");
  component("DECIMALS", da ? "Decimaler" : "Decimals");
  header.push_back("CELL_STATUS");  // custom column: the status as the API names it

  std::string out;
  for (size_t column = 0; column < header.size(); ++column)
    out += (column > 0 ? "," : "") + Field(header[column]);
  out += "\r\n";
  std::vector<MeasureInfo> measures;
  for (size_t index = 0; index < cube.dimensions[kStatisticDimension].categories.size(); ++index)
    measures.push_back(MeasureFor(cube, context, index));
  const std::string title = CubeTitle(cube, language);
  for (size_t cell = 0; cell < cube.CellCount(); ++cell) {
    const auto coordinates = cube.Coordinates(cell);
    std::vector<std::string> row = {"dataflow", structure};
    if (names) row.push_back(title);
    row.push_back("I");  // Information: a dissemination message, not an update to apply
    const auto value = [&](const std::string& id, const std::string& name) {
      row.push_back(id);
      if (names) row.push_back(name);
    };
    for (size_t index = 0; index < cube.dimensions.size(); ++index) {
      const auto& category = cube.dimensions[index].categories[coordinates[index]];
      value(index == kPeriodDimension ? TimePeriod(category.id) : category.id,
            Text(category, language));
    }
    const engine::CellStatus status = cube.statuses[cell];
    const MeasureInfo& measure = measures[coordinates[kStatisticDimension]];
    // NaN marks a value that is intentionally missing; the status columns say why.
    value(std::isnan(cube.values[cell]) ? "NaN" : ShortestNumber(cube.values[cell]), "");
    const Coded observation = ObservationStatus(status);
    value(observation.id, da ? observation.name_da : observation.name_en);
    const Coded confidentiality = ConfidentialityStatus(status);
    value(confidentiality.id, da ? confidentiality.name_da : confidentiality.name_en);
    value(measure.unit, UnitText(measure, language));
    value(std::to_string(measure.decimals), "");
    row.push_back(std::string(engine::CellStatusId(status)));
    for (size_t column = 0; column < row.size(); ++column)
      out += (column > 0 ? "," : "") + Field(row[column]);
    out += "\r\n";
  }
  return out;
}

}  // namespace jobindsigt::exporting
