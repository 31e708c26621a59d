// Spells as published, from hand-made deliveries with the cases of the ingest issue: a late
// correction that bridges two spells, a deletion that splits one, a move inside a spell,
// overlaps, a gap of 27 days, an open record across the cut-off, and a benefit group.
// Expected spells are worked out by hand from shared docs/measures.md.

#include <gtest/gtest.h>

#include <map>
#include <tuple>

#include "ingest/source_spec.h"
#include "ingest_fixture.h"

namespace jobindsigt::test {
namespace {

using Rows = std::map<std::string, std::vector<std::string>>;  // file name -> rows

void WriteDelivery(const fs::path& sources, const std::string& month, const Rows& rows) {
  static const ingest::DataflowCatalog catalog =
      ingest::LoadDataflowCatalog(JOBINDSIGT_TEST_CATALOG_DIR);
  for (const auto& spec : catalog.sources) {
    std::string text = spec.ExpectedHeader() + "\n";
    const auto found = rows.find(spec.file);
    if (found != rows.end()) {
      for (const auto& row : found->second) text += row + "\n";
    }
    WriteFile(sources / month / spec.file, text);
  }
}

struct PublishedSpell {
  std::string group;
  std::string start;
  std::string end;
  int first_municipality;
  int end_municipality;
};

class SpellsGoldenTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    folder_ = ScratchFolder("golden");
    const fs::path sources = folder_ / "sources";
    const std::vector<std::string> persons = {
        "1;1980-01-01;M;1;3", "2;1980-01-01;K;1;3", "3;1980-01-01;M;1;3", "4;1970-01-01;K;1;1",
        "5;1990-01-01;M;1;2", "6;1985-01-01;K;1;3", "7;1995-05-05;M;4;1"};
    std::vector<std::string> residence;
    for (int person = 1; person <= 7; ++person)
      residence.push_back(std::to_string(person) + ";151;2000-01-01");
    residence.push_back("3;153;2023-02-15");
    WriteDelivery(
        sources, "2023-01",
        {{"persons.csv", persons},
         {"residence.csv", residence},
         {"benefits.csv",
          {"101;1;ADP;151;2023-01-01;2023-01-31;1.00;;F01;A",
           "201;2;ADP;151;2023-01-01;2023-01-31;1.00;;F01;A",
           "202;2;ADP;151;2023-02-01;;1.00;;F01;A", "301;3;SDP;151;2023-01-01;;1.00;;;A",
           "401;4;KTH;151;2022-06-01;;1.00;AP;;A", "501;5;SDP;151;2023-01-01;2023-01-10;0.50;;;A",
           "601;6;SDP;151;2023-01-01;2023-03-31;1.00;;;A",
           "701;7;KTH;151;2023-01-01;2023-01-31;1.00;AP;;A"}}});
    WriteDelivery(sources, "2023-02",
                  {{"benefits.csv",
                    {"202;2;ADP;151;2023-02-01;2023-02-28;1.00;;F01;A",
                     "502;5;SDP;151;2023-02-07;2023-02-20;1.00;;;A",
                     "702;7;UDH;151;2023-02-01;2023-04-30;1.00;UP;;A"}}});
    WriteDelivery(sources, "2023-03",
                  {{"benefits.csv",
                    {"102;1;ADP;151;2023-03-15;2023-04-30;1.00;;F01;A",
                     "203;2;ADP;151;2023-03-01;2023-03-31;1.00;;F01;A",
                     "301;3;SDP;151;2023-01-01;2023-02-14;1.00;;;A",
                     "302;3;SDP;153;2023-02-15;2023-05-31;1.00;;;A",
                     "602;6;SDP;151;2023-03-01;2023-04-15;1.00;;;A"}}});
    // Late news: person 1's first record really ran to 1 March; person 2's February record
    // was a mistake. Person 4's record is sent again unchanged (no news for KTH).
    WriteDelivery(sources, "2023-04",
                  {{"benefits.csv",
                    {"101;1;ADP;151;2023-01-01;2023-03-01;1.00;;F01;A",
                     "202;2;ADP;151;2023-02-01;2023-02-28;1.00;;F01;D",
                     "401;4;KTH;151;2022-06-01;;1.00;AP;;A"}}});
    WriteDelivery(sources, "2023-05", {});
    WriteDelivery(sources, "2023-06", {});
    std::atomic<bool> stop{false};
    auto options = Options(sources, folder_ / "store");
    options.until = MakeMonth(2023, 3);
    ASSERT_EQ(ingest::Ingest(options, stop).status, "published");
    options.until.reset();
    const auto report = ingest::Ingest(options, stop);
    ASSERT_EQ(report.status, "published") << report.stop_reason;
    for (const auto& note : report.release_notes) notes_[note.benefit] = note;
    ReadSpells();
  }

  static void TearDownTestSuite() { fs::remove_all(folder_); }

  static void ReadSpells() {
    const auto release = store::Store::Open(folder_ / "store").OpenRelease("latest");
    const auto benefits = release.OpenTable("shard-000/benefits.tbl");
    const auto spells = release.OpenTable("shard-000/spells.tbl");
    const auto municipality = benefits.Column<int16_t>("municipality_code");
    const auto groups = spells.Dictionary("group");
    const auto person = spells.Column<int64_t>("person_id");
    const auto group = spells.Column<int32_t>("group");
    const auto start = spells.Column<int32_t>("start");
    const auto end = spells.Column<int32_t>("end");
    const auto first = spells.Column<int32_t>("first_record");
    const auto last = spells.Column<int32_t>("end_record");
    for (size_t row = 0; row < spells.rows(); ++row) {
      spells_[person[row]].push_back({std::string(groups[group[row]]), FormatIsoDate(start[row]),
                                      FormatIsoDate(end[row]), municipality[first[row]],
                                      municipality[last[row]]});
    }
  }

  static std::vector<PublishedSpell> Of(int64_t person, const std::string& group) {
    std::vector<PublishedSpell> result;
    for (const auto& spell : spells_[person]) {
      if (spell.group == group) result.push_back(spell);
    }
    return result;
  }

  static fs::path folder_;
  static std::map<int64_t, std::vector<PublishedSpell>> spells_;
  static std::map<std::string, ingest::ReleaseNote> notes_;
};

fs::path SpellsGoldenTest::folder_;
std::map<int64_t, std::vector<PublishedSpell>> SpellsGoldenTest::spells_;
std::map<std::string, ingest::ReleaseNote> SpellsGoldenTest::notes_;

TEST_F(SpellsGoldenTest, ReleaseNotesSayWhatChangedAndFromWhen) {
  // The second run's deliveries (2023-04 … 06): record 101's end moved from 01-31 to 03-01
  // (numbers change from 02-01) and record 202 (from 02-01) was deleted: ADP from 2023M02.
  // KTH's only delivery in that run repeats a record as it was: not a change.
  EXPECT_TRUE(notes_.at("ADP").changed);
  EXPECT_EQ(notes_.at("ADP").first_period, "2023M02");
  EXPECT_FALSE(notes_.at("ADP").is_new);
  EXPECT_FALSE(notes_.at("SDP").changed);
  EXPECT_FALSE(notes_.at("KTH").changed);
  EXPECT_FALSE(notes_.at("BAR").changed);
}

TEST_F(SpellsGoldenTest, LateCorrectionBridgesTwoSpells) {
  // 101 now ends 03-01; 102 starts 03-15: 13 days off, one spell.
  const auto spells = Of(1, "ADP");
  ASSERT_EQ(spells.size(), 1U);
  EXPECT_EQ(spells[0].start, "2023-01-01");
  EXPECT_EQ(spells[0].end, "2023-04-30");
}

TEST_F(SpellsGoldenTest, DeletionSplitsASpell) {
  // Without 202, 201 ends 01-31 and 203 starts 03-01: 28 days off (all of February), two spells.
  const auto spells = Of(2, "ADP");
  ASSERT_EQ(spells.size(), 2U);
  EXPECT_EQ(spells[0].end, "2023-01-31");
  EXPECT_EQ(spells[1].start, "2023-03-01");
}

TEST_F(SpellsGoldenTest, MoveInsideASpellKeepsOneSpell) {
  const auto spells = Of(3, "SDP");
  ASSERT_EQ(spells.size(), 1U);
  EXPECT_EQ(spells[0].first_municipality, 151);
  EXPECT_EQ(spells[0].end_municipality, 153);
  EXPECT_EQ(spells[0].end, "2023-05-31");
}

TEST_F(SpellsGoldenTest, OpenRecordRunsToTheCutOff) {
  const auto spells = Of(4, "KTH");
  ASSERT_EQ(spells.size(), 1U);
  EXPECT_EQ(spells[0].start, "2022-06-01");
  EXPECT_EQ(spells[0].end, "2023-06-30");
}

TEST_F(SpellsGoldenTest, GapOf27DaysAndOverlapsContinue) {
  ASSERT_EQ(Of(5, "SDP").size(), 1U);
  const auto overlapping = Of(6, "SDP");
  ASSERT_EQ(overlapping.size(), 1U);
  EXPECT_EQ(overlapping[0].end, "2023-04-15");
}

TEST_F(SpellsGoldenTest, BenefitGroupJoinsAdjacentBenefits) {
  EXPECT_EQ(Of(7, "KTH").size(), 1U);
  EXPECT_EQ(Of(7, "UDH").size(), 1U);
  const auto cash = Of(7, "cash_area");
  ASSERT_EQ(cash.size(), 1U);
  EXPECT_EQ(cash[0].start, "2023-01-01");
  EXPECT_EQ(cash[0].end, "2023-04-30");
}

}  // namespace
}  // namespace jobindsigt::test
