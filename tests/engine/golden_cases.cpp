#include "golden_cases.h"

#include <algorithm>
#include <fstream>
#include <map>

#include "reference_layout.h"

namespace jobindsigt::test {
namespace {

namespace fs = std::filesystem;
using engine::AreaLevel;
using engine::BreakdownKind;
using engine::BreakdownRequest;
using engine::CellStatus;
using engine::Query;
using engine::Statistic;

// The data contract's headers, written out here: the golden data do not depend on the
// ingest's reading of the dataflow declarations.
const std::map<std::string, std::string>& Headers() {
  static const std::map<std::string, std::string> headers = {
      {"persons.csv", "person_id;birth_date;sex;origin;education"},
      {"residence.csv", "person_id;municipality_code;from_date"},
      {"benefits.csv",
       "record_id;person_id;benefit_code;municipality_code;from_date;to_date;degree;visitation;"
       "unemployment_fund;status"},
      {"offers.csv",
       "record_id;person_id;offer_type;municipality_code;from_date;to_date;hours_per_week;"
       "provider;price_dkk;status"},
      {"meetings.csv",
       "record_id;person_id;municipality_code;meeting_type;due_date;held_date;outcome;"
       "caseworker_id;department_code;status"},
      {"payments.csv", "person_id;month;benefit_code;municipality_code;gross_dkk;refund_dkk"},
      {"employment.csv", "person_id;month;paid_hours;industry"},
      {"education.csv", "record_id;person_id;from_date;to_date;level;status"},
      {"vacancies.csv", "municipality_code;month;industry;open_vacancies;new_postings"},
      {"caseworkers.csv", "municipality_code;department_code;month;caseworker_fte"},
  };
  return headers;
}

using Rows = std::map<std::string, std::vector<std::string>>;

void WriteDelivery(const fs::path& sources, const std::string& month, const Rows& rows) {
  fs::create_directories(sources / month);
  for (const auto& [file, header] : Headers()) {
    std::ofstream out(sources / month / file, std::ios::binary);
    out << header << "\n";
    const auto found = rows.find(file);
    if (found == rows.end()) continue;
    for (const auto& row : found->second) out << row << "\n";
  }
}

BreakdownRequest Bands(BreakdownKind kind, const std::vector<std::string>& texts, bool total) {
  BreakdownRequest request;
  request.by = kind;
  for (const auto& text : texts) {
    const auto [low, high] = RefParseBand(text);
    request.bands.push_back({text, low, high == INT_MAX ? std::nullopt : std::optional<int>(high)});
  }
  request.total = total;
  return request;
}

BreakdownRequest Codes(BreakdownKind kind, const std::vector<std::string>& values, bool total) {
  BreakdownRequest request;
  request.by = kind;
  request.values = values;
  request.total = total;
  return request;
}

Query MakeQuery(const std::vector<Statistic>& statistics, const std::vector<std::string>& benefits,
                const std::vector<std::string>& periods) {
  Query query;
  for (const Statistic statistic : statistics) {
    engine::MeasureRequest measure;
    measure.id = RefStatisticId(statistic);
    measure.statistic = statistic;
    query.measures.push_back(measure);
  }
  query.benefits = benefits;
  query.periods = periods;
  query.areas.level = AreaLevel::kCountry;
  return query;
}

Query InMunicipalities(Query query, const std::vector<std::string>& values, bool total) {
  query.areas.level = AreaLevel::kMunicipality;
  query.areas.values = values;
  query.areas.total = total;
  return query;
}

GoldenCell Cell(std::vector<std::string> at, double value, CellStatus status = CellStatus::kOk) {
  return {std::move(at), value, status, std::nullopt};
}

GoldenCell NoValue(std::vector<std::string> at, CellStatus status) {
  return {std::move(at), std::nullopt, status, std::nullopt};
}

// Survival of `benefit`'s spells started in `period`, by the weeks `weeks`.
Query SurvivalQuery(const std::string& benefit, const std::string& period, std::vector<int> weeks) {
  Query query = MakeQuery({Statistic::kSurvival}, {benefit}, {period});
  BreakdownRequest by_week;
  by_week.by = BreakdownKind::kSurvivalWeek;
  by_week.weeks = std::move(weeks);
  query.breakdowns.push_back(by_week);
  return query;
}

}  // namespace

void WriteGoldenDeliveries(const fs::path& sources) {
  // Eight persons, all living in Ballerup (151) except: person 2 moves to Brøndby (153) on
  // 2024-02-15; person 7 has lived abroad since 2023; person 8 turns 16 on 2024-02-10.
  WriteDelivery(
      sources, "2024-01",
      {{"persons.csv",
        {"1;1980-05-05;M;1;3", "2;1985-07-01;K;4;2", "3;1970-01-01;M;1;5", "4;1975-06-15;K;2;3",
         "5;1990-03-15;M;1;4", "6;1960-12-31;K;1;1", "7;1965-01-01;M;1;9", "8;2008-02-10;K;5;1"}},
       {"residence.csv",
        {"1;151;2000-01-01", "2;151;2000-01-01", "3;151;2000-01-01", "4;151;2000-01-01",
         "5;151;2000-01-01", "6;151;2000-01-01", "7;151;2000-01-01", "7;0;2023-01-01",
         "8;151;2008-02-10"}},
       {"benefits.csv",
        {// Person 1: two sickness spells in January (1–2 and from the 31st: 28 days off).
         "101;1;SDP;151;2024-01-01;2024-01-02;1.00;;;A",
         "102;1;SDP;151;2024-01-31;2024-02-10;0.50;;;A",
         // Person 2: cash benefit in Ballerup, continued in Brøndby after the move.
         "201;2;KTH;151;2024-01-01;2024-02-14;1.00;JP;;A",
         // Persons 3 and 4: insured unemployment, back after 28 and 27 days off.
         "301;3;ADP;151;2024-01-01;2024-01-31;1.00;;F01;A",
         "401;4;ADP;151;2024-01-01;2024-01-31;1.00;;F02;A"}},
       {"payments.csv", {"2;01-2024;KTH;151;10000,50;2500,25"}}});
  WriteDelivery(
      sources, "2024-02",
      {{"residence.csv", {"2;153;2024-02-15"}},
       {"benefits.csv", {"202;2;KTH;153;2024-02-15;2024-04-30;1.00;AP;;A"}},
       {"offers.csv", {"9001;2;VIP;151;2024-02-01;2024-02-20;37;JC;1000.00;A"}},
       {"meetings.csv",
        {"8001;2;151;JS;2024-02-10;2024-02-08;held;CW1;KON;A",
         "8002;2;153;JS;2024-02-20;2024-02-25;held;CW2;KON;A"}},
       {"payments.csv", {"2;02-2024;KTH;151;5000,00;0,00", "2;02-2024;KTH;153;5000,00;1000,00"}}});
  WriteDelivery(
      sources, "2024-03",
      {{"benefits.csv",
        {"302;3;ADP;151;2024-02-29;2024-03-31;1.00;;F01;A",
         "402;4;ADP;151;2024-02-28;2024-03-31;1.00;;F02;A",
         // Person 5 turns 34 on 15 March, between two records of one spell.
         "501;5;FTP;151;2024-03-01;2024-03-10;1.00;;;A",
         "502;5;FTP;151;2024-03-20;2024-03-31;1.00;;;A",
         // Deleted again in April: never counted.
         "103;1;SDP;151;2024-03-01;2024-03-05;1.00;;;A"}},
       {"meetings.csv", {"8003;2;153;JS;2024-03-05;;no_show;CW2;KON;A"}},
       // The February payment in Brøndby is corrected: 6000 replaces 5000.
       {"payments.csv", {"2;02-2024;KTH;153;6000,00;1000,00", "2;03-2024;KTH;153;7000,00;0,00"}}});
  WriteDelivery(sources, "2024-04",
                {{"benefits.csv", {"103;1;SDP;151;2024-03-01;2024-03-05;1.00;;;D"}},
                 {"employment.csv", {"5;2024-04;100;G"}}});
  WriteDelivery(sources, "2024-05",
                {{"benefits.csv", {"601;6;SDP;151;2024-05-01;;1.00;;;A"}},
                 {"education.csv", {"7001;2;2024-05-01;;5;A"}}});
  // Person 7's spell ends 2024-06-10, 20 days before the cut-off: still ongoing. Persons 9
  // and 10 (no residence) end parental leave 28 and 27 days before the cut-off. Person 11 (no
  // residence), delivered late: one flexjob spell of two records ending the same day, the
  // later record id first by from. Person 12 (no residence): education benefit at half time
  // in March, with overlapping, nested and overrunning offers. Person 13 (no residence): a
  // resource course March–May in two records, and inside the first a short LED spell in March.
  // Person 14 (no residence): insured unemployment in April with fund F03 and, from the next
  // day, in May with F04 (one spell, two funds).
  WriteDelivery(sources, "2024-06",
                {{"persons.csv",
                  {"9;1990-01-01;K;1;4", "10;1990-01-01;K;1;4", "11;1990-01-01;K;1;4",
                   "12;1990-01-01;M;1;4", "13;1990-01-01;K;1;4", "14;1990-01-01;M;1;4"}},
                 {"benefits.csv",
                  {"701;7;SDP;151;2024-05-01;2024-06-10;1.00;;;A",
                   "1001;9;BAR;151;2024-05-01;2024-06-02;1.00;;;A",
                   "1101;10;BAR;151;2024-05-01;2024-06-03;1.00;;;A",
                   "1202;11;FLX;153;2024-04-01;2024-04-20;1.00;;;A",
                   "1201;11;FLX;151;2024-04-10;2024-04-20;1.00;;;A",
                   "1301;12;UDH;151;2024-03-01;2024-03-31;0.50;;;A",
                   "1401;13;RES;151;2024-03-01;2024-04-15;1.00;;;A",
                   "1402;13;LED;151;2024-03-10;2024-03-20;1.00;;;A",
                   "1403;13;RES;151;2024-04-16;2024-05-31;1.00;;;A",
                   "1501;14;ADP;151;2024-04-01;2024-04-30;1.00;;F03;A",
                   "1502;14;ADP;151;2024-05-01;2024-05-31;1.00;;F04;A"}},
                 {"offers.csv",
                  {"9201;12;VIP;151;2024-03-01;2024-03-10;37;JC;1000.00;A",
                   "9202;12;LTP;151;2024-03-06;2024-03-15;37;JC;1000.00;A",
                   "9203;12;ORU;151;2024-03-07;2024-03-08;37;JC;1000.00;A",
                   "9204;12;LTO;151;2024-03-20;2024-04-05;37;JC;1000.00;A"}}});
}

std::vector<GoldenCase> GoldenCases() {
  using S = Statistic;
  constexpr CellStatus kPrelim = CellStatus::kPreliminary;
  constexpr CellStatus kNoDen = CellStatus::kNoDenominator;
  constexpr CellStatus kNa = CellStatus::kNotApplicable;
  std::vector<GoldenCase> cases;

  // Person 1, SDP: spell A = 01-01…01-02 (degree 1), spell B = 01-31…02-10 (degree 0.5);
  // 31 − 2 − 1 = 28 days off, so two spells. January fte = (2 × 1 + 1 × 0.5) ÷ 31. Spell A
  // ended (cut-off − end ≥ 28) in January: 2 days = 2/7 weeks; B ends in February: 11/7.
  // February fte = 10 × 0.5 ÷ 29. Record 103 (March) was deleted.
  cases.push_back(
      {"two_spells_in_a_month",
       MakeQuery({S::kPersons, S::kFte, S::kPersonsStart, S::kPersonsEnd, S::kSpellsStarted,
                  S::kPersonsStarted, S::kSpellsEnded, S::kDurationEnded},
                 {"SDP"}, {"2024M01", "2024M02", "2024M03"}),
       {Cell({"persons", "2024M01", "DK"}, 1), Cell({"fte", "2024M01", "DK"}, 2.5 / 31),
        Cell({"persons_start", "2024M01", "DK"}, 1), Cell({"persons_end", "2024M01", "DK"}, 1),
        Cell({"spells_started", "2024M01", "DK"}, 2), Cell({"persons_started", "2024M01", "DK"}, 1),
        Cell({"spells_ended", "2024M01", "DK"}, 1),
        Cell({"duration_ended", "2024M01", "DK"}, 2.0 / 7), Cell({"persons", "2024M02", "DK"}, 1),
        Cell({"fte", "2024M02", "DK"}, 5.0 / 29), Cell({"persons_start", "2024M02", "DK"}, 1),
        Cell({"persons_end", "2024M02", "DK"}, 0), Cell({"spells_started", "2024M02", "DK"}, 0),
        Cell({"spells_ended", "2024M02", "DK"}, 1),
        Cell({"duration_ended", "2024M02", "DK"}, 11.0 / 7), Cell({"persons", "2024M03", "DK"}, 0),
        NoValue({"duration_ended", "2024M03", "DK"}, kNoDen)}});

  // Person 2, KTH: 01-01…02-14 in 151, 02-15…04-30 in 153; offer VIP 02-01…02-20.
  // February (29 days): 14 days in 151 (all activated), 15 in 153 (6 activated: 15–20).
  // Meetings: due 02-10 in 151 held 02-08 (timely), due 02-20 in 153 held 02-25 (late).
  // Population on 02-29: 151 has persons 1, 3, 4, 5, 6 and 8 (16 since 02-10); 153 has 2.
  {
    Query query =
        InMunicipalities(MakeQuery({S::kPersons, S::kFte, S::kActivatedPersons, S::kActivatedFte,
                                    S::kActivationRate, S::kMeetingsDue, S::kMeetingsTimely,
                                    S::kTimeliness, S::kMeetingsHeld, S::kNoShows, S::kPopulation},
                                   {"KTH"}, {"2024M02", "2024M03"}),
                         {"151", "153"}, true);
    cases.push_back({"move_between_municipalities",
                     query,
                     {Cell({"persons", "2024M02", "151"}, 1),
                      Cell({"persons", "2024M02", "153"}, 1),
                      Cell({"persons", "2024M02", "_T"}, 1),
                      Cell({"fte", "2024M02", "151"}, 14.0 / 29),
                      Cell({"fte", "2024M02", "153"}, 15.0 / 29),
                      Cell({"fte", "2024M02", "_T"}, 1),
                      Cell({"activated_persons", "2024M02", "153"}, 1),
                      Cell({"activated_fte", "2024M02", "151"}, 14.0 / 29),
                      Cell({"activated_fte", "2024M02", "153"}, 6.0 / 29),
                      Cell({"activation_rate", "2024M02", "151"}, 100),
                      Cell({"activation_rate", "2024M02", "153"}, 40),
                      Cell({"activation_rate", "2024M02", "_T"}, 20.0 / 29 * 100),
                      Cell({"meetings_due", "2024M02", "151"}, 1),
                      Cell({"meetings_due", "2024M02", "_T"}, 2),
                      Cell({"meetings_timely", "2024M02", "153"}, 0),
                      Cell({"timeliness", "2024M02", "151"}, 100),
                      Cell({"timeliness", "2024M02", "153"}, 0),
                      Cell({"timeliness", "2024M02", "_T"}, 50),
                      Cell({"meetings_held", "2024M02", "153"}, 1),
                      Cell({"meetings_held", "2024M02", "_T"}, 2),
                      Cell({"no_shows", "2024M03", "153"}, 1),
                      Cell({"meetings_due", "2024M03", "153"}, 1),
                      Cell({"timeliness", "2024M03", "153"}, 0),
                      NoValue({"timeliness", "2024M03", "151"}, kNoDen),
                      NoValue({"activation_rate", "2024M03", "151"}, kNoDen),
                      Cell({"activation_rate", "2024M03", "153"}, 0),
                      Cell({"population", "2024M02", "151"}, 6),
                      Cell({"population", "2024M02", "153"}, 1),
                      Cell({"population", "2024M02", "_T"}, 7)}});
  }

  // Person 3: ADP 01-01…01-31, then from 02-29 (02-29 − 01-31 − 1 = 28 days off: a new
  // spell). Person 4: 01-01…01-31, then from 02-28 (27 days off: the same spell).
  // Ended spells in Q1: 31, 32 and 91 days: mean (31 + 32 + 91) ÷ 3 ÷ 7 weeks.
  cases.push_back(
      {"gaps_of_28_and_27_days",
       MakeQuery(
           {S::kSpellsStarted, S::kPersonsStarted, S::kSpellsEnded, S::kDurationEnded, S::kPersons},
           {"ADP"}, {"2024M02", "2024Q1"}),
       {Cell({"spells_started", "2024M02", "DK"}, 1), Cell({"persons_started", "2024M02", "DK"}, 1),
        Cell({"spells_ended", "2024M02", "DK"}, 0),
        NoValue({"duration_ended", "2024M02", "DK"}, kNoDen), Cell({"persons", "2024M02", "DK"}, 2),
        Cell({"spells_started", "2024Q1", "DK"}, 3), Cell({"persons_started", "2024Q1", "DK"}, 2),
        Cell({"spells_ended", "2024Q1", "DK"}, 3),
        Cell({"duration_ended", "2024Q1", "DK"}, 154.0 / 21)}});

  // Person 5 (born 1990-03-15), FTP 03-01…03-10 and 03-20…03-31: the first record's
  // evaluation day is 03-10 (age 33), the second's 03-31 (age 34). Counted once in the total.
  {
    Query query =
        MakeQuery({S::kPersons, S::kPersonsStart, S::kPersonsEnd, S::kFte}, {"FTP"}, {"2024M03"});
    query.breakdowns.push_back(Bands(BreakdownKind::kAge, {"30-33", "34-"}, true));
    cases.push_back(
        {"birthday_inside_the_period",
         query,
         {Cell({"persons", "2024M03", "DK", "30-33"}, 1),
          Cell({"persons", "2024M03", "DK", "34-"}, 1), Cell({"persons", "2024M03", "DK", "_T"}, 1),
          Cell({"persons_start", "2024M03", "DK", "30-33"}, 1),
          Cell({"persons_start", "2024M03", "DK", "34-"}, 0),
          Cell({"persons_end", "2024M03", "DK", "30-33"}, 0),
          Cell({"persons_end", "2024M03", "DK", "34-"}, 1),
          Cell({"fte", "2024M03", "DK", "30-33"}, 10.0 / 31),
          Cell({"fte", "2024M03", "DK", "34-"}, 12.0 / 31),
          Cell({"fte", "2024M03", "DK", "_T"}, 22.0 / 31)}});
  }

  // SDP from 05-01: person 6 open (runs to the cut-off 06-30), person 7 to 06-10 (20 days
  // before the cut-off: ongoing). June and Q2 contain the cut-off: preliminary.
  cases.push_back(
      {"spells_ongoing_at_the_cut_off",
       MakeQuery({S::kPersons, S::kPersonsEnd, S::kSpellsStarted, S::kSpellsEnded}, {"SDP"},
                 {"2024M05", "2024M06", "2024Q2"}),
       {Cell({"persons", "2024M05", "DK"}, 2), Cell({"persons_end", "2024M05", "DK"}, 2),
        Cell({"spells_started", "2024M05", "DK"}, 2), Cell({"spells_ended", "2024M05", "DK"}, 0),
        Cell({"persons", "2024M06", "DK"}, 2, kPrelim),
        Cell({"persons_end", "2024M06", "DK"}, 1, kPrelim),
        Cell({"spells_ended", "2024M06", "DK"}, 0, kPrelim),
        Cell({"spells_ended", "2024Q2", "DK"}, 0, kPrelim)}});

  // Person 14, ADP: April with F03, May with F04, one spell. January–May has 152 days. In
  // the year to date the person counts under each fund and once in the total of the funds
  // asked for (persons 3 and 4, under F01 and F02, are not in it). The fund is the record's,
  // so full-time persons are 30 days under F03 and 31 under F04.
  {
    Query query = MakeQuery({S::kPersons, S::kFte}, {"ADP"}, {"2024M05YTD"});
    query.breakdowns.push_back(Codes(BreakdownKind::kUnemploymentFund, {"F03", "F04"}, true));
    cases.push_back({"fund_changes_within_a_spell",
                     query,
                     {Cell({"persons", "2024M05YTD", "DK", "F03"}, 1),
                      Cell({"persons", "2024M05YTD", "DK", "F04"}, 1),
                      Cell({"persons", "2024M05YTD", "DK", "_T"}, 1),
                      Cell({"fte", "2024M05YTD", "DK", "F03"}, 30.0 / 152),
                      Cell({"fte", "2024M05YTD", "DK", "F04"}, 31.0 / 152)}});
  }

  // BAR: person 9's spell ends 06-02, 06-30 − 06-02 = 28 days before the cut-off: ended
  // (33 days = 33/7 weeks); person 10's ends 06-03, 27 days before: still ongoing.
  cases.push_back(
      {"ended_exactly_28_days_before_the_cut_off",
       MakeQuery({S::kSpellsEnded, S::kDurationEnded, S::kPersons}, {"BAR"}, {"2024M06"}),
       {Cell({"spells_ended", "2024M06", "DK"}, 1, kPrelim),
        Cell({"duration_ended", "2024M06", "DK"}, 33.0 / 7, kPrelim),
        Cell({"persons", "2024M06", "DK"}, 2, kPrelim)}});

  // Person 11, FLX: records 1202 (Brøndby, 04-01…04-20) and 1201 (Ballerup, 04-10…04-20) are
  // one spell. It starts with 1202, so in Brøndby; both end on 04-20, and the end record is
  // the first by record id among those ending that day, 1201, so it ends in Ballerup: 20 days.
  cases.push_back(
      {"end_record_first_by_record_id",
       InMunicipalities(
           MakeQuery({S::kSpellsStarted, S::kSpellsEnded, S::kDurationEnded}, {"FLX"}, {"2024M04"}),
           {"151", "153"}, true),
       {Cell({"spells_started", "2024M04", "153"}, 1),
        Cell({"spells_started", "2024M04", "151"}, 0), Cell({"spells_ended", "2024M04", "151"}, 1),
        Cell({"spells_ended", "2024M04", "153"}, 0),
        Cell({"duration_ended", "2024M04", "151"}, 20.0 / 7),
        Cell({"spells_ended", "2024M04", "_T"}, 1)}});

  // Person 12, UDH at degree 0.5 all March (31 days), in offers 03-01…03-10, 03-06…03-15
  // (overlapping), 03-07…03-08 (inside both) and 03-20…04-05 (past the record): each day once,
  // 15 + 12 = 27 days in an offer. Activated fte 27 × 0.5 ÷ 31; the rate 27 ÷ 31 × 100.
  cases.push_back(
      {"overlapping_offers_count_each_day_once",
       InMunicipalities(
           MakeQuery({S::kActivatedPersons, S::kActivatedFte, S::kActivationRate, S::kFte}, {"UDH"},
                     {"2024M03", "2024M04"}),
           {"151"}, false),
       {Cell({"activated_persons", "2024M03", "151"}, 1),
        Cell({"activated_fte", "2024M03", "151"}, 13.5 / 31),
        Cell({"activation_rate", "2024M03", "151"}, 27.0 / 31 * 100),
        Cell({"fte", "2024M03", "151"}, 0.5), Cell({"activated_persons", "2024M04", "151"}, 0),
        NoValue({"activation_rate", "2024M04", "151"}, kNoDen)}});

  // All benefits in January: persons 1 (origin 1), 2 (origin 4), 3 (1) and 4 (2). A named
  // set of origins shows immigrants and descendants (2–5) as one category.
  {
    Query query = MakeQuery({S::kPersons}, {"all"}, {"2024M01"});
    BreakdownRequest origin = Codes(BreakdownKind::kOrigin, {"1"}, true);
    origin.groups = {{"Indvandrere og efterkommere", {"2", "3", "4", "5"}}};
    query.breakdowns.push_back(origin);
    cases.push_back({"a_named_set_of_codes",
                     query,
                     {Cell({"persons", "2024M01", "DK", "1"}, 2),
                      Cell({"persons", "2024M01", "DK", "Indvandrere og efterkommere"}, 2),
                      Cell({"persons", "2024M01", "DK", "_T"}, 4)}});
  }

  // ADP spells started in Q1: T = 4 (ended), 4 (ended), 13 (ended). r_j = 3 for j ≤ 4, 1 for
  // 5…13, 0 after. S(5) = 100 × (1 − 2/3); S(14) = S(13) × (1 − 1/1) = 0 and stays 0.
  cases.push_back(
      {"survival_with_events",
       SurvivalQuery("ADP", "2024Q1", {0, 4, 5, 13, 14, 20}),
       {Cell({"survival", "2024Q1", "DK", "0"}, 100), Cell({"survival", "2024Q1", "DK", "4"}, 100),
        Cell({"survival", "2024Q1", "DK", "5"}, 100.0 * (1 - 2.0 / 3)),
        Cell({"survival", "2024Q1", "DK", "13"}, 100.0 * (1 - 2.0 / 3)),
        Cell({"survival", "2024Q1", "DK", "14"}, 0), Cell({"survival", "2024Q1", "DK", "20"}, 0)}});
  // Person 13's RES spell started in March: records 03-01 … 04-15 and 04-16 … 05-31, 92 days,
  // T = floor(92 ÷ 7) = 13, ended (30 days before the cut-off). The LED spell between its
  // records (03-10 … 03-20) is another benefit's and ends nothing of it: S(13) = 100,
  // S(14) = 100 × (1 − 1/1) = 0.
  cases.push_back({"survival_of_a_spell_holding_another_benefits_spell",
                   SurvivalQuery("RES", "2024M03", {0, 2, 3, 13, 14}),
                   {Cell({"survival", "2024M03", "DK", "0"}, 100),
                    Cell({"survival", "2024M03", "DK", "2"}, 100),
                    Cell({"survival", "2024M03", "DK", "3"}, 100),
                    Cell({"survival", "2024M03", "DK", "13"}, 100),
                    Cell({"survival", "2024M03", "DK", "14"}, 0)}});
  // SDP spells started in May: both ongoing, censored at T = floor(61 ÷ 7) = 8. Nobody is at
  // risk in week 9, so S(10) has no value.
  cases.push_back({"survival_censored_at_the_cut_off",
                   SurvivalQuery("SDP", "2024M05", {0, 8, 9, 10}),
                   {Cell({"survival", "2024M05", "DK", "0"}, 100),
                    Cell({"survival", "2024M05", "DK", "8"}, 100),
                    Cell({"survival", "2024M05", "DK", "9"}, 100),
                    NoValue({"survival", "2024M05", "DK", "10"}, kNoDen)}});

  // Status one month after the end month: person 1's first SDP spell ends in January and
  // February has record 102 (benefit); person 5's FTP spell ends in March and April has
  // paid hours (employed); person 2's KTH spell ends in April and May has an enrolment
  // (education). Three months after April is July, after the cut-off month: left out.
  auto status_after = [&](const std::string& benefit, const std::string& period, int months) {
    Query query = MakeQuery({S::kStatusAfter}, {benefit}, {period});
    BreakdownRequest status;
    status.by = BreakdownKind::kStatusAfter;
    status.months = months;
    status.total = true;
    query.breakdowns.push_back(status);
    return query;
  };
  auto status_cell = [](const std::string& period, const std::string& status, double value,
                        int64_t left_out) {
    return GoldenCell{{"status_after", period, "DK", status}, value, CellStatus::kOk, left_out};
  };
  cases.push_back({"status_after_benefit",
                   status_after("SDP", "2024M01", 1),
                   {status_cell("2024M01", "benefit", 1, 0), status_cell("2024M01", "other", 0, 0),
                    status_cell("2024M01", "_T", 1, 0)}});
  cases.push_back(
      {"status_after_employed",
       status_after("FTP", "2024M03", 1),
       {status_cell("2024M03", "employed", 1, 0), status_cell("2024M03", "benefit", 0, 0)}});
  cases.push_back(
      {"status_after_education",
       status_after("KTH", "2024M04", 1),
       {status_cell("2024M04", "education", 1, 0), status_cell("2024M04", "_T", 1, 0)}});
  // Person 13's LED spell ends in March; April is inside the resource course that began
  // before it (an earlier record of another code still covering the month): benefit.
  cases.push_back({"status_after_benefit_begun_earlier",
                   status_after("LED", "2024M03", 1),
                   {status_cell("2024M03", "benefit", 1, 0), status_cell("2024M03", "other", 0, 0),
                    status_cell("2024M03", "_T", 1, 0)}});
  cases.push_back({"status_after_left_out",
                   status_after("KTH", "2024M04", 3),
                   {status_cell("2024M04", "other", 0, 1), status_cell("2024M04", "_T", 0, 1)}});

  // Person 2's KTH payments: January 151 10000.50 (refund 2500.25), February 151 5000.00,
  // February 153 corrected to 6000.00 (refund 1000.00), March 153 7000.00.
  cases.push_back({"expenditure_with_a_correction",
                   InMunicipalities(MakeQuery({S::kExpenditureGross, S::kExpenditureNet}, {"KTH"},
                                              {"2024Q1", "2024W05"}),
                                    {"151", "153"}, true),
                   {Cell({"expenditure_gross", "2024Q1", "151"}, 15000.50),
                    Cell({"expenditure_gross", "2024Q1", "153"}, 13000.00),
                    Cell({"expenditure_gross", "2024Q1", "_T"}, 28000.50),
                    Cell({"expenditure_net", "2024Q1", "151"}, 12500.25),
                    Cell({"expenditure_net", "2024Q1", "153"}, 12000.00),
                    Cell({"expenditure_net", "2024Q1", "_T"}, 24500.25),
                    NoValue({"expenditure_gross", "2024W05", "151"}, kNa),
                    NoValue({"expenditure_net", "2024W05", "_T"}, kNa)}});

  // All benefits, January, Ballerup: 2.5 (person 1) + 31 (2) + 31 (3) + 31 (4) benefit days;
  // residents aged 16–66 on 01-31: persons 1–6 (7 lives abroad, 8 is 15).
  cases.push_back(
      {"share_of_population",
       InMunicipalities(
           MakeQuery({S::kPopulation, S::kShareOfPopulation, S::kFte}, {"all"}, {"2024M01"}),
           {"151"}, false),
       {Cell({"population", "2024M01", "151"}, 6), Cell({"fte", "2024M01", "151"}, 95.5 / 31),
        Cell({"share_of_population", "2024M01", "151"}, 95.5 / 31 / 6 * 100)}});

  // Person 2's KTH spell on 04-30: floor((04-30 − 01-01 + 1) ÷ 7) = floor(121 ÷ 7) = 17 whole
  // weeks; in a custom group of 151 and 153. February by visitation: JP (record 201), AP (202).
  {
    Query query = MakeQuery({S::kPersons}, {"cash_area"}, {"2024M04"});
    query.areas.level = AreaLevel::kMunicipality;
    query.areas.values = {"153"};
    query.areas.groups = {{"Vest", {"151", "153"}}};
    query.breakdowns.push_back(Bands(BreakdownKind::kDuration, {"0-12", "13-25"}, true));
    cases.push_back({"duration_in_a_custom_group",
                     query,
                     {Cell({"persons", "2024M04", "Vest", "13-25"}, 1),
                      Cell({"persons", "2024M04", "Vest", "0-12"}, 0),
                      Cell({"persons", "2024M04", "153", "_T"}, 1)}});
  }
  {
    Query query = MakeQuery({S::kPersons, S::kPopulation}, {"KTH"}, {"2024M02"});
    query.breakdowns.push_back(Codes(BreakdownKind::kVisitation, {"JP", "AP"}, true));
    cases.push_back(
        {"visitation_changes_inside_a_spell",
         query,
         {Cell({"persons", "2024M02", "DK", "JP"}, 1), Cell({"persons", "2024M02", "DK", "AP"}, 1),
          Cell({"persons", "2024M02", "DK", "_T"}, 1),
          NoValue({"population", "2024M02", "DK", "JP"}, kNa),
          Cell({"population", "2024M02", "DK", "_T"}, 7)}});
  }
  return cases;
}

std::string StatusText(CellStatus status) {
  static const char* const kIds[] = {"ok", "preliminary", "suppressed", "no_denominator",
                                     "not_applicable"};
  return kIds[static_cast<int>(status)];
}

std::optional<size_t> CellAt(const std::vector<std::vector<std::string>>& categories,
                             const std::vector<std::string>& at) {
  if (at.size() != categories.size()) return std::nullopt;
  size_t index = 0;
  for (size_t d = 0; d < categories.size(); ++d) {
    const auto& ids = categories[d];
    const auto found = std::find(ids.begin(), ids.end(), at[d]);
    if (found == ids.end()) return std::nullopt;
    index = index * ids.size() + static_cast<size_t>(found - ids.begin());
  }
  return index;
}

}  // namespace jobindsigt::test
