// The dataflows' steps govern the run: catalogue errors for steps that are unknown or do not
// fit their inputs, dependency cycles and sources in no dataflow (each naming the file and the
// thing), and a run with a copy of the catalogue whose benefits dataflow no longer declares
// build_spells, which then builds no spells.

#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <sstream>

#include "common/error.h"
#include "ingest/source_spec.h"
#include "ingest_fixture.h"

namespace jobindsigt::test {
namespace {

// A copy of the catalogue in a scratch folder with `edits` (text -> replacement) applied to
// dataflows/dataflows.toml; each edit must apply.
fs::path EditedCatalog(const std::string& name,
                       const std::vector<std::pair<std::string, std::string>>& edits) {
  const fs::path folder = ScratchFolder("steps_" + name) / "catalog";
  fs::copy(JOBINDSIGT_TEST_CATALOG_DIR, folder, fs::copy_options::recursive);
  const fs::path flows = folder / "dataflows" / "dataflows.toml";
  std::stringstream text;
  text << std::ifstream(flows).rdbuf();
  std::string content = text.str();
  for (const auto& [from, to] : edits) {
    const auto at = content.find(from);
    EXPECT_NE(at, std::string::npos) << "the catalogue no longer has: " << from;
    if (at != std::string::npos) content.replace(at, from.size(), to);
  }
  WriteFile(flows, content);
  return folder;
}

// The message of the catalogue error of loading `catalog`, or "" when it loads.
std::string LoadError(const fs::path& catalog) {
  try {
    ingest::LoadDataflowCatalog(catalog);
  } catch (const UserError& error) {
    EXPECT_EQ(error.code(), ErrorCode::kBadCatalog);
    return error.what();
  }
  return "";
}

void ExpectMentions(const std::string& message, const std::vector<std::string>& parts) {
  ASSERT_FALSE(message.empty()) << "the catalogue was accepted";
  for (const auto& part : parts) {
    EXPECT_NE(message.find(part), std::string::npos) << "'" << part << "' not in: " << message;
  }
}

TEST(DataflowStepsTest, TheCatalogueAsShippedLoadsWithItsSteps) {
  EXPECT_EQ(LoadError(JOBINDSIGT_TEST_CATALOG_DIR), "");
  const auto catalog = ingest::LoadDataflowCatalog(JOBINDSIGT_TEST_CATALOG_DIR);
  EXPECT_TRUE(catalog.FindSource("benefits")->build_spells);
  EXPECT_TRUE(catalog.FindSource("benefits")->resolve_versions);
  EXPECT_TRUE(catalog.FindSource("education")->resolve_versions);
  EXPECT_FALSE(catalog.FindSource("payments")->resolve_versions);
  EXPECT_FALSE(catalog.FindSource("meetings")->build_spells);
}

TEST(DataflowStepsTest, AnUnknownStepIsACatalogueError) {
  const auto catalog = EditedCatalog(
      "unknown", {{R"(steps = ["read_validate", "resolve_versions", "build_spells"])",
                   R"(steps = ["read_validate", "resolve_versions", "build_spels"])"}});
  ExpectMentions(LoadError(catalog), {"dataflows.toml", "benefits", "'build_spels'", "unknown"});
  fs::remove_all(catalog.parent_path());
}

TEST(DataflowStepsTest, ADependencyCycleIsACatalogueError) {
  const auto catalog = EditedCatalog(
      "cycle", {{R"(outputs = ["persons", "residence"])",
                 "outputs = [\"persons\", \"residence\"]\ndepends_on = [\"benefits\"]"}});
  ExpectMentions(LoadError(catalog), {"dataflows.toml", "cycle", "persons", "benefits"});
  fs::remove_all(catalog.parent_path());
}

TEST(DataflowStepsTest, ASourceInNoDataflowIsACatalogueError) {
  const auto catalog =
      EditedCatalog("orphan", {{R"(inputs = ["payments", "employment", "education"])",
                                R"(inputs = ["payments", "employment"])"},
                               {R"(outputs = ["payments", "employment", "education"])",
                                R"(outputs = ["payments", "employment"])"}});
  ExpectMentions(LoadError(catalog), {"dataflows.toml", "'education'", "no dataflow"});
  fs::remove_all(catalog.parent_path());
}

TEST(DataflowStepsTest, StepsThatDoNotFitTheirInputsAreCatalogueErrors) {
  {  // offers and meetings have no benefit code and no from/to of benefit records
    const auto catalog = EditedCatalog(
        "spells_on_meetings", {{R"(steps = ["read_validate", "resolve_versions"]
outputs = ["offers", "meetings"])",
                                R"(steps = ["read_validate", "resolve_versions", "build_spells"]
outputs = ["offers", "meetings", "spells"])"}});
    ExpectMentions(LoadError(catalog),
                   {"dataflows.toml", "activation", "build_spells", "'offers'", "benefit_code"});
    fs::remove_all(catalog.parent_path());
  }
  {  // education's records are versioned: replaced and deleted by record_id
    const auto catalog = EditedCatalog(
        "keys_for_versions", {{R"(steps = ["read_validate", "resolve_keys", "resolve_versions"])",
                               R"(steps = ["read_validate", "resolve_keys"])"}});
    ExpectMentions(LoadError(catalog),
                   {"dataflows.toml", "money_and_work", "'education'", "resolve_versions"});
    fs::remove_all(catalog.parent_path());
  }
  {  // spells without the spells output
    const auto catalog = EditedCatalog(
        "no_spells_output", {{R"(outputs = ["benefits", "spells"])", R"(outputs = ["benefits"])"}});
    ExpectMentions(LoadError(catalog), {"dataflows.toml", "benefits", "spells", "outputs"});
    fs::remove_all(catalog.parent_path());
  }
}

// Two persons with benefit records over two months; published with `catalog`.
ingest::RunReport RunWith(const fs::path& catalog, const fs::path& folder) {
  static const ingest::DataflowCatalog shipped =
      ingest::LoadDataflowCatalog(JOBINDSIGT_TEST_CATALOG_DIR);
  const std::map<std::string, std::vector<std::string>> rows = {
      {"persons.csv", {"1;1980-01-01;M;1;3", "2;1985-06-01;K;1;3"}},
      {"residence.csv", {"1;151;2000-01-01", "2;151;2000-01-01"}},
      {"benefits.csv",
       {"101;1;ADP;151;2023-01-01;2023-01-20;1.00;;F01;A", "102;1;ADP;151;2023-03-01;;1.00;;F01;A",
        "201;2;SDP;151;2023-01-01;;1.00;;;A"}}};
  for (const auto& spec : shipped.sources) {
    std::string text = spec.ExpectedHeader() + "\n";
    if (const auto found = rows.find(spec.file); found != rows.end()) {
      for (const auto& row : found->second) text += row + "\n";
    }
    WriteFile(folder / "sources" / "2023-01" / spec.file, text);
    WriteFile(folder / "sources" / "2023-02" / spec.file, spec.ExpectedHeader() + "\n");
  }
  std::atomic<bool> stop{false};
  auto options = Options(folder / "sources", folder / "store");
  options.catalog_dir = catalog;
  return ingest::Ingest(options, stop);
}

bool HasSpellTables(const fs::path& store_folder) {
  const auto release = store::Store::Open(store_folder).OpenRelease("latest");
  for (const auto& file : release.manifest().files) {
    if (file.path.ends_with("/spells.tbl")) return true;
  }
  return false;
}

TEST(DataflowStepsTest, ARunPerformsTheDeclaredStepsOnly) {
  const fs::path shipped_run = ScratchFolder("steps_run_shipped");
  const auto with_spells = RunWith(JOBINDSIGT_TEST_CATALOG_DIR, shipped_run);
  ASSERT_EQ(with_spells.status, "published") << with_spells.stop_reason;
  // ADP: person 1 (two spells: 40 days apart), SDP person 2, and their benefit groups.
  EXPECT_GT(with_spells.record_counts.at("spells"), 2);
  EXPECT_TRUE(HasSpellTables(shipped_run / "store"));

  const auto catalog = EditedCatalog(
      "run_without_spells", {{R"(steps = ["read_validate", "resolve_versions", "build_spells"])",
                              R"(steps = ["read_validate", "resolve_versions"])"},
                             {R"(outputs = ["benefits", "spells"])", R"(outputs = ["benefits"])"}});
  const fs::path edited_run = ScratchFolder("steps_run_edited");
  const auto without_spells = RunWith(catalog, edited_run);
  ASSERT_EQ(without_spells.status, "published") << without_spells.stop_reason;
  EXPECT_EQ(without_spells.record_counts.at("spells"), 0);
  EXPECT_EQ(without_spells.record_counts.at("benefits"), 3);
  EXPECT_FALSE(HasSpellTables(edited_run / "store"));
  fs::remove_all(shipped_run);
  fs::remove_all(edited_run);
  fs::remove_all(catalog.parent_path());
}

}  // namespace
}  // namespace jobindsigt::test
