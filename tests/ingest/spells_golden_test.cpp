// Spells as published, from hand-made deliveries with the cases of the ingest issue: a late
// correction that bridges two spells, a deletion that splits one, a move inside a spell,
// overlaps, a gap of 27 days, an open record across the cut-off, and a benefit group; spells
// around the cut-off (ending 27 and 28 days before it, an open record carried from the
// previous release, a record running past it and one starting after it); the run report of
// the second run, with a benefit first seen in it.
// Expected spells are worked out by hand from shared docs/measures.md and docs/measures.md.

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <tuple>

#include "ingest/source_spec.h"
#include "ingest/spells.h"
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
        "1;1980-01-01;M;1;3", "2;1980-01-01;K;1;3",  "3;1980-01-01;M;1;3",  "4;1970-01-01;K;1;1",
        "5;1990-01-01;M;1;2", "6;1985-01-01;K;1;3",  "7;1995-05-05;M;4;1",  "8;1975-01-01;K;1;3",
        "9;1975-01-01;M;1;3", "10;1960-01-01;K;1;1", "11;1998-01-01;M;1;1", "12;1965-01-01;K;1;2"};
    std::vector<std::string> residence;
    for (int person = 1; person <= 12; ++person)
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
           "701;7;KTH;151;2023-01-01;2023-01-31;1.00;AP;;A",
           "801;8;SDP;151;2023-01-10;2023-02-28;1.00;;;A"}}});
    // Person 11's record has a planned end after the last cut-off (2023-06-30), and a second
    // one starting after it.
    WriteDelivery(sources, "2023-02",
                  {{"benefits.csv",
                    {"202;2;ADP;151;2023-02-01;2023-02-28;1.00;;F01;A",
                     "502;5;SDP;151;2023-02-07;2023-02-20;1.00;;;A",
                     "702;7;UDH;151;2023-02-01;2023-04-30;1.00;UP;;A",
                     "1101;11;UDH;151;2023-02-01;2023-12-31;1.00;UP;;A",
                     "1102;11;UDH;151;2023-09-01;2023-09-30;1.00;UP;;A"}}});
    WriteDelivery(sources, "2023-03",
                  {{"benefits.csv",
                    {"102;1;ADP;151;2023-03-15;2023-04-30;1.00;;F01;A",
                     "203;2;ADP;151;2023-03-01;2023-03-31;1.00;;F01;A",
                     "301;3;SDP;151;2023-01-01;2023-02-14;1.00;;;A",
                     "302;3;SDP;153;2023-02-15;2023-05-31;1.00;;;A",
                     "602;6;SDP;151;2023-03-01;2023-04-15;1.00;;;A",
                     "802;8;SDP;151;2023-03-01;2023-06-03;1.00;;;A",
                     "901;9;SDP;151;2023-03-01;2023-06-02;1.00;;;A",
                     "1001;10;KTH;151;2023-03-01;;1.00;AP;;A"}}});
    // Late news: person 1's first record really ran to 1 March; person 2's February record
    // was a mistake. Person 4's record is sent again unchanged (no news for KTH).
    WriteDelivery(sources, "2023-04",
                  {{"benefits.csv",
                    {"101;1;ADP;151;2023-01-01;2023-03-01;1.00;;F01;A",
                     "202;2;ADP;151;2023-02-01;2023-02-28;1.00;;F01;D",
                     "401;4;KTH;151;2022-06-01;;1.00;AP;;A"}}});
    // LED appears for the first time: a benefit new in the second run.
    WriteDelivery(sources, "2023-05", {{"benefits.csv", {"1201;12;LED;151;2023-05-01;;1.00;;;A"}}});
    WriteDelivery(sources, "2023-06", {});
    std::atomic<bool> stop{false};
    auto options = Options(sources, folder_ / "store");
    options.until = MakeMonth(2023, 3);
    ASSERT_EQ(ingest::Ingest(options, stop).status, "published");
    options.until.reset();
    const auto report = ingest::Ingest(options, stop);
    ASSERT_EQ(report.status, "published") << report.stop_reason;
    for (const auto& note : report.release_notes) notes_[note.benefit] = note;
    summary_ = report.Summary();
    std::ifstream json(fs::path(report.run_folder) / "report.json");
    report_ = nlohmann::json::parse(json);
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

  // Whether a published spell is ended at the release's cut-off day (2023-06-30).
  static bool Ended(const PublishedSpell& spell) {
    const ingest::Spell parsed{0, *ParseIsoDate(spell.end), 0, 0};
    return ingest::IsEnded(parsed, *ParseIsoDate("2023-06-30"));
  }

  static size_t SpellCount() {
    size_t count = 0;
    for (const auto& [person, spells] : spells_) count += spells.size();
    return count;
  }

  static fs::path folder_;
  static std::map<int64_t, std::vector<PublishedSpell>> spells_;
  static std::map<std::string, ingest::ReleaseNote> notes_;
  static std::string summary_;
  static nlohmann::json report_;
};

fs::path SpellsGoldenTest::folder_;
std::map<int64_t, std::vector<PublishedSpell>> SpellsGoldenTest::spells_;
std::map<std::string, ingest::ReleaseNote> SpellsGoldenTest::notes_;
std::string SpellsGoldenTest::summary_;
nlohmann::json SpellsGoldenTest::report_;

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
  EXPECT_FALSE(notes_.at("BAR").is_new);
  // LED has its first record ever (from 2023-05-01) in the second run.
  EXPECT_TRUE(notes_.at("LED").changed);
  EXPECT_TRUE(notes_.at("LED").is_new);
  EXPECT_EQ(notes_.at("LED").first_period, "2023M05");
}

TEST_F(SpellsGoldenTest, SpellEndingWithin28DaysOfTheCutOffIsNotEnded) {
  // 801 (01-10 … 02-28) and 802 (03-01 … 06-03) are adjacent: one spell; 2023-06-30 minus
  // 2023-06-03 is 27 days, fewer than 28: the spell may still continue.
  const auto spells = Of(8, "SDP");
  ASSERT_EQ(spells.size(), 1U);
  EXPECT_EQ(spells[0].start, "2023-01-10");
  EXPECT_EQ(spells[0].end, "2023-06-03");
  EXPECT_FALSE(Ended(spells[0]));
}

TEST_F(SpellsGoldenTest, SpellEnding28DaysBeforeTheCutOffIsEnded) {
  // cut-off - end = 2023-06-30 - 2023-06-02 = 28: ended (cut-off - end >= 28).
  const auto spells = Of(9, "SDP");
  ASSERT_EQ(spells.size(), 1U);
  EXPECT_EQ(spells[0].end, "2023-06-02");
  EXPECT_TRUE(Ended(spells[0]));
}

TEST_F(SpellsGoldenTest, OpenRecordFromThePreviousReleaseRunsToTheNewCutOff) {
  // 1001 was delivered open in 2023-03 (first release, cut-off 2023-03-31) and not again:
  // in the second release it runs to that release's cut-off, and is not ended.
  const auto spells = Of(10, "KTH");
  ASSERT_EQ(spells.size(), 1U);
  EXPECT_EQ(spells[0].start, "2023-03-01");
  EXPECT_EQ(spells[0].end, "2023-06-30");
  EXPECT_FALSE(Ended(spells[0]));
}

TEST_F(SpellsGoldenTest, RecordPastTheCutOffIsClampedAndOneAfterItIgnored) {
  // docs/measures.md: a record's interval is [from, min(to, cut-off)] and a record starting
  // after the cut-off day is ignored. 1101 (02-01 … 12-31) ends at 2023-06-30 in the spell;
  // 1102 (from 09-01) makes no spell of its own.
  const auto spells = Of(11, "UDH");
  ASSERT_EQ(spells.size(), 1U);
  EXPECT_EQ(spells[0].start, "2023-02-01");
  EXPECT_EQ(spells[0].end, "2023-06-30");
  EXPECT_FALSE(Ended(spells[0]));
}

TEST_F(SpellsGoldenTest, RunReportSaysWhatTheSecondRunDid) {
  // By hand: the second run read 2023-04 … 2023-06, 10 files each; its rows are 101, 202 (D)
  // and 401 in 2023-04 and 1201 in 2023-05. Live records: 8 + 2 + 4 (first run's new ids
  // in 2023-01 … 03) + 6 of persons 8 … 11, less 202, plus 1201 = 20 benefits; 12 persons;
  // 12 + 1 residence rows.
  const nlohmann::json& release = report_.at("release");
  EXPECT_EQ(report_.at("status"), "published");
  EXPECT_EQ(release.at("id"), "r000002");
  EXPECT_EQ(release.at("cut_off_day"), "2023-06-30");
  EXPECT_EQ(release.at("deliveries"), nlohmann::json({"2023-01", "2023-06"}));
  EXPECT_EQ(release.at("deliveries_this_run"), nlohmann::json({"2023-04", "2023-05", "2023-06"}));
  const nlohmann::json& counts = release.at("record_counts");
  EXPECT_EQ(counts.at("benefits"), 20);
  EXPECT_EQ(counts.at("persons"), 12);
  EXPECT_EQ(counts.at("residence"), 13);
  EXPECT_EQ(counts.at("meetings"), 0);
  EXPECT_EQ(counts.at("spells"), static_cast<int64_t>(SpellCount()));
  const nlohmann::json& timings = release.at("timings_seconds");
  double phases = 0;
  for (const char* phase : {"load_previous", "read_validate", "resolve_write_tables"}) {
    ASSERT_TRUE(timings.contains(phase)) << phase;
    EXPECT_GE(timings.at(phase).get<double>(), 0.0) << phase;
    phases += timings.at(phase).get<double>();
  }
  EXPECT_GE(timings.at("total").get<double>(), phases);

  ASSERT_EQ(report_.at("files").size(), 30U);
  std::map<std::string, int64_t> read;
  for (const auto& file : report_.at("files")) {
    EXPECT_EQ(file.at("rows_read"),
              file.at("rows_loaded").get<int64_t>() + file.at("rows_quarantined").get<int64_t>());
    read[file.at("file").get<std::string>()] = file.at("rows_read").get<int64_t>();
  }
  EXPECT_EQ(read.at("2023-04/benefits.csv"), 3);
  EXPECT_EQ(read.at("2023-05/benefits.csv"), 1);
  EXPECT_EQ(read.at("2023-06/benefits.csv"), 0);
  EXPECT_EQ(report_.at("files").front().at("file"), "2023-04/persons.csv");

  std::map<std::string, nlohmann::json> notes;
  for (const auto& note : report_.at("release_notes"))
    notes[note.at("benefit").get<std::string>()] = note;
  EXPECT_EQ(notes.size(), 15U);
  EXPECT_EQ(notes.at("LED"), nlohmann::json({{"benefit", "LED"},
                                             {"changed", true},
                                             {"new", true},
                                             {"first_changed_period", "2023M05"}}));
  EXPECT_EQ(notes.at("ADP"), nlohmann::json({{"benefit", "ADP"},
                                             {"changed", true},
                                             {"new", false},
                                             {"first_changed_period", "2023M02"}}));
  EXPECT_EQ(notes.at("SDP"),
            nlohmann::json({{"benefit", "SDP"}, {"changed", false}, {"new", false}}));
  EXPECT_EQ(notes.at("BAR"),
            nlohmann::json({{"benefit", "BAR"}, {"changed", false}, {"new", false}}));

  // The summary `jobindsigt ingest` prints; its count of changed measures is the report's
  // (measure_notes_test.cpp checks which measures change).
  size_t measures_changed = 0;
  for (const auto& note : report_.at("measure_notes"))
    measures_changed += note.at("changed").get<bool>() ? 1 : 0;
  ASSERT_GT(measures_changed, 0U);
  EXPECT_EQ(summary_,
            "published release r000002 with cut-off day 2023-06-30\n"
            "  deliveries 2023-04 … 2023-06 (3 months, 30 files)\n"
            "  rows read 4, loaded 4, quarantined 0; files rejected 0\n"
            "  changed: ADP from 2023M02, LED from 2023M05\n" +
                fmt::format("  measures changed: {} of {}\n", measures_changed,
                            report_.at("measure_notes").size()) +
                "  report and quarantine: " + (folder_ / "store" / "runs" / "r000002").string() +
                "\n");
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
