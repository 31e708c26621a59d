#include "export/cube_formats.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <nlohmann/json.hpp>

namespace jobindsigt::exporting {
namespace {

using Json = nlohmann::ordered_json;

const std::string& Label(const engine::Category& category, Language language) {
  return language == Language::kDanish ? category.label_da : category.label_en;
}

const std::string& Label(const engine::Dimension& dimension, Language language) {
  return language == Language::kDanish ? dimension.label_da : dimension.label_en;
}

// Shortest text that reads back as the same double (fmt's default), decimal mark chosen.
std::string Number(double value, char decimal_mark) {
  if (std::isnan(value)) return "";
  std::string text = fmt::format("{}", value);
  if (decimal_mark != '.') std::replace(text.begin(), text.end(), '.', decimal_mark);
  return text;
}

std::string CsvField(const std::string& text, char separator) {
  if (text.find_first_of(std::string{separator, '"', '\n', '\r'}) == std::string::npos) return text;
  std::string quoted = "\"";
  for (const char ch : text) {
    if (ch == '"') quoted += '"';
    quoted += ch;
  }
  return quoted + "\"";
}

}  // namespace

std::string CubeToJsonStat(const engine::Cube& cube, Language language) {
  return JsonStatDataset(cube, language).dump(1);
}

nlohmann::ordered_json JsonStatDataset(const engine::Cube& cube, Language language) {
  Json dataset;
  dataset["version"] = "2.0";
  dataset["class"] = "dataset";
  dataset["label"] = "Jobindsigt";  // the same name in both languages
  dataset["source"] = "Jobindsigt";
  dataset["updated"] = FormatIsoDate(cube.cut_off_day);
  Json ids = Json::array();
  Json sizes = Json::array();
  Json dimensions = Json::object();
  for (const auto& dimension : cube.dimensions) {
    ids.push_back(dimension.id);
    sizes.push_back(dimension.categories.size());
    Json index = Json::object();
    Json labels = Json::object();
    for (size_t position = 0; position < dimension.categories.size(); ++position) {
      index[dimension.categories[position].id] = position;
      labels[dimension.categories[position].id] = Label(dimension.categories[position], language);
    }
    dimensions[dimension.id] = {{"label", Label(dimension, language)},
                                {"category", {{"index", index}, {"label", labels}}}};
  }
  dataset["id"] = ids;
  dataset["size"] = sizes;
  // The engine's first three dimensions are always statistic, period and area (cube.h).
  if (cube.dimensions.size() >= 3) {
    dataset["role"] = {{"time", {cube.dimensions[1].id}},
                       {"geo", {cube.dimensions[2].id}},
                       {"metric", {cube.dimensions[0].id}}};
  }
  dataset["dimension"] = dimensions;
  Json values = Json::array();
  Json statuses = Json::array();
  for (size_t cell = 0; cell < cube.CellCount(); ++cell) {
    if (std::isnan(cube.values[cell])) {
      values.push_back(nullptr);
    } else {
      values.push_back(cube.values[cell]);
    }
    statuses.push_back(std::string(engine::CellStatusId(cube.statuses[cell])));
  }
  dataset["value"] = values;
  dataset["status"] = statuses;
  Json extension = {{"release", cube.release_id}, {"cut_off_day", FormatIsoDate(cube.cut_off_day)}};
  if (std::any_of(cube.left_out.begin(), cube.left_out.end(), [](int64_t n) { return n > 0; }))
    extension["left_out"] = cube.left_out;
  Json outside = Json::object();
  for (size_t index = 0; index < cube.outside_bands.size(); ++index) {
    if (cube.outside_bands[index] > 0)
      outside[cube.dimensions[index + 3].id] = cube.outside_bands[index];
  }
  if (!outside.empty()) extension["outside_bands"] = outside;
  dataset["extension"] = extension;
  return dataset;
}

std::string CubeToCsv(const engine::Cube& cube, CsvDialect dialect, Language language) {
  const bool danish = dialect == CsvDialect::kDanish;
  const char separator = danish ? ';' : ',';
  const char decimal_mark = danish ? ',' : '.';
  std::string out = danish ? "\xEF\xBB\xBF" : "";
  for (const auto& dimension : cube.dimensions) {
    out += CsvField(dimension.id, separator) + separator;
    out += CsvField(dimension.id + "_label", separator) + separator;
  }
  out += fmt::format("value{}status{}left_out\r\n", separator, separator);
  for (size_t cell = 0; cell < cube.CellCount(); ++cell) {
    const auto coordinates = cube.Coordinates(cell);
    for (size_t dimension = 0; dimension < cube.dimensions.size(); ++dimension) {
      const auto& category = cube.dimensions[dimension].categories[coordinates[dimension]];
      out += CsvField(category.id, separator) + separator;
      out += CsvField(Label(category, language), separator) + separator;
    }
    out += Number(cube.values[cell], decimal_mark) + separator;
    out += std::string(engine::CellStatusId(cube.statuses[cell])) + separator;
    out += cube.left_out[cell] > 0 ? std::to_string(cube.left_out[cell]) : "";
    out += "\r\n";
  }
  return out;
}

std::string CubeToText(const engine::Cube& cube, Language language) {
  std::vector<std::vector<std::string>> rows;
  std::vector<std::string> header;
  for (const auto& dimension : cube.dimensions) header.push_back(Label(dimension, language));
  header.push_back(language == Language::kDanish ? "Værdi" : "Value");
  header.push_back("Status");
  rows.push_back(header);
  for (size_t cell = 0; cell < cube.CellCount(); ++cell) {
    const auto coordinates = cube.Coordinates(cell);
    std::vector<std::string> row;
    for (size_t dimension = 0; dimension < cube.dimensions.size(); ++dimension)
      row.push_back(Label(cube.dimensions[dimension].categories[coordinates[dimension]], language));
    const double value = cube.values[cell];
    row.push_back(std::isnan(value) ? ".." : fmt::format("{:.2f}", value));
    row.push_back(std::string(engine::CellStatusId(cube.statuses[cell])));
    rows.push_back(std::move(row));
  }
  std::vector<size_t> widths(header.size(), 0);
  for (const auto& row : rows) {
    for (size_t column = 0; column < row.size(); ++column) {
      // Width in characters, not bytes: count UTF-8 lead bytes.
      const size_t width = std::count_if(row[column].begin(), row[column].end(),
                                         [](char ch) { return (ch & 0xC0) != 0x80; });
      widths[column] = std::max(widths[column], width);
    }
  }
  std::string out;
  for (const auto& row : rows) {
    for (size_t column = 0; column < row.size(); ++column) {
      const size_t width = std::count_if(row[column].begin(), row[column].end(),
                                         [](char ch) { return (ch & 0xC0) != 0x80; });
      const bool number = column == row.size() - 2;
      const std::string pad(widths[column] - width, ' ');
      out += number ? pad + row[column] : row[column] + pad;
      out += column + 1 < row.size() ? "  " : "\n";
    }
  }
  return out;
}

}  // namespace jobindsigt::exporting
