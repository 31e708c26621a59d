// Release notes per catalogue measure, from hand-made pairs of runs: the first run takes
// 2023-01 and 2023-02 (two persons, one on insured unemployment benefit ADP, one on sickness
// benefit SDP, each with a meeting and two payments), the second takes a 2023-03 delivery that
// corrects one meeting, or one payment, or repeats February's rows unchanged. Which measures
// changed, and from which month, is worked out by hand from docs/measures.md: meetings count
// for a benefit group when the person has a record in it (person 1 has only ADP), payments
// for the group of their own benefit code; the first changed period is the month of the
// corrected fact (February), not the delivery month and not the release's first month.

#include <gtest/gtest.h>

#include <map>
#include <set>

#include "catalog/measure_catalog.h"
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

const Rows kFebruary = {
    {"benefits.csv",
     {"101;1;ADP;151;2023-01-01;;1.00;;F01;A", "201;2;SDP;151;2023-01-01;;1.00;;;A"}},
    {"meetings.csv",
     {"1001;1;151;JS;2023-02-10;2023-02-10;held;CW1;JOB;A",
      "2001;2;151;JS;2023-02-12;2023-02-12;held;CW1;JOB;A"}},
    {"payments.csv",
     {"1;01-2023;ADP;151;15000,00;0,00", "2;01-2023;SDP;151;12000,00;0,00",
      "1;02-2023;ADP;151;15000,00;0,00", "2;02-2023;SDP;151;12000,00;0,00"}}};

struct Notes {
  std::map<std::string, ingest::MeasureNote> by_measure;
  std::set<std::string> changed;
  std::set<std::string> is_new;
};

// Ingests 2023-01 … 02, then `march`, and returns the second run's measure notes.
Notes NotesAfter(const std::string& name, const Rows& march) {
  const fs::path folder = ScratchFolder("measure_notes_" + name);
  const fs::path sources = folder / "sources";
  WriteDelivery(sources, "2023-01",
                {{"persons.csv", {"1;1980-01-01;M;1;3", "2;1985-06-01;K;1;3"}},
                 {"residence.csv", {"1;151;2000-01-01", "2;151;2000-01-01"}}});
  WriteDelivery(sources, "2023-02", kFebruary);
  WriteDelivery(sources, "2023-03", march);
  std::atomic<bool> stop{false};
  auto options = Options(sources, folder / "store");
  options.until = MakeMonth(2023, 2);
  const auto first = ingest::Ingest(options, stop);
  EXPECT_EQ(first.status, "published") << first.stop_reason;
  options.until.reset();
  const auto report = ingest::Ingest(options, stop);
  EXPECT_EQ(report.status, "published") << report.stop_reason;
  for (const auto& file : report.files) EXPECT_EQ(file.rows_quarantined, 0) << file.file;
  Notes notes;
  for (const auto& note : report.measure_notes) {
    notes.by_measure[note.measure] = note;
    if (note.changed) notes.changed.insert(note.measure);
    if (note.is_new) notes.is_new.insert(note.measure);
  }
  fs::remove_all(folder);
  return notes;
}

// The measures of the catalogue with one of `statistics` (empty: any) whose benefits include
// `code`.
std::set<std::string> MeasuresOf(const std::set<std::string>& statistics, const std::string& code) {
  const CodeLists codes = LoadCodeLists(JOBINDSIGT_TEST_CATALOG_DIR);
  const MeasureCatalog catalog = LoadMeasureCatalog(JOBINDSIGT_TEST_CATALOG_DIR, codes);
  std::set<std::string> ids;
  for (const auto& measure : catalog.measures) {
    if (!statistics.empty() && !statistics.contains(measure.statistic_id)) continue;
    if (std::find(measure.benefit_codes.begin(), measure.benefit_codes.end(), code) !=
        measure.benefit_codes.end())
      ids.insert(measure.id);
  }
  return ids;
}

TEST(MeasureNotesTest, AMeetingChangesOnlyTheMeetingMeasuresOfItsPersonsBenefits) {
  // Person 1's meeting of 2023-02-10 is now held on 02-14: February's meetings of ADP (and
  // of every group holding ADP) change; SDP's (person 2) and every other measure do not.
  const Notes notes = NotesAfter(
      "meeting", {{"meetings.csv", {"1001;1;151;JS;2023-02-10;2023-02-14;held;CW1;JOB;A"}}});
  const auto expected = MeasuresOf(
      {"meetings_due", "meetings_timely", "timeliness", "meetings_held", "no_shows"}, "ADP");
  ASSERT_TRUE(expected.contains("adp_meetings_due"));
  ASSERT_FALSE(expected.contains("sdp_meetings_due"));
  EXPECT_EQ(notes.changed, expected);
  for (const auto& id : expected) EXPECT_EQ(notes.by_measure.at(id).first_period, "2023M02") << id;
  EXPECT_FALSE(notes.by_measure.at("adp_persons").changed);
  EXPECT_FALSE(notes.by_measure.at("sdp_meetings_held").changed);
  EXPECT_TRUE(notes.is_new.empty());
}

TEST(MeasureNotesTest, APaymentChangesOnlyTheExpenditureOfItsBenefit) {
  // Person 2's SDP payment for 2023-02 is corrected: expenditure of every group holding SDP
  // changes from February; nothing else does (payments are read by expenditure alone).
  const Notes notes =
      NotesAfter("payment", {{"payments.csv", {"2;02-2023;SDP;151;13000,00;0,00"}}});
  const auto expected = MeasuresOf({"expenditure_gross", "expenditure_net"}, "SDP");
  ASSERT_TRUE(expected.contains("sdp_expenditure_gross"));
  ASSERT_TRUE(expected.contains("sickness_expenditure_net"));
  EXPECT_EQ(notes.changed, expected);
  for (const auto& id : expected) EXPECT_EQ(notes.by_measure.at(id).first_period, "2023M02") << id;
  EXPECT_FALSE(notes.by_measure.at("adp_expenditure_gross").changed);
  EXPECT_TRUE(notes.is_new.empty());
}

TEST(MeasureNotesTest, AnUnchangedRedeliveryChangesNothing) {
  Rows again = kFebruary;
  again["persons.csv"] = {"1;1980-01-01;M;1;3", "2;1985-06-01;K;1;3"};
  again["residence.csv"] = {"1;151;2000-01-01", "2;151;2000-01-01"};
  const Notes notes = NotesAfter("unchanged", again);
  EXPECT_FALSE(notes.by_measure.empty());
  EXPECT_TRUE(notes.changed.empty());
  EXPECT_TRUE(notes.is_new.empty());
}

TEST(MeasureNotesTest, AnEmploymentChangeReachesStatusAfterFromKMonthsBefore) {
  // Person 2 (SDP) gets an employment row for 2023-02: status_after of SDP's groups with k
  // months changes from the end month 2023-02 − k, no earlier than the release's first month
  // (2023M01); with k = 6 that is 2023M01. Nothing but status_after reads employment.
  const Notes notes = NotesAfter("employment", {{"employment.csv", {"2;2023-02;37;A"}}});
  const auto expected = MeasuresOf({"status_after"}, "SDP");
  ASSERT_TRUE(expected.contains("sdp_status_after_6m"));
  EXPECT_EQ(notes.changed, expected);
  EXPECT_EQ(notes.by_measure.at("sdp_status_after_6m").first_period, "2023M01");
}

TEST(MeasureNotesTest, AChangedPersonChangesTheirBenefitsMeasuresFromTheFirstMonth) {
  // Person 1 (ADP) is corrected from M to K: sex holds for every period, so every measure of a
  // group holding ADP changes from the release's first month, 2023M01, and so does the
  // population (every person); SDP's own measures do not.
  const Notes notes = NotesAfter("person", {{"persons.csv", {"1;1980-01-01;K;1;3"}}});
  auto expected = MeasuresOf({}, "ADP");
  expected.insert("population");
  ASSERT_TRUE(expected.contains("adp_expenditure_net"));
  EXPECT_EQ(notes.changed, expected);
  EXPECT_EQ(notes.by_measure.at("adp_fte").first_period, "2023M01");
  EXPECT_EQ(notes.by_measure.at("population").first_period, "2023M01");
  EXPECT_FALSE(notes.by_measure.at("sdp_persons").changed);
}

}  // namespace
}  // namespace jobindsigt::test
