// The ingest as a whole on generated data: every row accounted for, bad rows quarantined
// with their reason, rejected files and too much quarantine stop the publish, deliveries in
// order, interrupted runs, and incremental ingest equal to a full rebuild.

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <stdexcept>
#include <thread>

#include "common/error.h"
#include "ingest_fixture.h"

namespace jobindsigt::test {
namespace {

std::string Slurp(const fs::path& path) {
  std::ifstream input(path, std::ios::binary);
  std::ostringstream text;
  text << input.rdbuf();
  return text.str();
}

fs::path CopyOfTiny(const std::string& name) {
  const fs::path folder = ScratchFolder(name);
  fs::copy(TinySources(), folder / "sources", fs::copy_options::recursive);
  return folder;
}

int64_t Lines(const fs::path& file) {
  const std::string text = Slurp(file);
  return std::count(text.begin(), text.end(), '\n');
}

const ingest::FileReport& FileOf(const ingest::RunReport& report, const std::string& name) {
  for (const auto& file : report.files) {
    if (file.file == name) return file;
  }
  throw std::runtime_error("no file " + name + " in the run report");
}

std::string FirstPerson(const fs::path& sources) {
  std::ifstream input(sources / "2024-11" / "persons.csv");
  std::string line;
  std::getline(input, line);
  std::getline(input, line);
  return line.substr(0, line.find(';'));
}

TEST(IngestTest, TinyIsPublishedAndEveryRowAccountedFor) {
  const fs::path folder = ScratchFolder("tiny");
  std::atomic<bool> stop{false};
  const auto report = ingest::Ingest(Options(TinySources(), folder / "store"), stop);
  ASSERT_EQ(report.status, "published") << report.stop_reason;
  EXPECT_EQ(report.files.size(), 24U * 10U);
  for (const auto& file : report.files) {
    EXPECT_EQ(file.rows_read, file.rows_loaded + file.rows_quarantined) << file.file;
    EXPECT_EQ(file.rows_quarantined, 0) << file.file;
  }
  EXPECT_GT(report.record_counts.at("benefits"), 1000);
  EXPECT_GT(report.record_counts.at("spells"), 500);
  const auto store = store::Store::Open(folder / "store");
  EXPECT_EQ(store.CurrentId(), report.release_id);
  EXPECT_TRUE(store.VerifyRelease("latest").ok());
  EXPECT_TRUE(fs::exists(fs::path(report.run_folder) / "report.json"));
  fs::remove_all(folder);
}

TEST(IngestTest, BadRowsAreQuarantinedWithFileLineFieldAndReason) {
  const fs::path folder = CopyOfTiny("bad_rows");
  const fs::path benefits = folder / "sources" / "2024-11" / "benefits.csv";
  const std::string person = FirstPerson(folder / "sources");
  const std::vector<std::pair<std::string, std::string>> bad = {
      {"1;2;3", "wrong_field_count"},
      {"9000000001;" + person + ";KTH;151;2024-13-01;;1.00;AP;;A", "not_a_date"},
      {"9000000002;" + person + ";XXX;151;2024-11-01;;1.00;;;A", "unknown_code"},
      {"9000000003;" + person + ";KTH;151;2024-11-20;2024-11-10;1.00;AP;;A", "date_order"},
      {"9000000004;" + person + ";KTH;151;2024-11-01;;1.50;AP;;A", "out_of_range"},
      {"9000000005;999999999999;KTH;151;2024-11-01;;1.00;AP;;A", "unknown_person"},
      {"9000000006;" + person + ";KTH;151;2024-11-01;;abc;AP;;A", "not_a_number"},
      {"9000000007;" + person + ";UDH;151;2012-01-01;2012-02-01;1.00;UP;;A", "code_not_valid"},
      {"9000000008;" + person + ";KTH;151;1901-01-01;1901-02-01;1.00;AP;;A", "before_birth"},
      {"9000000009;" + person + ";KTH;151;2024-11-01;;1.00;AP;;D", "deletes_unknown_record"},
      {"9000000010;" + person + ";KTH;151;2024-11-01;;1.00;AP;;A", "duplicate_key"},
      {"9000000010;" + person + ";KTH;151;2024-11-02;;1.00;AP;;A", "duplicate_key"},
  };
  for (const auto& [line, reason] : bad) AppendLine(benefits, line);
  std::atomic<bool> stop{false};
  const auto report = ingest::Ingest(Options(folder / "sources", folder / "store"), stop);
  ASSERT_EQ(report.status, "published") << report.stop_reason;
  const auto& file = report.files[2];  // persons, residence, then benefits
  ASSERT_EQ(file.file, "2024-11/benefits.csv");
  EXPECT_EQ(file.rows_quarantined, static_cast<int64_t>(bad.size()));
  EXPECT_EQ(file.rows_read, file.rows_loaded + file.rows_quarantined);
  const std::string quarantine = Slurp(fs::path(report.run_folder) / "quarantine.csv");
  for (const auto& [line, reason] : bad) {
    EXPECT_NE(quarantine.find(";" + reason + ";"), std::string::npos) << reason;
    EXPECT_GE(file.reasons.count(reason), 1U) << reason;
  }
  EXPECT_NE(quarantine.find("2024-11/benefits.csv;"), std::string::npos);
  EXPECT_NE(quarantine.find(";degree;abc;not_a_number;"), std::string::npos);
  fs::remove_all(folder);
}

// A meeting due the day before the person's birth is quarantined (before_birth) and counted;
// one due on the birth day is not before it and is loaded.
TEST(IngestTest, MeetingBeforeTheBirthIsQuarantinedAndCounted) {
  const fs::path folder = CopyOfTiny("meeting_birth");
  const fs::path sources = folder / "sources";
  std::ifstream persons(sources / "2024-11" / "persons.csv");
  std::string line;
  std::getline(persons, line);
  std::getline(persons, line);
  const std::string person = line.substr(0, line.find(';'));
  const std::string birth = line.substr(line.find(';') + 1, 10);
  const std::string day_before = FormatIsoDate(*ParseIsoDate(birth) - 1);
  const fs::path meetings = sources / "2024-11" / "meetings.csv";
  AppendLine(meetings, "9300000001;" + person + ";151;JS;" + day_before + ";;no_show;CW1;JOB;A");
  AppendLine(meetings, "9300000002;" + person + ";151;JS;" + birth + ";;no_show;CW1;JOB;A");
  const int64_t lines = Lines(meetings);
  std::atomic<bool> stop{false};
  auto options = Options(sources, folder / "store");
  options.until = MakeMonth(2024, 11);
  // Published or stopped by the source's quarantine limit: the file is reported either way.
  const auto report = ingest::Ingest(options, stop);
  const auto& file = FileOf(report, "2024-11/meetings.csv");
  EXPECT_EQ(file.rows_read, lines - 1);
  EXPECT_EQ(file.rows_quarantined, 1);
  EXPECT_EQ(file.rows_loaded, lines - 2);
  EXPECT_EQ(file.reasons, (std::map<std::string, int64_t>{{"before_birth", 1}}));
  const std::string quarantine = Slurp(fs::path(report.run_folder) / "quarantine.csv");
  EXPECT_NE(quarantine.find("2024-11/meetings.csv;" + std::to_string(lines - 1) + ";due_date;" +
                            day_before + ";before_birth;"),
            std::string::npos)
      << quarantine;
  fs::remove_all(folder);
}

// Every row of a repeated key is quarantined, each group with its size, listed by key and then
// line; the rows between them and a key that only looks similar are kept.
TEST(IngestTest, EveryRowOfARepeatedKeyIsQuarantinedWithTheGroupSize) {
  const fs::path folder = CopyOfTiny("duplicates");
  const fs::path benefits = folder / "sources" / "2024-11" / "benefits.csv";
  const std::string person = FirstPerson(folder / "sources");
  const std::string rest = ";" + person + ";KTH;151;2024-11-01;;1.00;AP;;A";
  for (const char* id : {"9000000031", "9000000020", "9000000031", "9000000032", "9000000020",
                         "9000000031", "9000000033"}) {
    AppendLine(benefits, id + rest);
  }
  std::atomic<bool> stop{false};
  const auto report = ingest::Ingest(Options(folder / "sources", folder / "store"), stop);
  ASSERT_EQ(report.status, "published") << report.stop_reason;
  const auto& file = report.files[2];
  ASSERT_EQ(file.file, "2024-11/benefits.csv");
  EXPECT_EQ(file.rows_quarantined, 5);
  EXPECT_EQ(file.reasons.at("duplicate_key"), 5);
  EXPECT_EQ(file.rows_read, file.rows_loaded + file.rows_quarantined);
  const std::string quarantine = Slurp(fs::path(report.run_folder) / "quarantine.csv");
  std::vector<std::string> listed;
  std::istringstream lines(quarantine);
  for (std::string line; std::getline(lines, line);) {
    if (line.find(";duplicate_key;") == std::string::npos) continue;
    const bool three = line.find("appears 3 times") != std::string::npos;
    const bool two = line.find("appears 2 times") != std::string::npos;
    listed.push_back(line.substr(line.find(";record_id;") + 11, 10) + (three ? "x3" : "") +
                     (two ? "x2" : ""));
  }
  EXPECT_EQ(listed, (std::vector<std::string>{"9000000020x2", "9000000020x2", "9000000031x3",
                                              "9000000031x3", "9000000031x3"}));
  fs::remove_all(folder);
}

// Persons are read first (they fix the shards), but a row still only knows the persons of
// its own and earlier deliveries, with the birth day delivered by then.
TEST(IngestTest, APersonIsKnownFromTheirFirstDeliveryOn) {
  const fs::path folder = CopyOfTiny("known_from");
  const fs::path sources = folder / "sources";
  std::ifstream persons(sources / "2024-11" / "persons.csv");
  std::string line;
  std::getline(persons, line);
  std::getline(persons, line);
  const std::string newcomer = "777777777777";
  AppendLine(sources / "2024-12" / "persons.csv", newcomer + line.substr(line.find(';')));
  const std::string record = ";" + newcomer + ";KTH;151;2024-11-01;;1.00;AP;;A";
  AppendLine(sources / "2024-11" / "benefits.csv", "9100000001" + record);
  AppendLine(sources / "2024-12" / "benefits.csv", "9100000002" + record);
  std::atomic<bool> stop{false};
  const auto report = ingest::Ingest(Options(sources, folder / "store"), stop);
  ASSERT_EQ(report.status, "published") << report.stop_reason;
  std::map<std::string, int64_t> unknown;
  for (const auto& file : report.files) {
    const auto found = file.reasons.find("unknown_person");
    unknown[file.file] = found == file.reasons.end() ? 0 : found->second;
  }
  EXPECT_EQ(unknown["2024-11/benefits.csv"], 1);
  EXPECT_EQ(unknown["2024-12/benefits.csv"], 0);
  fs::remove_all(folder);
}

class RejectionTest : public ::testing::TestWithParam<std::string> {};

// Each case damages one file of the second delivery after the first was published.
TEST_P(RejectionTest, NothingIsPublishedAndThePreviousReleaseStays) {
  const std::string damage = GetParam();
  const fs::path folder = CopyOfTiny("reject_" + damage);
  std::atomic<bool> stop{false};
  auto options = Options(folder / "sources", folder / "store");
  options.until = MakeMonth(2024, 11);
  ASSERT_EQ(ingest::Ingest(options, stop).status, "published");
  const fs::path month = folder / "sources" / "2024-12";
  std::string expected_reason;
  std::string damaged = "meetings.csv";
  if (damage == "missing") {
    fs::remove(month / "offers.csv");
    expected_reason = "missing_file";
    damaged = "offers.csv";
  } else if (damage == "header") {
    WriteFile(month / "offers.csv", "record_id;person;offer\n");
    expected_reason = "wrong_header";
    damaged = "offers.csv";
  } else if (damage == "encoding") {
    // The legacy file arrives in UTF-8: a municipality name with ø shows it.
    AppendLine(month / "payments.csv", "1;12-2024;KTH;Brøndby;1,00;0,00");
    expected_reason = "wrong_encoding";
    damaged = "payments.csv";
  } else if (damage == "invalid_utf8") {
    // A UTF-8 source with bytes that are no UTF-8 (0xFF never occurs in it).
    AppendLine(month / "meetings.csv", "9400000001;1;151;JS;2024-12-01;;no_show;CW\xff\xfe;JOB;A");
    expected_reason = "wrong_encoding";
  } else if (damage == "empty") {
    WriteFile(month / "meetings.csv", "");
    expected_reason = "empty_file";
  } else if (damage == "quarantine") {
    std::ifstream input(month / "meetings.csv");
    std::string header;
    std::getline(input, header);
    WriteFile(month / "meetings.csv", header + "\n1;2;151;JS;2024-12-01;;no_show;CW1;JOB;A\n");
    expected_reason = "above the limit";
  }
  const int64_t lines = fs::exists(month / damaged) ? Lines(month / damaged) : 0;
  options.until.reset();
  const auto report = ingest::Ingest(options, stop);
  EXPECT_EQ(report.status, "stopped");
  for (const auto& file : report.files) {
    EXPECT_EQ(file.rows_read, file.rows_loaded + file.rows_quarantined) << file.file;
  }
  // A rejected file's rows (its lines less the header) are read and set aside, none loaded.
  const auto& file = FileOf(report, "2024-12/" + damaged);
  if (damage != "quarantine") {
    EXPECT_TRUE(file.rejected) << file.file;
    EXPECT_EQ(file.rejection.substr(0, file.rejection.find(':')), expected_reason);
    EXPECT_EQ(file.rows_read, std::max<int64_t>(0, lines - 1));
    EXPECT_EQ(file.rows_loaded, 0);
    EXPECT_EQ(file.rows_quarantined, file.rows_read);
    if (file.rows_read > 0) {
      EXPECT_EQ(file.reasons.at("file_rejected"), file.rows_read);
    }
  }
  EXPECT_NE(report.stop_reason.find(expected_reason), std::string::npos) << report.stop_reason;
  const auto store = store::Store::Open(folder / "store");
  EXPECT_EQ(store.CurrentId(), "r000001");
  EXPECT_EQ(store.ListReleases().size(), 1U);
  if (damage != "quarantine" && damage != "missing") {
    bool kept = false;
    for (const auto& entry :
         fs::recursive_directory_iterator(fs::path(report.run_folder) / "rejected")) {
      kept |= entry.path().filename().string().find(expected_reason) != std::string::npos;
    }
    EXPECT_TRUE(kept) << "the rejected file is kept, named with the reason";
  }
  fs::remove_all(folder);
}

INSTANTIATE_TEST_SUITE_P(Damages, RejectionTest,
                         ::testing::Values("missing", "header", "encoding", "invalid_utf8", "empty",
                                           "quarantine"));

TEST(IngestTest, AFileWithOnlyAHeaderIsFine) {
  const fs::path folder = CopyOfTiny("header_only");
  const fs::path offers = folder / "sources" / "2024-11" / "offers.csv";
  std::ifstream input(offers);
  std::string header;
  std::getline(input, header);
  input.close();
  WriteFile(offers, header + "\n");
  std::atomic<bool> stop{false};
  auto options = Options(folder / "sources", folder / "store");
  options.until = MakeMonth(2024, 11);
  const auto report = ingest::Ingest(options, stop);
  EXPECT_EQ(report.status, "published");
  const auto& file = FileOf(report, "2024-11/offers.csv");
  EXPECT_FALSE(file.rejected);
  EXPECT_EQ(file.rows_read, 0);
  EXPECT_EQ(file.rows_loaded, 0);
  EXPECT_EQ(file.rows_quarantined, 0);
  EXPECT_TRUE(file.reasons.empty());
  fs::remove_all(folder);
}

TEST(IngestTest, DeliveriesMustComeInOrderWithNoMonthMissing) {
  const fs::path folder = CopyOfTiny("order");
  std::atomic<bool> stop{false};
  const auto options = Options(folder / "sources", folder / "store");
  fs::rename(folder / "sources" / "2025-02", folder / "2025-02");
  try {
    ingest::Ingest(options, stop);
    FAIL() << "a missing month must stop the run";
  } catch (const UserError& error) {
    EXPECT_EQ(error.code(), ErrorCode::kBadInput);
    EXPECT_NE(std::string(error.what()).find("2025-02"), std::string::npos) << error.what();
  }
  EXPECT_FALSE(fs::exists(folder / "store" / "CURRENT"));
  fs::rename(folder / "2025-02", folder / "sources" / "2025-02");
  ASSERT_EQ(ingest::Ingest(options, stop).status, "published");
  fs::create_directories(folder / "sources" / "2024-10");
  try {
    ingest::Ingest(options, stop);
    FAIL() << "a delivery older than the ingested ones must stop the run";
  } catch (const UserError& error) {
    EXPECT_NE(std::string(error.what()).find("2024-10"), std::string::npos) << error.what();
  }
  fs::remove_all(folder);
}

TEST(IngestTest, InterruptedRunPublishesNothing) {
  const fs::path folder = ScratchFolder("interrupted");
  std::atomic<bool> stop{true};
  EXPECT_THROW(ingest::Ingest(Options(TinySources(), folder / "store"), stop), UserError);
  EXPECT_FALSE(fs::exists(folder / "store" / "CURRENT"));
  fs::remove_all(folder);
}

// Stopped (as by SIGINT) in the middle of a run on top of a release: the previous release stays
// current and complete, nothing is left behind, and a re-run publishes the tables of one
// undisturbed run over all months.
TEST(IngestTest, RunStoppedMidwayOnTopOfAReleaseKeepsItAndAReRunCompletes) {
  const fs::path folder = ScratchFolder("stopped_midway");
  const fs::path store_dir = folder / "store";
  auto options = Options(TinySources(), store_dir);
  options.until = MakeMonth(2024, 12);
  std::atomic<bool> stop{false};
  ASSERT_EQ(ingest::Ingest(options, stop).status, "published");
  options.until.reset();
  // The stop comes once the run has started reading: its spill folder exists.
  std::atomic<bool> finished{false};
  std::thread stopper([&] {
    while (!finished && !fs::exists(store_dir / "ingest-spill")) {
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    stop = true;
  });
  std::string outcome = "no exception";
  try {
    outcome = "status " + ingest::Ingest(options, stop).status;
  } catch (const UserError& error) {
    outcome = ErrorCodeName(error.code());
  }
  finished = true;
  stopper.join();
  EXPECT_EQ(outcome, ErrorCodeName(ErrorCode::kInterrupted));
  {
    const auto store = store::Store::Open(store_dir);
    EXPECT_EQ(store.CurrentId(), "r000001");
    EXPECT_EQ(store.ListReleases().size(), 1U);
    EXPECT_TRUE(store.VerifyRelease("latest").ok());
    EXPECT_EQ(store.OpenRelease("latest").cut_off_day(), LastDayOfMonth(MakeMonth(2024, 12)));
  }
  EXPECT_FALSE(fs::exists(store_dir / "ingest-spill"));
  for (const auto& entry : fs::directory_iterator(store_dir / "releases")) {
    EXPECT_EQ(entry.path().filename().string(), "r000001") << "left behind: " << entry.path();
  }

  stop = false;
  ASSERT_EQ(ingest::Ingest(options, stop).status, "published");
  ASSERT_EQ(ingest::Ingest(Options(TinySources(), folder / "full"), stop).status, "published");
  const fs::path left = store_dir / "releases" / "r000002";
  const fs::path right = folder / "full" / "releases" / "r000001";
  int tables = 0;
  for (const auto& entry : fs::recursive_directory_iterator(right)) {
    if (entry.path().extension() != ".tbl") continue;
    ++tables;
    const fs::path relative = fs::relative(entry.path(), right);
    EXPECT_EQ(Slurp(left / relative), Slurp(entry.path())) << relative;
  }
  EXPECT_EQ(tables, 11);
  fs::remove_all(folder);
}

TEST(IngestTest, IncrementalEqualsFullRebuildAndReingestingChangesNothing) {
  const fs::path folder = ScratchFolder("incremental");
  std::atomic<bool> stop{false};
  auto stepwise = Options(TinySources(), folder / "stepwise");
  stepwise.until = MakeMonth(2025, 6);
  ASSERT_EQ(ingest::Ingest(stepwise, stop).status, "published");
  stepwise.until.reset();
  ASSERT_EQ(ingest::Ingest(stepwise, stop).status, "published");
  EXPECT_EQ(ingest::Ingest(stepwise, stop).status, "up_to_date");
  ASSERT_EQ(ingest::Ingest(Options(TinySources(), folder / "full"), stop).status, "published");
  const fs::path left = folder / "stepwise" / "releases" / "r000002";
  const fs::path right = folder / "full" / "releases" / "r000001";
  int tables = 0;
  for (const auto& entry : fs::recursive_directory_iterator(left)) {
    if (entry.path().extension() != ".tbl") continue;
    ++tables;
    const fs::path relative = fs::relative(entry.path(), left);
    EXPECT_EQ(Slurp(entry.path()), Slurp(right / relative)) << relative;
  }
  EXPECT_EQ(tables, 11);
  fs::remove_all(folder);
}

// Months one run at a time while the number of shards grows with the persons: the previous
// release's rows are set aside per new shard, and the tables equal those of one full run.
TEST(IngestTest, IncrementalAcrossAChangeOfShardCountEqualsFullRebuild) {
  const fs::path folder = ScratchFolder("reshard");
  std::atomic<bool> stop{false};
  auto stepwise = Options(TinySources(), folder / "stepwise");
  stepwise.persons_per_shard = 40;
  stepwise.until = MakeMonth(2025, 1);
  ASSERT_EQ(ingest::Ingest(stepwise, stop).status, "published");
  stepwise.until.reset();
  ASSERT_EQ(ingest::Ingest(stepwise, stop).status, "published");
  auto full = Options(TinySources(), folder / "full");
  full.persons_per_shard = 40;
  ASSERT_EQ(ingest::Ingest(full, stop).status, "published");
  const fs::path left = folder / "stepwise" / "releases" / "r000002";
  const fs::path right = folder / "full" / "releases" / "r000001";
  std::set<fs::path> left_tables, right_tables;
  for (const auto& entry : fs::recursive_directory_iterator(left)) {
    if (entry.path().extension() == ".tbl") left_tables.insert(fs::relative(entry.path(), left));
  }
  for (const auto& entry : fs::recursive_directory_iterator(right)) {
    if (entry.path().extension() == ".tbl") right_tables.insert(fs::relative(entry.path(), right));
  }
  EXPECT_EQ(left_tables, right_tables);
  int first_run_shards = 0;
  for (const auto& entry : fs::directory_iterator(folder / "stepwise" / "releases" / "r000001")) {
    first_run_shards += entry.path().filename().string().starts_with("shard-") ? 1 : 0;
  }
  int shards = 0;
  for (const auto& relative : left_tables) {
    shards += relative.filename() == "spells.tbl" ? 1 : 0;
    EXPECT_EQ(Slurp(left / relative), Slurp(right / relative)) << relative;
  }
  EXPECT_GT(shards, first_run_shards) << "the shard count should change between the runs";
  fs::remove_all(folder);
}

}  // namespace
}  // namespace jobindsigt::test
