#pragma once
// The generator's model of each benefit: who can get it, how often spells start, how long
// they last, what follows them, what it costs and how the jobcentre follows up. The figures
// are stylised; docs/synthetic-denmark.md gives the volume targets they are tuned to and
// where those come from.

#include <array>
#include <cstdint>

#include "common/date.h"

namespace jobindsigt::synth {

enum class Benefit : uint8_t {
  kADP,
  kKTH,
  kUDH,
  kINT,
  kSHO,
  kSDP,
  kJAF,
  kRES,
  kFRV,
  kREV,
  kLED,
  kFLX,
  kFTP,
  kEFT,
  kBAR
};
inline constexpr int kBenefitCount = 15;

enum class Department : uint8_t { kJOB, kKON, kINT, kSYG, kREH, kNone };
inline constexpr int kDepartmentCount = 5;

// Offer types in data-contract order.
enum class OfferType : uint8_t { kVIP, kLTP, kLTO, kVOO, kORU, kNYT };
inline constexpr int kOfferTypeCount = 6;

// What a person goes to when a spell ends.
enum class Outcome : uint8_t { kEmployment, kEducation, kOther, kBenefit };

struct Transition {
  Benefit next;
  double probability;
};

struct BenefitParams {
  const char* code;
  Department department;
  bool paid_by_municipality;
  double median_weeks;      // spell length: log-normal median …
  double sigma;             // … and log-scale spread
  double max_weeks;         // 0 = no limit (ends at pension age)
  double record_days_mean;  // mean length of one benefit record (payment period)
  double daily_rate_dkk;    // 2008 level, indexed 2 % a year
  double offer_hazard;      // chance per month on the benefit of starting an activation offer
  std::array<double, kOfferTypeCount> offer_mix;
  int first_meeting_days;  // 0 = no follow-up meetings
  int meeting_interval_days;
  double no_show_rate;
  double to_employment;  // shares of spell ends going to work and to education
  double to_education;
  std::array<Transition, 4> transitions;  // to other benefits; probability 0 = unused
};

const BenefitParams& ParamsOf(Benefit benefit);
inline const char* CodeOf(Benefit benefit) {
  return ParamsOf(benefit).code;
}
const char* DepartmentCode(Department department);
const char* OfferTypeCode(OfferType type);

// Dates of the rule changes the generator follows (shared docs/data-contract.md).
inline constexpr DayNumber kResourceCourseStart = DaysFromCivil(2013, 1, 1);
inline constexpr DayNumber kEducationBenefitStart = DaysFromCivil(2014, 1, 1);
inline constexpr DayNumber kJobClarificationStart = DaysFromCivil(2014, 7, 1);
inline constexpr DayNumber kIntegrationStart = DaysFromCivil(2016, 1, 1);
inline constexpr DayNumber kSelfSupportStart = DaysFromCivil(2019, 7, 1);
inline constexpr DayNumber kShorterInsuredPeriod = DaysFromCivil(2010, 7, 1);
inline constexpr DayNumber kRefundReform = DaysFromCivil(2016, 1, 4);

}  // namespace jobindsigt::synth
