#include "catalog/municipalities.h"

#include <gtest/gtest.h>

#include <fstream>
#include <set>

#include "common/error.h"

namespace jobindsigt {
namespace {

TEST(MunicipalitiesTest, CatalogueHoldsTheNinetyEight) {
  const auto municipalities = LoadMunicipalities(JOBINDSIGT_TEST_CATALOG_DIR);
  ASSERT_EQ(municipalities.size(), 98U);
  std::set<int> regions;
  int64_t population = 0;
  for (const auto& municipality : municipalities) {
    regions.insert(municipality.region_code);
    population += municipality.approx_population;
    EXPECT_GE(municipality.group_code, 1);
    EXPECT_LE(municipality.group_code, 5);
  }
  EXPECT_EQ(regions, (std::set<int>{81, 82, 83, 84, 85}));
  EXPECT_NEAR(static_cast<double>(population), 5.94e6, 0.05e6);
}

TEST(MunicipalitiesTest, MissingOrMalformedFileIsAClearError) {
  const auto folder = std::filesystem::temp_directory_path() / "jobindsigt_municipalities_test";
  std::filesystem::remove_all(folder);
  std::filesystem::create_directories(folder / "areas");
  try {
    LoadMunicipalities(folder);
    FAIL() << "a missing file must be rejected";
  } catch (const UserError& error) {
    EXPECT_EQ(error.code(), ErrorCode::kBadCatalog);
    EXPECT_NE(std::string(error.what()).find("municipalities.csv"), std::string::npos);
  }
  std::ofstream(folder / "areas" / "municipalities.csv")
      << "code,name,region_code,region,landsdel_code,landsdel,dst_group_code,dst_group,"
         "approx_population,jobcentre_code,jobcentre_name\n"
      << "101,København,84,Region Hovedstaden,1,Byen København,1,Hovedstadskommuner,many,101,JC\n";
  try {
    LoadMunicipalities(folder);
    FAIL() << "text in a number column must be rejected";
  } catch (const UserError& error) {
    EXPECT_NE(std::string(error.what()).find("approx_population"), std::string::npos);
    EXPECT_NE(std::string(error.what()).find("line 2"), std::string::npos);
  }
  std::filesystem::remove_all(folder);
}

}  // namespace
}  // namespace jobindsigt
