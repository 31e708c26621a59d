#include "catalog/municipalities.h"

#include <fmt/format.h>

#include <charconv>
#include <fstream>
#include <map>

#include "common/error.h"

namespace jobindsigt {
namespace {

std::vector<std::string> SplitComma(const std::string& line) {
  std::vector<std::string> fields;
  std::string current;
  for (const char ch : line) {
    if (ch == ',') {
      fields.push_back(current);
      current.clear();
    } else if (ch != '\r') {
      current += ch;
    }
  }
  fields.push_back(current);
  return fields;
}

constexpr const char* kExpectedHeader =
    "code,name,region_code,region,landsdel_code,landsdel,dst_group_code,dst_group,"
    "approx_population,jobcentre_code,jobcentre_name";

}  // namespace

std::vector<Municipality> LoadMunicipalities(const std::filesystem::path& catalog_dir) {
  const auto path = catalog_dir / "areas" / "municipalities.csv";
  std::ifstream input(path);
  if (!input) {
    throw UserError(ErrorCode::kBadCatalog,
                    fmt::format("cannot read {}: expected the municipality list of the catalogue "
                                "(check --catalog)",
                                path.string()));
  }
  std::string line;
  std::getline(input, line);
  if (!line.empty() && line.back() == '\r') line.pop_back();
  if (line != kExpectedHeader) {
    throw UserError(ErrorCode::kBadCatalog, fmt::format("{}: header is '{}', expected '{}'",
                                                        path.string(), line, kExpectedHeader));
  }
  std::vector<Municipality> result;
  int line_number = 1;
  while (std::getline(input, line)) {
    ++line_number;
    if (line.empty()) continue;
    const auto fields = SplitComma(line);
    if (fields.size() != 11) {
      throw UserError(ErrorCode::kBadCatalog,
                      fmt::format("{} line {}: {} fields, expected 11", path.string(), line_number,
                                  fields.size()));
    }
    auto number = [&](size_t index, const char* name) {
      int value = 0;
      const auto& text = fields[index];
      const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
      if (error != std::errc() || end != text.data() + text.size() || value < 0) {
        throw UserError(ErrorCode::kBadCatalog,
                        fmt::format("{} line {}: field {} is '{}', expected a whole number",
                                    path.string(), line_number, name, text));
      }
      return value;
    };
    Municipality municipality;
    municipality.code = number(0, "code");
    municipality.name = fields[1];
    municipality.region_code = number(2, "region_code");
    municipality.region_name = fields[3];
    municipality.landsdel_code = number(4, "landsdel_code");
    municipality.landsdel_name = fields[5];
    municipality.group_code = number(6, "dst_group_code");
    municipality.group_name = fields[7];
    municipality.approx_population = number(8, "approx_population");
    municipality.jobcentre_code = number(9, "jobcentre_code");
    municipality.jobcentre_name = fields[10];
    result.push_back(std::move(municipality));
  }
  if (result.empty()) {
    throw UserError(ErrorCode::kBadCatalog,
                    fmt::format("{} lists no municipalities", path.string()));
  }
  return result;
}

}  // namespace jobindsigt
