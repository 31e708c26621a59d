#pragma once
// The source files of the data contract (shared docs/data-contract.md): names and header rows.

#include <array>
#include <cstdint>

namespace jobindsigt::synth {

enum class SourceFile : uint8_t {
  kPersons,
  kResidence,
  kBenefits,
  kOffers,
  kMeetings,
  kPayments,
  kEmployment,
  kEducation,
  kVacancies,
  kCaseworkers,
};
inline constexpr int kSourceFileCount = 10;

struct SourceFileInfo {
  const char* file_name;
  const char* header;
};

inline constexpr std::array<SourceFileInfo, kSourceFileCount> kSourceFiles = {{
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
}};

constexpr const SourceFileInfo& InfoOf(SourceFile file) {
  return kSourceFiles[static_cast<int>(file)];
}

}  // namespace jobindsigt::synth
