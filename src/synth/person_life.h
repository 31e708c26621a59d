#pragma once
// One synthetic person's life as the generator knows it ("the truth"), before it is cut into
// monthly deliveries with late reports, corrections and deletions (see delivery_writer.h).

#include <cstdint>
#include <vector>

#include "common/date.h"
#include "common/random.h"
#include "synth/benefit_model.h"
#include "synth/world.h"

namespace jobindsigt::synth {

inline constexpr DayNumber kNever = 1 << 30;

struct PersonProfile {
  int64_t seq = 0;            // 0 … total_persons-1, the generator's internal order
  int64_t person_id = 0;      // the pseudonym written to the files
  int home_municipality = 0;  // index into World::municipalities()
  DayNumber birth = 0;
  bool female = false;
  int origin = 1;                 // 1 … 5 as in the data contract
  int education = 9;              // highest attained at the first delivery
  DayNumber present_from = 0;     // in Denmark from (simulation start or arrival)
  DayNumber residence_since = 0;  // from_date of the residence at present_from
  DayNumber departure = kNever;   // death or emigration
  DayNumber pension_day = 0;      // state pension age reached
  DayNumber early_retirement_day = 0;
  bool insured = false;     // member of an unemployment fund
  int fund = 0;             // 1 … 21 when insured
  int industry = 0;         // 0 … 20 (DB07 A … U)
  double frailty = 1;       // multiplies inflow hazards: some people get many spells
  double full_hours = 160;  // paid hours in a full month of work
};

struct Residence {
  DayNumber from;
  int municipality;  // index into World::municipalities(), -1 = abroad or dead
};

enum Visitation : int8_t { kNoVisitation = -1, kJP = 0, kAP = 1, kUP = 2, kOUP = 3 };

struct BenefitRecord {
  DayNumber from;
  DayNumber to;  // may lie after the cut-off: then the record is still open
  Benefit benefit;
  int municipality;
  int degree_pct;  // 1 … 100
  int8_t visitation;
  int8_t fund;         // 0 = none
  int32_t spell;       // index of the generator's spell, for history selection
  int32_t spell_week;  // unused by writers; kept for payments' refund rule
  DayNumber spell_start;
};

struct OfferRecord {
  DayNumber from;
  DayNumber planned_to;
  DayNumber to;
  OfferType type;
  int municipality;
  int hours_per_week;
  int provider;  // 0 = the jobcentre, else other actor 1 … 40
  int64_t price_hundredths;
};

enum class MeetingOutcome : uint8_t { kHeld, kNoShow, kCancelled };

struct MeetingRecord {
  DayNumber due;
  DayNumber held;  // kNever when not held
  int type;        // 0 JS, 1 CV, 2 RD, 3 OP
  MeetingOutcome outcome;
  int municipality;
  Department department;
  int caseworker;
};

struct Enrolment {
  DayNumber from;
  DayNumber to;
  int level;
  bool completed;
};

struct EducationChange {
  DayNumber day;
  int level;
};

struct WorkInterval {
  DayNumber from;
  DayNumber to;
};

struct PersonLife {
  PersonProfile profile;
  std::vector<Residence> residences;
  std::vector<BenefitRecord> benefits;
  std::vector<DayNumber> spell_ends;  // per spell: its last day (for history selection)
  std::vector<OfferRecord> offers;
  std::vector<MeetingRecord> meetings;
  std::vector<Enrolment> enrolments;
  std::vector<EducationChange> education_changes;
  std::vector<WorkInterval> work;

  void Clear();
  int MunicipalityOn(DayNumber day) const;
};

// Draws the person and lives their life from the simulation start to the cut-off day.
void SimulatePerson(const World& world, int64_t person_seq, PersonLife& life);

}  // namespace jobindsigt::synth
