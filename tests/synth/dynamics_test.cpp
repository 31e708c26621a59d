// The synthetic Denmark behaves like the real one where analysts look: seasons, the 2008–10
// crisis, the 2020 lockdown, the benefit rule changes at their dates, municipalities that
// differ, late reports, corrections and deletions, moves, and what follows a spell.
// Generated once at `small` scale over 2008-01 … 2021-06 and read with the tests' own reader.

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <set>

#include "source_reader.h"
#include "support/generated_data.h"

namespace jobindsigt::test {
namespace {

namespace fs = std::filesystem;

struct Record {
  std::string person;
  std::string benefit;
  int municipality;
  int from;
  int to;  // the cut-off day for open records
  double degree;
};

struct Spell {
  std::string benefit;
  int start;
  int end;
  bool ended;
};

int Day(int year, int month, int day) {
  char text[32];
  std::snprintf(text, sizeof(text), "%04d-%02d-%02d", year, month, day);
  return IsoDay(text);
}

class DynamicsTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    root_ = TestFolder("dynamics");
    auto options = OptionsFor("small", 11, root_);
    options.from = MakeMonth(2008, 1);
    options.until = MakeMonth(2021, 6);
    std::atomic<bool> stop{false};
    synth::Generate(options, stop);
    cutoff_ = Day(2021, 6, 30);
    first_seen_ = new std::map<std::string, std::string>();
    for (const auto& [id, row] : LatestRecords(root_, "benefits.csv", first_seen_)) {
      records_.push_back({row[1], row[2], std::stoi(row[3]), IsoDay(row[4]),
                          row[5].empty() ? cutoff_ : IsoDay(row[5]), std::stod(row[6])});
    }
    BuildSpells();
  }

  static void TearDownTestSuite() {
    fs::remove_all(root_);
    delete first_seen_;
  }

  // The four-week rule of measures.md, per person and benefit.
  static void BuildSpells() {
    std::map<std::pair<std::string, std::string>, std::vector<const Record*>> by_person;
    for (const auto& record : records_)
      by_person[{record.person, record.benefit}].push_back(&record);
    for (auto& [key, list] : by_person) {
      std::sort(list.begin(), list.end(), [](auto* a, auto* b) { return a->from < b->from; });
      Spell current{key.second, list.front()->from, list.front()->to, false};
      for (size_t index = 1; index < list.size(); ++index) {
        if (list[index]->from - current.end - 1 >= 28) {
          current.ended = cutoff_ - current.end >= 28;
          spells_[key.first].push_back(current);
          current = {key.second, list[index]->from, list[index]->to, false};
        } else {
          current.end = std::max(current.end, list[index]->to);
        }
      }
      current.ended = cutoff_ - current.end >= 28;
      spells_[key.first].push_back(current);
    }
  }

  // Mean number of persons on `benefit` per day over [from, to] (full-time persons).
  static double FullTime(const std::string& benefit, int from, int to) {
    double days = 0;
    for (const auto& record : records_) {
      if (record.benefit != benefit) continue;
      const int overlap = std::min(to, record.to) - std::max(from, record.from) + 1;
      if (overlap > 0) days += overlap * record.degree;
    }
    return days / (to - from + 1);
  }

  static int SpellStarts(const std::string& benefit, int from, int to) {
    int count = 0;
    for (const auto& [person, list] : spells_) {
      for (const auto& spell : list)
        count += spell.benefit == benefit && spell.start >= from && spell.start <= to;
    }
    return count;
  }

  static fs::path root_;
  static int cutoff_;
  static std::vector<Record> records_;
  static std::map<std::string, std::vector<Spell>> spells_;
  static std::map<std::string, std::string>* first_seen_;
};

fs::path DynamicsTest::root_;
int DynamicsTest::cutoff_ = 0;
std::vector<Record> DynamicsTest::records_;
std::map<std::string, std::vector<Spell>> DynamicsTest::spells_;
std::map<std::string, std::string>* DynamicsTest::first_seen_ = nullptr;

TEST_F(DynamicsTest, UnemploymentRisesInTheCrisisAndTheLockdown) {
  const double before = FullTime("ADP", Day(2008, 1, 1), Day(2008, 8, 31));
  const double crisis = FullTime("ADP", Day(2010, 1, 1), Day(2010, 12, 31));
  const double calm = FullTime("ADP", Day(2018, 1, 1), Day(2018, 12, 31));
  EXPECT_GT(crisis, 1.4 * before) << "before " << before << ", crisis " << crisis;
  EXPECT_GT(crisis, 1.3 * calm) << "calm " << calm;
  const int lockdown = SpellStarts("ADP", Day(2020, 3, 1), Day(2020, 5, 31));
  const int year_before = SpellStarts("ADP", Day(2019, 3, 1), Day(2019, 5, 31));
  EXPECT_GT(lockdown, 1.5 * year_before) << lockdown << " vs " << year_before;
}

TEST_F(DynamicsTest, UnemploymentStartsFollowTheSeasons) {
  int peak = 0;
  int trough = 0;
  for (int year = 2011; year <= 2019; ++year) {
    peak += SpellStarts("ADP", Day(year, 1, 1), Day(year, 1, 31)) +
            SpellStarts("ADP", Day(year, 7, 1), Day(year, 7, 31));
    trough += SpellStarts("ADP", Day(year, 4, 1), Day(year, 4, 30)) +
              SpellStarts("ADP", Day(year, 5, 1), Day(year, 5, 31));
  }
  EXPECT_GT(peak, 1.2 * trough) << "January+July " << peak << ", April+May " << trough;
  // Sickness peaks in winter.
  EXPECT_GT(FullTime("SDP", Day(2017, 1, 1), Day(2017, 2, 28)),
            FullTime("SDP", Day(2017, 7, 1), Day(2017, 8, 31)));
}

TEST_F(DynamicsTest, BenefitsExistOnlyFromTheirRuleDates) {
  std::map<std::string, std::pair<int, int>> range;
  for (const auto& record : records_) {
    auto [entry, inserted] =
        range.emplace(record.benefit, std::make_pair(record.from, record.from));
    entry->second.first = std::min(entry->second.first, record.from);
    entry->second.second = std::max(entry->second.second, record.from);
  }
  ASSERT_TRUE(range.count("UDH") && range.count("INT") && range.count("SHO") &&
              range.count("JAF") && range.count("RES"));
  EXPECT_GE(range["UDH"].first, Day(2014, 1, 1));
  EXPECT_GE(range["INT"].first, Day(2016, 1, 1));
  EXPECT_LE(range["INT"].second, Day(2019, 6, 30));
  EXPECT_GE(range["SHO"].first, Day(2019, 7, 1));
  EXPECT_GE(range["JAF"].first, Day(2014, 7, 1));
  EXPECT_GE(range["RES"].first, Day(2013, 1, 1));
  // The young on cash benefit moved to education benefit in 2014: cash benefit falls then.
  EXPECT_GT(FullTime("KTH", Day(2013, 1, 1), Day(2013, 12, 31)),
            1.3 * FullTime("KTH", Day(2014, 3, 1), Day(2014, 12, 31)));
  // Disability pension inflow fell after the 2013 reform.
  EXPECT_GT(SpellStarts("FTP", Day(2010, 1, 1), Day(2012, 12, 31)),
            1.3 * SpellStarts("FTP", Day(2016, 1, 1), Day(2018, 12, 31)));
}

TEST_F(DynamicsTest, MunicipalitiesDifferInConditionsAndResults) {
  std::map<int, double> cash_days;
  std::map<int, double> residents;
  for (const auto& record : records_) {
    if (record.benefit == "KTH" || record.benefit == "UDH" || record.benefit == "INT" ||
        record.benefit == "SHO") {
      cash_days[record.municipality] += std::min(record.to, cutoff_) - record.from + 1;
    }
  }
  for (const auto& row : ReadCsv(root_ / "2008-01" / "residence.csv").rows)
    residents[std::stoi(row[1])] += 1;
  double lowest = 1e18;
  double highest = 0;
  for (const auto& [code, count] : residents) {
    if (code == 0) continue;
    const double rate = cash_days[code] / count;
    lowest = std::min(lowest, rate);
    highest = std::max(highest, rate);
  }
  EXPECT_GT(highest, 1.8 * lowest)
      << "cash benefit days per resident, lowest " << lowest << " highest " << highest;

  std::map<int, std::pair<int, int>> timely;  // municipality -> (held by due date, due)
  for (const auto& [id, row] : LatestRecords(root_, "meetings.csv")) {
    auto& counts = timely[std::stoi(row[2])];
    counts.second += 1;
    counts.first += !row[5].empty() && IsoDay(row[5]) <= IsoDay(row[4]);
  }
  double low_share = 1;
  double high_share = 0;
  for (const auto& [code, counts] : timely) {
    const double share = static_cast<double>(counts.first) / counts.second;
    low_share = std::min(low_share, share);
    high_share = std::max(high_share, share);
  }
  EXPECT_GT(high_share - low_share, 0.04) << "timeliness " << low_share << " … " << high_share;
}

TEST_F(DynamicsTest, DeliveriesCarryLateReportsCorrectionsAndDeletions) {
  int late = 0;
  int counted = 0;
  for (const auto& [id, row] : LatestRecords(root_, "benefits.csv")) {
    const std::string from_month = row[4].substr(0, 7);
    if (from_month < "2008-02") continue;
    ++counted;
    late += first_seen_->at(id) > from_month;
  }
  const double late_share = static_cast<double>(late) / counted;
  EXPECT_GT(late_share, 0.05);
  EXPECT_LT(late_share, 0.30);

  std::map<std::string, int> versions;
  int deletions = 0;
  for (const auto& month : DeliveryMonths(root_)) {
    for (const auto& row : ReadCsv(root_ / month / "benefits.csv").rows) {
      versions[row[0]] += 1;
      deletions += row[9] == "D";
    }
  }
  const auto replaced =
      std::count_if(versions.begin(), versions.end(), [](auto& entry) { return entry.second > 1; });
  EXPECT_GT(replaced, static_cast<long>(versions.size() / 20))
      << "open records closed later, corrections";
  EXPECT_GT(deletions, 10);
}

TEST_F(DynamicsTest, PeopleMoveAndSpellsLeadSomewhere) {
  std::map<std::string, int> residence_rows;
  for (const auto& month : DeliveryMonths(root_)) {
    for (const auto& row : ReadCsv(root_ / month / "residence.csv").rows)
      residence_rows[row[0]] += 1;
  }
  const auto movers = std::count_if(residence_rows.begin(), residence_rows.end(),
                                    [](auto& e) { return e.second > 1; });
  EXPECT_GT(movers, static_cast<long>(residence_rows.size() / 20));

  // Work in the month after an unemployment spell ended, for spells ended 2015–2018.
  std::set<std::pair<std::string, std::string>> worked;  // (person, YYYY-MM)
  for (const auto& month : DeliveryMonths(root_)) {
    for (const auto& row : ReadCsv(root_ / month / "employment.csv").rows)
      worked.insert({row[0], row[1]});
  }
  int ended = 0;
  int to_work = 0;
  for (const auto& [person, list] : spells_) {
    for (const auto& spell : list) {
      if (spell.benefit != "ADP" || !spell.ended || spell.end < Day(2015, 1, 1) ||
          spell.end > Day(2018, 12, 31))
        continue;
      ++ended;
      to_work += worked.count({person, NextMonth(IsoMonthOfDay(spell.end))});
    }
  }
  ASSERT_GT(ended, 100);
  EXPECT_GT(static_cast<double>(to_work) / ended, 0.4) << to_work << " of " << ended;
}

TEST_F(DynamicsTest, ActivationMeetingsPaymentsAndVacanciesAreThere) {
  std::set<std::string> offer_types;
  std::set<std::string> providers;
  for (const auto& [id, row] : LatestRecords(root_, "offers.csv")) {
    offer_types.insert(row[2]);
    providers.insert(row[7] == "JC" ? "JC" : "other");
  }
  EXPECT_EQ(offer_types.size(), 6U);
  EXPECT_EQ(providers.size(), 2U);

  std::map<std::string, int> outcomes;
  for (const auto& [id, row] : LatestRecords(root_, "meetings.csv")) outcomes[row[6]] += 1;
  EXPECT_GT(outcomes["no_show"], outcomes["held"] / 50);
  EXPECT_GT(outcomes["held"], 10 * outcomes["cancelled"] / 2);

  double gross = 0;
  double refund = 0;
  for (const auto& row : ReadCsv(root_ / "2017-03" / "payments.csv").rows) {
    auto number = [](std::string text) {
      std::replace(text.begin(), text.end(), ',', '.');
      return std::stod(text);
    };
    gross += number(row[4]);
    refund += number(row[5]);
  }
  EXPECT_GT(refund, 0.15 * gross);
  EXPECT_LT(refund, 0.85 * gross);

  auto open_vacancies = [&](const std::string& month) {
    double total = 0;
    for (const auto& row : ReadCsv(root_ / month / "vacancies.csv").rows)
      total += row[1] == month ? std::stod(row[3]) : 0;
    return total;
  };
  EXPECT_GT(open_vacancies("2008-04"), 1.3 * open_vacancies("2010-04"));
}

}  // namespace
}  // namespace jobindsigt::test
