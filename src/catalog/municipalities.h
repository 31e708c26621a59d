#pragma once
// The 98 municipalities and the areas they belong to, read from
// catalog/areas/municipalities.csv.

#include <filesystem>
#include <string>
#include <vector>

namespace jobindsigt {

struct Municipality {
  int code = 0;
  std::string name;
  int region_code = 0;
  std::string region_name;
  int landsdel_code = 0;
  std::string landsdel_name;
  int group_code = 0;  // Statistics Denmark's municipality group, 1 capital … 5 rural
  std::string group_name;
  int approx_population = 0;
  int jobcentre_code = 0;  // the code of the jobcentre's main municipality
  std::string jobcentre_name;
};

// Throws UserError(kBadCatalog) naming the file, line and field when the file is missing or
// a row is malformed.
std::vector<Municipality> LoadMunicipalities(const std::filesystem::path& catalog_dir);

}  // namespace jobindsigt
