#include "export/export_text.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

namespace jobindsigt::exporting {

const std::string& Text(const engine::Category& category, Language language) {
  return language == Language::kDanish ? category.label_da : category.label_en;
}

const std::string& Text(const engine::Dimension& dimension, Language language) {
  return language == Language::kDanish ? dimension.label_da : dimension.label_en;
}

MeasureInfo MeasureFor(const engine::Cube& cube, const ExportContext& context, size_t statistic) {
  const std::string& id = cube.dimensions[kStatisticDimension].categories[statistic].id;
  const auto found = std::find_if(context.measures.begin(), context.measures.end(),
                                  [&](const MeasureInfo& measure) { return measure.id == id; });
  if (found != context.measures.end()) return *found;
  // No description: show whole numbers as such and anything else with two decimals, so that
  // a ratio is not rounded to an integer in PX or Excel.
  MeasureInfo measure;
  measure.id = id;
  const size_t per_statistic =
      cube.CellCount() / cube.dimensions[kStatisticDimension].categories.size();
  for (size_t cell = statistic * per_statistic; cell < (statistic + 1) * per_statistic; ++cell) {
    const double value = cube.values[cell];
    if (!std::isnan(value) && value != std::floor(value)) measure.decimals = 2;
  }
  return measure;
}

const std::string& UnitText(const MeasureInfo& measure, Language language) {
  return language == Language::kDanish ? measure.unit_da : measure.unit_en;
}

std::string_view StatusText(engine::CellStatus status, Language language) {
  const bool da = language == Language::kDanish;
  switch (status) {
    case engine::CellStatus::kOk:
      return "ok";
    case engine::CellStatus::kPreliminary:
      return da ? "foreløbig" : "preliminary";
    case engine::CellStatus::kSuppressed:
      return da ? "diskretioneret" : "suppressed";
    case engine::CellStatus::kNoDenominator:
      return da ? "ingen nævner" : "no denominator";
    case engine::CellStatus::kNotApplicable:
      return da ? "ikke relevant" : "not applicable";
  }
  return "ok";
}

std::string_view StatusExplanation(engine::CellStatus status, Language language) {
  const bool da = language == Language::kDanish;
  switch (status) {
    case engine::CellStatus::kOk:
      return da ? "Endeligt tal for udgivelsen." : "A final number for the release.";
    case engine::CellStatus::kPreliminary:
      return da ? "Perioden indeholder skæringsdagen; tallet kan ændre sig ved næste udgivelse."
                : "The period holds the cut-off day; the number may change in the next release.";
    case engine::CellStatus::kSuppressed:
      return da ? "Skjult af hensyn til diskretion (for få personer)."
                : "Hidden by disclosure control (too few persons).";
    case engine::CellStatus::kNoDenominator:
      return da ? "En andel med nævneren 0: der er intet tal."
                : "A ratio whose denominator is 0: there is no number.";
    case engine::CellStatus::kNotApplicable:
      return da ? "Fordelingen gælder ikke for denne måling: der er intet tal."
                : "The breakdown does not apply to this measure: there is no number.";
  }
  return "";
}

DayNumber DayOfTimestamp(int64_t unix_seconds) {
  // Floor division, so that times before 1970 still land on the right day.
  return static_cast<DayNumber>((unix_seconds - ((unix_seconds % 86400) + 86400) % 86400) / 86400);
}

int MinuteOfDay(int64_t unix_seconds) {
  return static_cast<int>(((unix_seconds % 86400) + 86400) % 86400 / 60);
}

std::string IsoTimestamp(int64_t unix_seconds) {
  const int64_t second = ((unix_seconds % 86400) + 86400) % 86400;
  return fmt::format("{}T{:02d}:{:02d}:{:02d}Z", FormatIsoDate(DayOfTimestamp(unix_seconds)),
                     second / 3600, second / 60 % 60, second % 60);
}

std::string ShortestNumber(double value) {
  if (std::isnan(value)) return "";
  return fmt::format("{}", value);
}

namespace {

std::string JoinWords(const std::vector<std::string>& parts, Language language) {
  std::string joined;
  for (size_t index = 0; index < parts.size(); ++index) {
    if (index > 0)
      joined += index + 1 < parts.size() ? ", " : language == Language::kDanish ? " og " : " and ";
    joined += parts[index];
  }
  return joined;
}

}  // namespace

std::string CubeContents(const engine::Cube& cube, Language language) {
  std::vector<std::string> measures;
  for (const auto& category : cube.dimensions[kStatisticDimension].categories)
    measures.push_back(Text(category, language));
  return JoinWords(measures, language);
}

std::string CubeTitle(const engine::Cube& cube, Language language) {
  std::vector<std::string> dimensions;
  for (size_t index = 1; index < cube.dimensions.size(); ++index) {
    std::string label = Text(cube.dimensions[index], language);
    // Mid-sentence the dimension names read in lower case ("efter område"); only an ASCII
    // first letter is lowered, which covers every dimension the engine names.
    if (!label.empty() && label[0] >= 'A' && label[0] <= 'Z')
      label[0] = static_cast<char>(label[0] - 'A' + 'a');
    dimensions.push_back(label);
  }
  std::string title = CubeContents(cube, language);
  if (!dimensions.empty())
    title += (language == Language::kDanish ? " efter " : " by ") + JoinWords(dimensions, language);
  return title;
}

}  // namespace jobindsigt::exporting
