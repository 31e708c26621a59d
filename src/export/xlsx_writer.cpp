// XLSX writer on libxlsxwriter. What the analysts asked for (requirements.md, "Export and
// presentation"): real numbers, no merged cells, every measure in one sheet, a header row that
// filters and stays in view, and the definitions next to the numbers.

#include <fcntl.h>
#include <fmt/format.h>
#include <unistd.h>
#include <xlsxwriter.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <stdexcept>

#include "export/export_text.h"
#include "export/export_writers.h"

namespace jobindsigt::exporting {
namespace {

// Excel counts days from 1899-12-30; day 0 of ours (1970-01-01) is Excel day 25569.
constexpr double kExcelEpochOffset = 25569.0;
constexpr double kMaxColumnWidth = 60.0;

// One worksheet: writes cells, remembers the first error and the widest text per column.
class Sheet {
 public:
  explicit Sheet(lxw_worksheet* worksheet) : worksheet_(worksheet) {}

  void Text(lxw_row_t row, lxw_col_t column, const std::string& text,
            lxw_format* format = nullptr) {
    if (text.empty()) return;
    Check(worksheet_write_string(worksheet_, row, column, text.c_str(), format));
    Widen(column, static_cast<double>(std::count_if(text.begin(), text.end(), [](char ch) {
            return (ch & 0xC0) != 0x80;  // characters, not UTF-8 bytes
          })));
  }
  void Number(lxw_row_t row, lxw_col_t column, double value, lxw_format* format) {
    Check(worksheet_write_number(worksheet_, row, column, value, format));
    Widen(column, 12.0);
  }
  // Column widths from the texts written, wrapping formats for the long ones.
  void FitColumns(lxw_format* wrap) {
    for (size_t column = 0; column < widths_.size(); ++column) {
      const double width = std::min(widths_[column] + 2.0, kMaxColumnWidth);
      Check(worksheet_set_column(worksheet_, static_cast<lxw_col_t>(column),
                                 static_cast<lxw_col_t>(column), width,
                                 widths_[column] > kMaxColumnWidth ? wrap : nullptr));
    }
  }
  lxw_worksheet* get() const { return worksheet_; }
  void Check(lxw_error error) {
    if (error != LXW_NO_ERROR && error_ == LXW_NO_ERROR) error_ = error;
  }
  lxw_error error() const { return error_; }

 private:
  void Widen(lxw_col_t column, double width) {
    if (widths_.size() <= column) widths_.resize(column + 1, 8.0);
    widths_[column] = std::max(widths_[column], width);
  }

  lxw_worksheet* worksheet_;
  std::vector<double> widths_;
  lxw_error error_ = LXW_NO_ERROR;
};

struct Formats {
  lxw_format* header = nullptr;
  lxw_format* wrap = nullptr;
  lxw_format* date = nullptr;
  std::vector<lxw_format*> decimals;  // "#,##0", "#,##0.0", … by number of decimals
};

Formats MakeFormats(lxw_workbook* workbook) {
  Formats formats;
  formats.header = workbook_add_format(workbook);
  format_set_bold(formats.header);
  formats.wrap = workbook_add_format(workbook);
  format_set_text_wrap(formats.wrap);
  format_set_align(formats.wrap, LXW_ALIGN_VERTICAL_TOP);
  formats.date = workbook_add_format(workbook);
  format_set_num_format(formats.date, "yyyy-mm-dd");
  for (int places = 0; places <= 6; ++places) {
    lxw_format* format = workbook_add_format(workbook);
    const std::string code = places == 0 ? "#,##0" : "#,##0." + std::string(places, '0');
    format_set_num_format(format, code.c_str());
    formats.decimals.push_back(format);
  }
  return formats;
}

// Sheet 1: one row per cell, in the cube's order.
void WriteData(Sheet& sheet, const engine::Cube& cube, const ExportContext& context,
               const Formats& formats) {
  const Language language = context.language;
  const bool da = Danish(context);
  const bool codes = context.labels != LabelMode::kLabels;
  const bool labels = context.labels != LabelMode::kCodes;
  const bool left_out = std::any_of(cube.left_out.begin(), cube.left_out.end(),
                                    [](int64_t count) { return count > 0; });
  lxw_col_t column = 0;
  for (const auto& dimension : cube.dimensions) {
    if (codes)
      sheet.Text(0, column++, Text(dimension, language) + (da ? " (kode)" : " (code)"),
                 formats.header);
    if (labels) sheet.Text(0, column++, Text(dimension, language), formats.header);
  }
  const lxw_col_t value_column = column;
  sheet.Text(0, column++, da ? "Værdi" : "Value", formats.header);
  sheet.Text(0, column++, da ? "Enhed" : "Unit", formats.header);
  sheet.Text(0, column++, "Status", formats.header);
  if (left_out) sheet.Text(0, column++, da ? "Udeladte forløb" : "Spells left out", formats.header);
  std::vector<MeasureInfo> measures;
  for (size_t index = 0; index < cube.dimensions[kStatisticDimension].categories.size(); ++index)
    measures.push_back(MeasureFor(cube, context, index));

  for (size_t cell = 0; cell < cube.CellCount(); ++cell) {
    const auto row = static_cast<lxw_row_t>(cell + 1);
    const auto coordinates = cube.Coordinates(cell);
    lxw_col_t at = 0;
    for (size_t dimension = 0; dimension < cube.dimensions.size(); ++dimension) {
      const auto& category = cube.dimensions[dimension].categories[coordinates[dimension]];
      if (codes) sheet.Text(row, at++, category.id);
      if (labels) sheet.Text(row, at++, Text(category, language));
    }
    const MeasureInfo& measure = measures[coordinates[kStatisticDimension]];
    // A cell without a value stays empty, so sums and charts in Excel skip it; the status
    // column says why.
    if (!std::isnan(cube.values[cell]))
      sheet.Number(row, value_column, cube.values[cell],
                   formats.decimals[std::clamp(measure.decimals, 0, 6)]);
    sheet.Text(row, value_column + 1, UnitText(measure, language));
    sheet.Text(row, value_column + 2, std::string(StatusText(cube.statuses[cell], language)));
    if (left_out && cube.left_out[cell] > 0)
      sheet.Number(row, value_column + 3, static_cast<double>(cube.left_out[cell]),
                   formats.decimals[0]);
  }
  const auto last_row = static_cast<lxw_row_t>(cube.CellCount());
  sheet.Check(worksheet_autofilter(sheet.get(), 0, 0, last_row, column - 1));
  worksheet_freeze_panes(sheet.get(), 1, 0);
  sheet.FitColumns(formats.wrap);
}

// Sheet 2: what the numbers are, from which release, and what the statuses mean.
void WriteDefinitions(Sheet& sheet, const engine::Cube& cube, const ExportContext& context,
                      const Formats& formats) {
  const Language language = context.language;
  const bool da = Danish(context);
  lxw_row_t row = 0;
  const auto pair = [&](const char* key_da, const char* key_en, const std::string& value) {
    sheet.Text(row, 0, da ? key_da : key_en, formats.header);
    sheet.Text(row++, 1, value);
  };
  pair("Titel", "Title", CubeTitle(cube, language));
  pair("Udgivelse", "Release", cube.release_id);
  sheet.Text(row, 0, da ? "Skæringsdag" : "Cut-off day", formats.header);
  sheet.Number(row++, 1, kExcelEpochOffset + cube.cut_off_day, formats.date);
  pair("Dannet", "Generated", IsoTimestamp(context.generated_unix));
  pair("Kilde", "Source", context.source);
  pair("Kontakt", "Contact", context.contact);
  ++row;
  const std::vector<std::string> header =
      da ? std::vector<std::string>{"Måling",    "Kode",        "Enhed",
                                    "Decimaler", "Beskrivelse", "Teknisk beskrivelse"}
         : std::vector<std::string>{"Measure",  "Code",        "Unit",
                                    "Decimals", "Description", "Technical description"};
  for (size_t column = 0; column < header.size(); ++column)
    sheet.Text(row, static_cast<lxw_col_t>(column), header[column], formats.header);
  ++row;
  const auto& statistics = cube.dimensions[kStatisticDimension].categories;
  for (size_t index = 0; index < statistics.size(); ++index, ++row) {
    const MeasureInfo measure = MeasureFor(cube, context, index);
    sheet.Text(row, 0, Text(statistics[index], language), formats.wrap);
    sheet.Text(row, 1, statistics[index].id, formats.wrap);
    sheet.Text(row, 2, UnitText(measure, language), formats.wrap);
    sheet.Number(row, 3, measure.decimals, formats.decimals[0]);
    sheet.Text(row, 4, da ? measure.doc_da : measure.doc_en, formats.wrap);
    sheet.Text(row, 5, da ? measure.technical_da : measure.technical_en, formats.wrap);
  }
  ++row;
  sheet.Text(row, 0, "Status", formats.header);
  sheet.Text(row, 1, da ? "Kode" : "Code", formats.header);
  sheet.Text(row++, 2, da ? "Forklaring" : "Explanation", formats.header);
  for (const engine::CellStatus status : kAllStatuses) {
    sheet.Text(row, 0, std::string(StatusText(status, language)));
    sheet.Text(row, 1, std::string(engine::CellStatusId(status)));
    sheet.Text(row++, 2, std::string(StatusExplanation(status, language)));
  }
  if (!cube.notes.empty()) ++row;
  for (const auto& note : cube.notes) pair("Note", "Note", note);
  sheet.FitColumns(formats.wrap);
}

// libxlsxwriter 1.1.4 (Debian 12) writes only to a file: a private temporary file is written,
// read back and removed.
class TempFile {
 public:
  TempFile() {
    std::string pattern =
        (std::filesystem::temp_directory_path() / "jobindsigt-xlsx-XXXXXX").string();
    const int descriptor = mkstemp(pattern.data());
    if (descriptor < 0) throw std::runtime_error("xlsx: cannot create a temporary file");
    close(descriptor);
    path_ = pattern;
  }
  ~TempFile() {
    std::error_code ignored;  // a file left in /tmp must not turn an answer into a crash
    std::filesystem::remove(path_, ignored);
  }
  TempFile(const TempFile&) = delete;
  TempFile& operator=(const TempFile&) = delete;
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

}  // namespace

std::string CubeToXlsx(const engine::Cube& cube, const ExportContext& context) {
  const TempFile file;
  lxw_workbook* workbook = workbook_new(file.path().c_str());
  if (workbook == nullptr) throw std::runtime_error("xlsx: libxlsxwriter cannot start a workbook");
  const bool da = Danish(context);
  std::string title = CubeTitle(cube, context.language);
  std::string source = context.source;
  lxw_doc_properties properties{};
  properties.title = title.data();
  properties.company = source.data();
  // A fixed creation time makes the bytes depend on the answer only (ETags, golden tests).
  properties.created = static_cast<time_t>(context.generated_unix);
  const Formats formats = MakeFormats(workbook);
  Sheet data(workbook_add_worksheet(workbook, "Data"));
  Sheet definitions(workbook_add_worksheet(workbook, da ? "Definitioner" : "Definitions"));
  data.Check(workbook_set_properties(workbook, &properties));
  WriteData(data, cube, context, formats);
  WriteDefinitions(definitions, cube, context, formats);
  const lxw_error closed = workbook_close(workbook);
  for (const lxw_error error : {data.error(), definitions.error(), closed}) {
    if (error != LXW_NO_ERROR)
      throw std::runtime_error(fmt::format("xlsx: {}", lxw_strerror(error)));
  }
  std::ifstream in(file.path(), std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

}  // namespace jobindsigt::exporting
