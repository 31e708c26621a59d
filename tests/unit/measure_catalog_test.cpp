#include "catalog/measure_catalog.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "common/error.h"
#include "engine/query_resolver.h"

namespace jobindsigt {
namespace {

namespace fs = std::filesystem;

const fs::path kCatalog = JOBINDSIGT_TEST_CATALOG_DIR;

// The statistics every benefit and benefit group is measured by (issue 4, "The catalogue").
const std::vector<std::string> kCore = {"persons",         "fte",          "spells_started",
                                        "persons_started", "spells_ended", "duration_ended",
                                        "survival",        "status_after", "share_of_population"};
const std::vector<std::string> kFollowUp = {
    "activated_persons", "activated_fte", "activation_rate", "meetings_due",
    "meetings_timely",   "timeliness",    "meetings_held",   "no_shows"};
// Benefits with offers and meetings (docs/synthetic-denmark.md, "Activation and follow-up") and
// those the municipality pays for (benefits.toml, paid_by_municipality).
const std::set<std::string> kWithFollowUp = {"ADP", "KTH", "UDH", "INT", "SHO", "SDP",
                                             "JAF", "RES", "FRV", "REV", "LED"};
const std::set<std::string> kUnpaid = {"EFT", "BAR"};

// Statistics of the measures whose benefits are exactly `members`, in any order.
std::set<std::string> StatisticsFor(const MeasureCatalog& catalog,
                                    std::vector<std::string> members) {
  std::sort(members.begin(), members.end());
  std::set<std::string> statistics;
  for (const auto& measure : catalog.measures) {
    auto codes = measure.benefit_codes;
    std::sort(codes.begin(), codes.end());
    if (codes == members) statistics.insert(measure.statistic_id);
  }
  return statistics;
}

TEST(MeasureCatalogTest, RealCatalogueLoads) {
  const CodeLists codes = LoadCodeLists(kCatalog);
  const MeasureCatalog catalog = LoadMeasureCatalog(kCatalog, codes);
  EXPECT_GT(catalog.measures.size(), 300U);
  EXPECT_EQ(catalog.subjects.size(), 9U);
  const MeasureDefinition* sdp = catalog.Find("sdp_persons");
  ASSERT_NE(sdp, nullptr);
  EXPECT_EQ(sdp->statistic, engine::Statistic::kPersons);
  EXPECT_EQ(sdp->benefit_codes, std::vector<std::string>{"SDP"});
  EXPECT_EQ(sdp->duration_bands, "duration_sickness");
  EXPECT_EQ(sdp->age_bands, "age_standard");
  EXPECT_EQ(catalog.Find("no_such_measure"), nullptr);
  const MeasureDefinition* cash = catalog.Find("cash_area_fte");
  ASSERT_NE(cash, nullptr);
  EXPECT_EQ(cash->benefit_codes, (std::vector<std::string>{"KTH", "UDH", "INT", "SHO"}));
  EXPECT_EQ(cash->default_breakdowns,
            std::vector<engine::BreakdownKind>{engine::BreakdownKind::kBenefit});
  const MeasureDefinition* status = catalog.Find("sdp_status_after_6m");
  ASSERT_NE(status, nullptr);
  EXPECT_EQ(status->status_after_months.value_or(0), 6);
  for (const auto& measure : catalog.measures) {
    SCOPED_TRACE(measure.id);
    EXPECT_NE(catalog.FindGroup(measure.group), nullptr);
    for (const auto kind : measure.allowed_breakdowns) {
      EXPECT_TRUE(engine::BreakdownApplies(kind, measure.statistic));
    }
  }
}

TEST(MeasureCatalogTest, EveryBenefitAndGroupHasTheRequiredMeasures) {
  const CodeLists codes = LoadCodeLists(kCatalog);
  const MeasureCatalog catalog = LoadMeasureCatalog(kCatalog, codes);
  const CodeList* benefits = codes.Find("benefit");
  ASSERT_NE(benefits, nullptr);
  ASSERT_EQ(benefits->codes.size(), 15U);
  for (const auto& benefit : benefits->codes) {
    SCOPED_TRACE(benefit.code);
    const auto statistics = StatisticsFor(catalog, {benefit.code});
    for (const auto& statistic : kCore) EXPECT_TRUE(statistics.contains(statistic)) << statistic;
    const bool follow_up = kWithFollowUp.contains(benefit.code);
    for (const auto& statistic : kFollowUp) {
      EXPECT_EQ(statistics.contains(statistic), follow_up) << statistic;
    }
    const bool paid = !kUnpaid.contains(benefit.code);
    EXPECT_EQ(statistics.contains("expenditure_gross"), paid);
    EXPECT_EQ(statistics.contains("expenditure_net"), paid);
  }
  for (const auto& group : codes.benefit_groups) {
    SCOPED_TRACE(group.id);
    const auto statistics = StatisticsFor(catalog, group.members);
    for (const auto& statistic : {"persons", "fte", "share_of_population"}) {
      EXPECT_TRUE(statistics.contains(statistic)) << statistic;
    }
  }
  for (const auto& group : {"cash_area", "sickness", "rehabilitation"}) {
    const auto statistics =
        StatisticsFor(catalog, catalog.Find(std::string(group) + "_persons")->benefit_codes);
    EXPECT_TRUE(statistics.contains("activation_rate")) << group;
    EXPECT_TRUE(statistics.contains("timeliness")) << group;
  }
  ASSERT_NE(catalog.Find("population"), nullptr);
}

// A private copy of the catalogue per test, changed one text edit at a time.
class MeasureCatalogErrorTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           FolderName(::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    for (const auto* part : {"codes", "dataflows", "measures"}) {
      fs::copy(kCatalog / part, dir_ / part, fs::copy_options::recursive);
    }
  }
  void TearDown() override { fs::remove_all(dir_); }

  // Back to the real measure files.
  void Reset() const {
    fs::remove_all(dir_ / "measures");
    fs::copy(kCatalog / "measures", dir_ / "measures", fs::copy_options::recursive);
  }

  static std::string FolderName(const std::string& test) {
    return "jobindsigt_measure_catalog_" + test + "_" + std::to_string(getpid());
  }

  std::string Read(const std::string& file) const {
    std::ifstream in(dir_ / "measures" / file);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
  }

  // Replaces the first `from` in catalog/measures/<file> with `to`.
  void Edit(const std::string& file, const std::string& from, const std::string& to) const {
    std::string text = Read(file);
    const size_t at = text.find(from);
    ASSERT_NE(at, std::string::npos) << from << " not in " << file;
    text.replace(at, from.size(), to);
    std::ofstream(dir_ / "measures" / file) << text;
  }

  // Removes the first `key = value` (single-line or """multi-line""") from the file.
  void EraseField(const std::string& file, const std::string& key) const {
    std::string text = Read(file);
    const size_t at = text.find("\n" + key + " = ");
    ASSERT_NE(at, std::string::npos);
    const size_t value = at + key.size() + 4;
    const size_t end = text.compare(value, 3, "\"\"\"") == 0 ? text.find("\"\"\"", value + 3) + 3
                                                             : text.find('\n', value);
    text.erase(at, end - at);
    std::ofstream(dir_ / "measures" / file) << text;
  }

  // The message of the error the copy gives; checks it is a catalogue error.
  std::string LoadError() const {
    const CodeLists codes = LoadCodeLists(dir_);
    try {
      LoadMeasureCatalog(dir_, codes);
    } catch (const UserError& error) {
      EXPECT_EQ(error.code(), ErrorCode::kBadCatalog);
      return error.what();
    }
    ADD_FAILURE() << "the catalogue loaded";
    return {};
  }

  void ExpectError(const std::vector<std::string>& fragments) const {
    const std::string message = LoadError();
    for (const auto& fragment : fragments) {
      EXPECT_NE(message.find(fragment), std::string::npos)
          << "'" << fragment << "' not in: " << message;
    }
  }

  fs::path dir_;
};

TEST_F(MeasureCatalogErrorTest, CopyLoads) {
  const CodeLists codes = LoadCodeLists(dir_);
  EXPECT_NO_THROW(LoadMeasureCatalog(dir_, codes));
}

TEST_F(MeasureCatalogErrorTest, UnknownStatistic) {
  Edit("sickness.toml", "statistic = \"persons\"", "statistic = \"persns\"");
  ExpectError({"sickness.toml", "measure 'sdp_persons'", "field 'statistic'", "'persns'",
               "allowed: persons, fte"});
}

TEST_F(MeasureCatalogErrorTest, UnknownBenefitCodeOrGroup) {
  Edit("sickness.toml", "benefits = [\"SDP\"]", "benefits = [\"SDX\"]");
  ExpectError({"measure 'sdp_persons'", "field 'benefits'", "'SDX'", "ADP, KTH"});
  Edit("sickness.toml", "benefits = [\"SDX\"]", "benefits = [\"SDP\"]");
  Edit("sickness.toml", "benefits = \"sickness\"", "benefits = \"sicknes\"");
  ExpectError({"measure 'sickness_persons'", "field 'benefits'", "'sicknes'", "cash_area"});
}

TEST_F(MeasureCatalogErrorTest, BenefitOutsideTheGroupsSubject) {
  Edit("sickness.toml", "benefits = [\"SDP\"]", "benefits = [\"SDP\", \"FTP\"]");
  ExpectError({"measure 'sdp_persons'", "field 'benefits'", "FTP", "subject 'sickness'"});
}

TEST_F(MeasureCatalogErrorTest, UnknownBreakdown) {
  Edit("sickness.toml", "\"education\", \"duration\"]", "\"education\", \"duraton\"]");
  ExpectError(
      {"measure 'sdp_persons'", "field 'allowed_breakdowns'", "'duraton'", "allowed: age, sex"});
}

TEST_F(MeasureCatalogErrorTest, DefaultBreakdownNotAllowed) {
  Edit("sickness.toml", "default_breakdowns = []", "default_breakdowns = [\"sex\", \"benefit\"]");
  ExpectError({"measure 'sdp_persons'", "field 'default_breakdowns'", "'benefit'",
               "not in allowed_breakdowns"});
}

TEST_F(MeasureCatalogErrorTest, AllowedBreakdownThatDoesNotApply) {
  Edit("sickness.toml", "\"education\", \"duration\"]", "\"education\", \"offer_type\"]");
  ExpectError({"measure 'sdp_persons'", "field 'allowed_breakdowns'", "'offer_type'",
               "does not apply to statistic 'persons'", "those that apply: age"});
}

TEST_F(MeasureCatalogErrorTest, SurvivalAndStatusAfterNeedTheirBreakdown) {
  Edit("sickness.toml", "default_breakdowns = [\"survival_week\"]", "default_breakdowns = []");
  Edit("sickness.toml", ", \"survival_week\"]", "]");
  ExpectError(
      {"measure 'sdp_survival'", "field 'allowed_breakdowns'", "'survival_week'", "needs it"});
  Reset();
  // Allowed but not a default: the preset would ask for a survival curve without weeks.
  Edit("sickness.toml", "default_breakdowns = [\"survival_week\"]", "default_breakdowns = []");
  ExpectError({"measure 'sdp_survival'", "field 'default_breakdowns'", "'survival_week'"});
  Reset();
  Edit("sickness.toml", "default_breakdowns = [\"status_after\"]", "default_breakdowns = []");
  Edit("sickness.toml", ", \"status_after\"]", "]");
  ExpectError({"measure 'sdp_status_after_6m'", "field 'allowed_breakdowns'", "'status_after'"});
}

TEST_F(MeasureCatalogErrorTest, StatusAfterMonths) {
  Edit("sickness.toml", "status_after_months = 6", "status_after_months = 0");
  ExpectError({"measure 'sdp_status_after_6m'", "field 'status_after_months'", "1 to 36"});
  Edit("sickness.toml", "status_after_months = 0", "status_after_months = 6");
  Edit("sickness.toml", "decimals = 0", "decimals = 0\nstatus_after_months = 6");
  ExpectError({"measure 'sdp_persons'", "field 'status_after_months'", "only for"});
}

TEST_F(MeasureCatalogErrorTest, DuplicateMeasureIdInAFileAndAcrossFiles) {
  Edit("sickness.toml", "id = \"sdp_fte\"", "id = \"sdp_persons\"");
  ExpectError({"sickness.toml", "measure 'sdp_persons'", "field 'id'", "(in sickness.toml)"});
  Edit("sickness.toml", "id = \"sdp_persons\"\nname_da = \"Sygedagpenge: fuldtidspersoner\"",
       "id = \"sdp_fte\"\nname_da = \"Sygedagpenge: fuldtidspersoner\"");
  Edit("insured.toml", "id = \"adp_persons\"", "id = \"sdp_persons\"");
  ExpectError({"sickness.toml", "measure 'sdp_persons'", "field 'id'", "(in insured.toml)"});
}

TEST_F(MeasureCatalogErrorTest, UnknownMeasureGroup) {
  Edit("sickness.toml", "group = \"sickness_recipients\"", "group = \"sickness_recipient\"");
  ExpectError({"measure 'sdp_persons'", "field 'group'", "'sickness_recipient'", "groups.toml"});
}

TEST_F(MeasureCatalogErrorTest, MissingDocumentation) {
  for (const auto* field : {"doc_da", "doc_en", "technical_da", "technical_en"}) {
    SCOPED_TRACE(field);
    Reset();
    EraseField("sickness.toml", field);
    ExpectError({"measure 'sdp_persons'", std::string("field '") + field + "' is missing"});
  }
  Reset();
  Edit("sickness.toml", "name_en = \"Sickness benefit: persons\"", "name_en = \"\"");
  ExpectError({"measure 'sdp_persons'", "field 'name_en' is empty"});
}

TEST_F(MeasureCatalogErrorTest, BadUnit) {
  Edit("sickness.toml", "unit = \"persons\"", "unit = \"people\"");
  ExpectError({"measure 'sdp_persons'", "field 'unit'", "'people'", "allowed: persons, fte"});
  Edit("sickness.toml", "unit = \"people\"", "unit = \"fte\"");
  ExpectError({"measure 'sdp_persons'", "field 'unit'", "counts in 'persons'"});
}

TEST_F(MeasureCatalogErrorTest, DecimalsOutOfRange) {
  Edit("sickness.toml", "decimals = 0", "decimals = 5");
  ExpectError({"measure 'sdp_persons'", "field 'decimals'", "0 to 4"});
  Edit("sickness.toml", "decimals = 5", "decimals = -1");
  ExpectError({"measure 'sdp_persons'", "field 'decimals'", "0 to 4"});
  Edit("sickness.toml", "decimals = -1", "decimals = \"0\"");
  ExpectError({"measure 'sdp_persons'", "field 'decimals'", "whole number"});
}

TEST_F(MeasureCatalogErrorTest, UnknownKeysAreErrors) {
  Edit("sickness.toml", "decimals = 0", "decimal = 0");
  ExpectError({"measure 'sdp_persons'", "field 'decimal' is not a known field", "decimals"});
  Edit("sickness.toml", "decimal = 0", "decimals = 0");
  Edit("groups.toml", "topic = \"recipients\"", "topic = \"recipients\"\ncolour = \"red\"");
  ExpectError({"groups.toml", "group 'insured_recipients'", "field 'colour'"});
}

TEST_F(MeasureCatalogErrorTest, FrequencySourcesAndBands) {
  Edit("sickness.toml", "frequency = \"monthly\"", "frequency = \"daily\"");
  ExpectError({"measure 'sdp_persons'", "field 'frequency'", "allowed: weekly, monthly"});
  Edit("sickness.toml", "frequency = \"daily\"", "frequency = \"monthly\"");
  Edit("sickness.toml", "sources = [\"benefits\", \"persons\"]", "sources = [\"benefits\"]");
  ExpectError({"measure 'sdp_persons'", "field 'sources'", "must list 'persons'"});
  Edit("sickness.toml", "sources = [\"benefits\"]", "sources = [\"benefits\", \"people\"]");
  ExpectError({"measure 'sdp_persons'", "field 'sources'", "'people'", "payments"});
  Edit("sickness.toml", "sources = [\"benefits\", \"people\"]",
       "sources = [\"benefits\", \"persons\"]");
  Edit("sickness.toml", "duration_bands = \"duration_sickness\"",
       "duration_bands = \"duration_sick\"");
  ExpectError({"measure 'sdp_persons'", "field 'duration_bands'", "duration_standard"});
}

TEST_F(MeasureCatalogErrorTest, GroupsAndBandsFiles) {
  Edit("groups.toml", "subject = \"insured\"", "subject = \"insure\"");
  ExpectError({"groups.toml", "group 'insured_recipients'", "field 'subject'", "'insure'"});
  Edit("groups.toml", "subject = \"insure\"", "subject = \"insured\"");
  Edit("bands.toml", "\"25-29\", \"30-39\"", "\"25-30\", \"30-39\"");
  ExpectError({"bands.toml", "band_set 'age_standard'", "field 'bands'", "'30-39' overlaps"});
  Edit("bands.toml", "\"25-30\", \"30-39\"", "\"25-29\", \"30-39\"");
  Edit("bands.toml", "default = false", "default = true");
  ExpectError({"bands.toml", "2 band sets of 'age' have default = true"});
}

TEST_F(MeasureCatalogErrorTest, ParseErrorNamesTheLine) {
  Edit("sickness.toml", "decimals = 0", "decimals = = 0");
  ExpectError({"sickness.toml", "line "});
}

}  // namespace
}  // namespace jobindsigt
