// The exports read by programs we did not write: LibreOffice opens the XLSX, the npm
// jsonstat-toolkit loads the JSON-stat, Python's csv module parses the SDMX-CSV. Each test
// skips, saying what to install, when its program is missing (scripts/install-deps --test).

#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "export/export_writers.h"
#include "sample_cube.h"

namespace jobindsigt::exporting::testing {
namespace {

using Table = std::vector<std::vector<std::string>>;

// RFC 4180 records, for reading back what LibreOffice wrote (line ends: LF or CRLF).
Table ParseCsv(const std::string& text) {
  Table rows(1, std::vector<std::string>(1));
  bool quoted = false;
  for (size_t at = 0; at < text.size(); ++at) {
    const char ch = text[at];
    if (quoted) {
      if (ch == '"' && at + 1 < text.size() && text[at + 1] == '"') {
        rows.back().back() += '"';
        ++at;
      } else if (ch == '"') {
        quoted = false;
      } else {
        rows.back().back() += ch;
      }
    } else if (ch == '"') {
      quoted = true;
    } else if (ch == ',') {
      rows.back().emplace_back();
    } else if (ch == '\n') {
      rows.emplace_back(1);
    } else if (ch != '\r') {
      rows.back().back() += ch;
    }
  }
  if (rows.back().size() == 1 && rows.back()[0].empty()) rows.pop_back();
  return rows;
}

void ExpectSameValue(const std::string& text, double value, const std::string& where) {
  if (std::isnan(value)) {
    EXPECT_TRUE(text.empty() || text == "NaN")
        << where << ": '" << text << "' for a cell without a value";
    return;
  }
  ASSERT_FALSE(text.empty()) << where;
  EXPECT_NEAR(std::stod(text), value, 1e-9 * std::max(1.0, std::fabs(value))) << where;
}

std::string Normalised(const std::string& text) {
  std::string out;
  for (const char ch : text)
    if (ch != '\r') out += ch;
  return out;
}

// LibreOffice (headless) converts both sheets to CSV with the cells' values, not their
// display: the values must be the cube's, the texts those of the expected files.
TEST(ExternalReaderTest, LibreOfficeReadsTheXlsx) {
  if (!HaveProgram("soffice"))
    GTEST_SKIP()
        << "soffice not found: install libreoffice-calc-nogui (scripts/install-deps --test)";
  const std::string dir = MakeTempDir("jobindsigt-xlsx");
  const engine::Cube cube = SampleCube();
  WriteFile(dir + "/sample.xlsx", CubeToXlsx(cube, SampleContext()));
  // Token 9 "false": values as stored; token 12 "-1": every sheet to its own file. A private
  // profile keeps parallel runs from sharing LibreOffice's lock.
  const std::string command =
      "cd " + dir + " && timeout 240 soffice --headless --norestore -env:UserInstallation=file://" +
      dir +
      "/profile --convert-to 'csv:Text - txt - csv "
      "(StarCalc):44,34,76,1,,1033,false,true,false,false,false,-1' "
      "--outdir " +
      dir + " sample.xlsx 2>&1";
  std::string output;
  ASSERT_EQ(RunCommand(command, output), 0) << output;
  ASSERT_TRUE(std::filesystem::exists(dir + "/sample-Data.csv")) << output;
  const std::string data = ReadFile(dir + "/sample-Data.csv");
  EXPECT_EQ(Normalised(data), ReadFile(ExportTestDir() + "/golden/sample_da_both.xlsx-data.csv"));
  const Table rows = ParseCsv(data);
  ASSERT_EQ(rows.size(), cube.CellCount() + 1);
  const size_t value_column = 2 * cube.dimensions.size();
  ASSERT_EQ(rows[0][value_column], "Værdi");
  for (size_t cell = 0; cell < cube.CellCount(); ++cell)
    ExpectSameValue(rows[cell + 1][value_column], cube.values[cell],
                    "Data row " + std::to_string(cell + 2));
  EXPECT_EQ(Normalised(ReadFile(dir + "/sample-Definitioner.csv")),
            ReadFile(ExportTestDir() + "/golden/sample_da_both.xlsx-definitions.csv"));
  std::filesystem::remove_all(dir);
}

// The workbook's own XML, read with Python's zipfile: no merged cells, the filter and the
// frozen header row, the number formats.
TEST(ExternalReaderTest, XlsxHasNoMergedCellsAndAFrozenFilteredHeader) {
  if (!HaveProgram("python3")) GTEST_SKIP() << "python3 not found (scripts/install-deps --test)";
  const std::string dir = MakeTempDir("jobindsigt-xlsx-xml");
  WriteFile(dir + "/sample.xlsx", CubeToXlsx(SampleCube(), SampleContext()));
  std::string xml;
  ASSERT_EQ(
      RunCommand(
          "python3 -c 'import sys, zipfile; z = zipfile.ZipFile(sys.argv[1]); "
          "print(\"\\n\".join(z.read(n).decode() for n in (\"xl/workbook.xml\", "
          "\"xl/styles.xml\", \"xl/worksheets/sheet1.xml\", \"xl/worksheets/sheet2.xml\")))' " +
              dir + "/sample.xlsx",
          xml),
      0);
  EXPECT_EQ(xml.find("mergeCell"), std::string::npos);
  EXPECT_NE(xml.find("<autoFilter ref=\"A1:K17\""), std::string::npos);
  EXPECT_NE(xml.find("state=\"frozen\""), std::string::npos);
  EXPECT_NE(xml.find("formatCode=\"#,##0.0\""), std::string::npos);
  EXPECT_NE(xml.find("<sheet name=\"Data\""), std::string::npos);
  EXPECT_NE(xml.find("<sheet name=\"Definitioner\""), std::string::npos);
  std::filesystem::remove_all(dir);
}

// jsonstat-toolkit loads the dataset and gives back every cell's value and status.
TEST(ExternalReaderTest, JsonStatToolkitLoadsTheDataset) {
  if (!HaveProgram("node"))
    GTEST_SKIP() << "node not found: install nodejs (scripts/install-deps --test)";
  if (!std::filesystem::exists(ExportTestDir() + "/node_modules/jsonstat-toolkit"))
    GTEST_SKIP() << "jsonstat-toolkit not installed: run `npm ci` in tests/export "
                    "(scripts/install-deps --test)";
  const std::string dir = MakeTempDir("jobindsigt-jsonstat");
  const engine::Cube cube = SampleCube();
  WriteFile(dir + "/sample.json", CubeToJsonStat(cube, SampleContext()));
  std::string output;
  ASSERT_EQ(
      RunCommand("node " + ExportTestDir() + "/jsonstat_read.mjs " + dir + "/sample.json", output),
      0)
      << output;
  const auto read = nlohmann::json::parse(output);
  EXPECT_EQ(read["n"].get<size_t>(), cube.CellCount());
  EXPECT_EQ(read["role"]["time"][0], "period");
  EXPECT_EQ(read["units"]["kth_activation_rate"]["decimals"], 1);
  const auto& rows = read["rows"];
  ASSERT_EQ(rows.size(), cube.CellCount());
  for (size_t cell = 0; cell < cube.CellCount(); ++cell) {
    const auto coordinates = cube.Coordinates(cell);
    for (size_t index = 0; index < cube.dimensions.size(); ++index)
      EXPECT_EQ(rows[cell][cube.dimensions[index].id],
                cube.dimensions[index].categories[coordinates[index]].id);
    const auto& value = rows[cell]["value"];
    ExpectSameValue(value.is_null() ? "" : value.dump(), cube.values[cell],
                    "cell " + std::to_string(cell));
    EXPECT_EQ(rows[cell]["status"], std::string(engine::CellStatusId(cube.statuses[cell])));
  }
  std::filesystem::remove_all(dir);
}

// Python's csv module parses the SDMX-CSV: the required columns are there, in order, and the
// observations are the cube's.
TEST(ExternalReaderTest, PythonCsvReadsTheSdmxCsv) {
  if (!HaveProgram("python3")) GTEST_SKIP() << "python3 not found (scripts/install-deps --test)";
  const std::string dir = MakeTempDir("jobindsigt-sdmx");
  const engine::Cube cube = SampleCube();
  WriteFile(dir + "/sample.csv", CubeToSdmxCsv(cube, SampleContext()));
  std::string output;
  ASSERT_EQ(
      RunCommand("python3 -c 'import csv, json, sys; r = list(csv.DictReader(open(sys.argv[1], "
                 "newline=\"\", encoding=\"utf-8\"), strict=True)); "
                 "print(json.dumps({\"columns\": list(r[0].keys()), \"rows\": r}))' " +
                     dir + "/sample.csv",
                 output),
      0)
      << output;
  const auto read = nlohmann::json::parse(output);
  const auto& columns = read["columns"];
  ASSERT_GE(columns.size(), 4U);
  EXPECT_EQ(columns[0], "STRUCTURE");
  EXPECT_EQ(columns[1], "STRUCTURE_ID");
  for (const char* required :
       {"ACTION", "STATISTIC", "TIME_PERIOD", "REF_AREA", "OFFER_TYPE", "OBS_VALUE", "OBS_STATUS"})
    EXPECT_NE(std::find(columns.begin(), columns.end(), required), columns.end()) << required;
  const auto& rows = read["rows"];
  ASSERT_EQ(rows.size(), cube.CellCount());
  for (size_t cell = 0; cell < cube.CellCount(); ++cell) {
    EXPECT_EQ(rows[cell]["STRUCTURE"], "dataflow");
    EXPECT_EQ(rows[cell]["STRUCTURE_ID"], "JOBINDSIGT:KTHAKT01(1.0.0)");
    ExpectSameValue(rows[cell]["OBS_VALUE"].get<std::string>(), cube.values[cell],
                    "row " + std::to_string(cell + 2));
  }
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace jobindsigt::exporting::testing
