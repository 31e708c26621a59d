#pragma once
// The reference evaluator's own view of a data set: the source files of every delivery
// (`<sources>/YYYY-MM/*.csv`) read with a small parser of its own, following the formats
// declared in catalog/dataflows/, with versions applied as the data contract says (a later
// row with the same record_id replaces, status D deletes, keyed sources keep the latest row
// per key). It shares no code with src/ingest or src/engine: when the two readings of the
// contract differ, the differential tests show it.

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "common/date.h"

namespace jobindsigt::test {

struct RefPerson {
  DayNumber birth = 0;
  std::string sex;
  std::string origin;
  std::string education;
};

// A benefit record, its interval already clamped to the cut-off day (docs/measures.md).
struct RefBenefit {
  int64_t record_id = 0;
  int64_t person = 0;
  std::string code;
  int municipality = 0;
  DayNumber from = 0;
  DayNumber to = 0;
  double degree = 0;
  std::string visitation;  // empty: none
  std::string fund;        // empty: none
};

struct RefOffer {
  int64_t person = 0;
  std::string type;
  std::string provider;
  DayNumber from = 0;
  DayNumber to = 0;  // clamped to the cut-off day
};

struct RefMeeting {
  int64_t record_id = 0;
  int64_t person = 0;
  int municipality = 0;
  DayNumber due = 0;
  std::optional<DayNumber> held;
  std::string outcome;
};

struct RefPayment {
  int64_t person = 0;
  MonthIndex month = 0;
  std::string benefit;
  int municipality = 0;
  int64_t gross_cents = 0;
  int64_t refund_cents = 0;
};

struct RefEnrolment {
  int64_t person = 0;
  DayNumber from = 0;
  DayNumber to = 0;  // clamped; an open enrolment runs to the cut-off day
};

struct SourceData {
  MonthIndex first_month = 0;  // the first delivery folder
  MonthIndex last_month = 0;   // the last delivery folder
  DayNumber cut_off = 0;       // the last day of the last delivery month
  std::map<int64_t, RefPerson> persons;
  std::vector<RefBenefit> benefits;  // live versions, records starting after the cut-off left out
  std::vector<RefOffer> offers;
  std::vector<RefMeeting> meetings;
  std::vector<RefPayment> payments;
  std::vector<RefEnrolment> enrolments;
  std::set<std::pair<int64_t, MonthIndex>> employed;  // (person, month) with paid hours ≥ 1
  // Moves per person: from_date -> municipality (0 = abroad), latest row per key.
  std::map<int64_t, std::map<DayNumber, int>> moves;
};

// Reads every delivery under `sources` with the formats of `catalog_dir`/dataflows. Throws
// std::runtime_error naming the file and line for anything it cannot read.
SourceData ReadSources(const std::filesystem::path& sources,
                       const std::filesystem::path& catalog_dir);

}  // namespace jobindsigt::test
