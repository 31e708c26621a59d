#include "synth/municipal_facts.h"

#include <cmath>

#include "common/random.h"
#include "synth/row_text.h"

namespace jobindsigt::synth {
namespace {

enum StreamPurpose : uint64_t { kVacancyStream = 0x56414341, kStaffStream = 0x53544146 };

constexpr char kIndustryLetters[] = "ABCDEFGHIJKLMNOPQRSTU";

double VacancySeason(int month_of_year) {
  static constexpr double kFactors[12] = {0.95, 1.0, 1.1,  1.15, 1.15, 1.1,
                                          0.95, 1.0, 1.05, 1.0,  0.9,  0.8};
  return kFactors[month_of_year - 1];
}

struct Vacancies {
  int64_t open;
  int64_t new_postings;
};

Vacancies DrawVacancies(const MunicipalityModel& municipality, int industry, MonthIndex month,
                        Random& random) {
  const double share = municipality.industry_cumulative[industry] -
                       (industry == 0 ? 0.0 : municipality.industry_cumulative[industry - 1]);
  const double demand = 1.0 / std::pow(World::UnemploymentCycle(month), 0.8);
  const double expected =
      municipality.person_count * share * 0.011 * demand * VacancySeason(MonthOfYear(month));
  const auto open = static_cast<int64_t>(std::llround(expected * std::exp(0.15 * random.Normal())));
  const auto postings = static_cast<int64_t>(std::llround(open * (0.35 + 0.25 * random.Uniform())));
  return {open, postings};
}

void AppendVacancyRow(std::string& row, int code, MonthIndex month, int industry,
                      Vacancies vacancies) {
  AppendInt(row, code);
  row.push_back(';');
  AppendIsoMonth(row, month);
  row.push_back(';');
  row.push_back(kIndustryLetters[industry]);
  row.push_back(';');
  AppendInt(row, vacancies.open);
  row.push_back(';');
  AppendInt(row, vacancies.new_postings);
  row.push_back('\n');
}

// Expected caseload per person in the municipality and cases per caseworker, by department.
double Caseload(const MunicipalityModel& municipality, Department department, MonthIndex month) {
  const int year = YearOfMonth(month);
  switch (department) {
    case Department::kJOB:
      return 0.016 * World::UnemploymentCycle(month) / 90.0;
    case Department::kKON:
      return 0.028 * municipality.cash_factor / 55.0;
    case Department::kINT:
      return 0.005 * municipality.nonwestern_share / 0.1 *
             (year >= 2016 && year <= 2019 ? 1.6 : 1.0) / 40.0;
    case Department::kSYG:
      return 0.018 * municipality.health_factor * World::SicknessSeason(MonthOfYear(month)) / 65.0;
    case Department::kREH:
      return 0.02 * municipality.health_factor / 45.0;
    case Department::kNone:
      return 0;
  }
  return 0;
}

}  // namespace

void WriteMunicipalFacts(const World& world, DeliveryBuffers& out) {
  const MonthIndex last = world.last_delivery();
  for (MonthIndex month = world.first_delivery(); month <= last; ++month) {
    std::string& vacancies = *out.Row(month, SourceFile::kVacancies);
    std::string& staff = *out.Row(month, SourceFile::kCaseworkers);
    for (const auto& municipality : world.municipalities()) {
      const int code = municipality.info.code;
      const uint64_t key = static_cast<uint64_t>(month) * 1000 + static_cast<uint64_t>(code);
      Random random(StreamKey(world.seed(), kVacancyStream, key));
      for (int industry = 0; industry < kIndustryCount; ++industry) {
        AppendVacancyRow(vacancies, code, month, industry,
                         DrawVacancies(municipality, industry, month, random));
      }
      // Last month's figures are revised for a few industries (same key: replaces them).
      if (month > world.first_delivery()) {
        for (int industry = 0; industry < kIndustryCount; ++industry) {
          if (random.Chance(0.05)) {
            AppendVacancyRow(vacancies, code, month - 1, industry,
                             DrawVacancies(municipality, industry, month - 1, random));
          }
        }
      }
      Random staff_random(StreamKey(world.seed(), kStaffStream, key));
      for (int department = 0; department < kDepartmentCount; ++department) {
        const auto kind = static_cast<Department>(department);
        const double fte = municipality.person_count * Caseload(municipality, kind, month) *
                           municipality.staffing * std::exp(0.03 * staff_random.Normal());
        AppendInt(staff, code);
        staff.push_back(';');
        staff.append(DepartmentCode(kind));
        staff.push_back(';');
        AppendIsoMonth(staff, month);
        staff.push_back(';');
        AppendHundredths(staff, std::llround(fte * 100), '.');
        staff.push_back('\n');
      }
    }
  }
}

}  // namespace jobindsigt::synth
