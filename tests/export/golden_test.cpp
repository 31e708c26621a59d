// Each writer's output for the sample cube against the expected file in golden/, written by
// hand from the format rules (see docs/exports.md). On a difference the actual output is left
// in a temporary folder for `diff`.

#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "export/export_writers.h"
#include "px_validator.h"
#include "sample_cube.h"

namespace jobindsigt::exporting::testing {
namespace {

std::string Golden(const std::string& name) {
  return ReadFile(ExportTestDir() + "/golden/" + name);
}

// Where a differing output goes, so that the message can point at a file to diff.
std::string KeepActual(const std::string& name, const std::string& actual) {
  static const std::string dir = MakeTempDir("jobindsigt-export-actual");
  const std::string path = dir + "/" + name;
  WriteFile(path, actual);
  return path;
}

void ExpectGoldenBytes(const std::string& name, const std::string& actual) {
  const std::string expected = Golden(name);
  if (actual != expected) {
    ADD_FAILURE() << name
                  << " differs from the expected file; actual output: " << KeepActual(name, actual)
                  << "\n(diff it against tests/export/golden/" << name << ")";
  }
}

// JSON is compared as data: the expected files hold the same values and key order, but the
// spacing of a JSON text is no part of the format.
void ExpectGoldenJson(const std::string& name, const std::string& actual) {
  const auto expected = nlohmann::ordered_json::parse(Golden(name));
  const auto parsed = nlohmann::ordered_json::parse(actual);
  if (parsed != expected)
    ADD_FAILURE() << name
                  << " differs from the expected file; actual output: " << KeepActual(name, actual);
}

ExportContext Context(Language language, LabelMode labels) {
  ExportContext context = SampleContext();
  context.language = language;
  context.labels = labels;
  return context;
}

TEST(ExportGoldenTest, PcAxisDanishLabels) {
  ExpectGoldenBytes("sample_da_labels.px",
                    CubeToPx(SampleCube(), Context(Language::kDanish, LabelMode::kLabels)));
}

TEST(ExportGoldenTest, SdmxCsvEnglishCodesAndNames) {
  ExpectGoldenBytes("sample_en_both.sdmx.csv",
                    CubeToSdmxCsv(SampleCube(), Context(Language::kEnglish, LabelMode::kBoth)));
}

TEST(ExportGoldenTest, JsonRowsDanishCodesAndLabels) {
  ExpectGoldenJson("sample_da_both.rows.json",
                   CubeToJsonRows(SampleCube(), Context(Language::kDanish, LabelMode::kBoth)));
}

TEST(ExportGoldenTest, JsonStatDanish) {
  ExpectGoldenJson("sample_da.jsonstat.json",
                   CubeToJsonStat(SampleCube(), Context(Language::kDanish, LabelMode::kBoth)));
}

TEST(ExportGoldenTest, PcAxisPassesTheValidatorInEveryLanguageAndLabelMode) {
  for (const Language language : {Language::kDanish, Language::kEnglish}) {
    for (const LabelMode labels : {LabelMode::kCodes, LabelMode::kLabels, LabelMode::kBoth}) {
      const std::string px = CubeToPx(SampleCube(), Context(language, labels));
      const auto problems = ValidatePx(px);
      EXPECT_TRUE(problems.empty()) << Describe(problems) << px;
    }
  }
}

// 40 months, long texts and a label with `"` and `;`: lines wrap, strings split into pieces,
// and the file still passes.
TEST(ExportGoldenTest, PcAxisWrapsLongListsAndTexts) {
  engine::Cube cube = SampleCube();
  auto& periods = cube.dimensions[1].categories;
  periods.clear();
  for (int month = 0; month < 40; ++month) {
    const std::string id = std::to_string(2023 + month / 12) + "M" + (month % 12 < 9 ? "0" : "") +
                           std::to_string(month % 12 + 1);
    periods.push_back({id, id, id});
  }
  cube.dimensions[2].categories[0].label_da = "Tårnby \"syd\"; øst";
  const size_t cells = 2 * 40 * 2 * 2;
  cube.values.assign(cells, 1234.5);
  cube.statuses.assign(cells, engine::CellStatus::kOk);
  cube.left_out.assign(cells, 0);
  ExportContext context = SampleContext();
  context.source = std::string(40, 'x') + " " + std::string(300, 'y') + " æøå";
  const std::string px = CubeToPx(cube, context);
  const auto problems = ValidatePx(px);
  EXPECT_TRUE(problems.empty()) << Describe(problems) << px;
  EXPECT_NE(px.find("TIMEVAL(\"Periode\")=TLIST(M1),\"202301\""), std::string::npos);
  EXPECT_NE(px.find("\"185 Tårnby 'syd', øst\""), std::string::npos);
}

// Periods no PX interval fits (a rolling year) give no TIMEVAL, and the file still passes.
TEST(ExportGoldenTest, PcAxisWithoutTimevalForRollingYears) {
  engine::Cube cube = SampleCube();
  cube.dimensions[1].categories = {{"2025M12R12", "2025M12R12", "2025M12R12"},
                                   {"2026M01R12", "2026M01R12", "2026M01R12"}};
  const std::string px = CubeToPx(cube, SampleContext());
  EXPECT_EQ(px.find("TIMEVAL"), std::string::npos);
  EXPECT_TRUE(ValidatePx(px).empty()) << Describe(ValidatePx(px));
}

TEST(ExportGoldenTest, SdmxCsvIdsOnlyHeader) {
  const std::string csv =
      CubeToSdmxCsv(SampleCube(), Context(Language::kDanish, LabelMode::kCodes));
  EXPECT_EQ(csv.substr(0, csv.find("\r\n")),
            "STRUCTURE,STRUCTURE_ID,ACTION,STATISTIC,TIME_PERIOD,REF_AREA,OFFER_TYPE,OBS_VALUE,"
            "OBS_STATUS,CONF_STATUS,UNIT_MEASURE,DECIMALS,CELL_STATUS");
  EXPECT_NE(csv.find("dataflow,JOBINDSIGT:KTHAKT01(1.0.0),I,kth_activation_rate,2026-02,185,LTP,"
                     "NaN,M,F,percent,1,no_denominator\r\n"),
            std::string::npos);
}

// standards.md §4.3's validator rules on the JSON-stat dataset.
TEST(ExportGoldenTest, JsonStatMeetsTheValidatorRules) {
  const auto dataset = nlohmann::json::parse(CubeToJsonStat(SampleCube(), SampleContext()));
  ASSERT_EQ(dataset["id"].size(), dataset["size"].size());  // S1
  size_t cells = 1;
  for (size_t index = 0; index < dataset["id"].size(); ++index) {
    const auto& dimension = dataset["dimension"][dataset["id"][index].get<std::string>()];  // S2
    const auto& category = dimension["category"];
    EXPECT_EQ(category["index"].size(), dataset["size"][index].get<size_t>());  // D1
    for (const auto& [id, label] : category["label"].items())
      EXPECT_TRUE(category["index"].contains(id));  // D3
    cells *= dataset["size"][index].get<size_t>();
  }
  EXPECT_EQ(dataset["dimension"].size(), dataset["id"].size());  // S2
  EXPECT_EQ(dataset["value"].size(), cells);                     // S3
  EXPECT_EQ(dataset["status"].size(), cells);                    // S6
  for (const auto& [role, ids] : dataset["role"].items())        // S5
    for (const auto& id : ids)
      EXPECT_TRUE(dataset["dimension"].contains(id.get<std::string>())) << role;
  for (const auto& metric : dataset["role"]["metric"]) {  // S8
    const auto& category = dataset["dimension"][metric.get<std::string>()]["category"];
    for (const auto& [id, position] : category["index"].items())
      EXPECT_TRUE(category["unit"].contains(id));
  }
}

TEST(ExportGoldenTest, XlsxIsTheSameBytesEveryTime) {
  const std::string first = CubeToXlsx(SampleCube(), SampleContext());
  EXPECT_EQ(first.substr(0, 2), "PK");  // a zip archive
  EXPECT_EQ(first, CubeToXlsx(SampleCube(), SampleContext()));
}

TEST(ExportGoldenTest, WritersAcceptAMeasureWithoutDescription) {
  ExportContext context = SampleContext();
  context.measures.clear();
  const std::string px = CubeToPx(SampleCube(), context);
  EXPECT_TRUE(ValidatePx(px).empty()) << Describe(ValidatePx(px));
  // The rate keeps its decimals (31.24 is not a whole number); the count gets none.
  EXPECT_NE(px.find("31.24"), std::string::npos);
  EXPECT_NE(CubeToXlsx(SampleCube(), context).size(), 0U);
}

}  // namespace
}  // namespace jobindsigt::exporting::testing
