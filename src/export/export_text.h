#pragma once
// What the export writers share: the texts of categories, statuses and measures in the
// chosen language, timestamps and numbers. Internal to src/export.

#include <cstdint>
#include <string>
#include <string_view>

#include "engine/cube.h"
#include "export/export_writers.h"

namespace jobindsigt::exporting {

// The engine's dimension order (engine/cube.h): statistic, period, area, then breakdowns.
inline constexpr size_t kStatisticDimension = 0;
inline constexpr size_t kPeriodDimension = 1;
inline constexpr size_t kAreaDimension = 2;

inline bool Danish(const ExportContext& context) {
  return context.language == Language::kDanish;
}

const std::string& Text(const engine::Category& category, Language language);
const std::string& Text(const engine::Dimension& dimension, Language language);

// The measure described for a `statistic` category. Without one the writers still work: the
// unit is empty and the decimals are 0 for whole numbers, else 2.
MeasureInfo MeasureFor(const engine::Cube& cube, const ExportContext& context, size_t statistic);
const std::string& UnitText(const MeasureInfo& measure, Language language);

// Short status text as the reader sees it ("foreløbig", "preliminary").
std::string_view StatusText(engine::CellStatus status, Language language);
// One sentence on what the status means for the cell's value.
std::string_view StatusExplanation(engine::CellStatus status, Language language);
inline constexpr engine::CellStatus kAllStatuses[] = {
    engine::CellStatus::kOk, engine::CellStatus::kPreliminary, engine::CellStatus::kSuppressed,
    engine::CellStatus::kNoDenominator, engine::CellStatus::kNotApplicable};

// "2026-03-05T09:00:00Z".
std::string IsoTimestamp(int64_t unix_seconds);
// Days since 1970-01-01 of the timestamp, and minutes into that day.
DayNumber DayOfTimestamp(int64_t unix_seconds);
int MinuteOfDay(int64_t unix_seconds);

// The shortest text that reads back as the same double; empty for NaN.
std::string ShortestNumber(double value);

// "Personer og aktiveringsgrad": the measures' labels joined.
std::string CubeContents(const engine::Cube& cube, Language language);
// "Personer og aktiveringsgrad efter periode, område og tilbudstype": the measures' labels,
// then the other dimensions'.
std::string CubeTitle(const engine::Cube& cube, Language language);

}  // namespace jobindsigt::exporting
