// Who a synthetic person is: birth, sex, origin, education, arrival, departure, insurance,
// and where they live over time.

#include <algorithm>
#include <cmath>

#include "synth/person_life.h"

namespace jobindsigt::synth {
namespace {

enum StreamPurpose : uint64_t { kPersonIdKey = 0x50494453 };

DayNumber AddYears(DayNumber day, double years) {
  return day + static_cast<DayNumber>(std::lround(years * 365.2425));
}

// State pension age by birth date (the 2006 welfare agreement's steps, simplified).
double PensionAge(DayNumber birth) {
  const int year = CivilFromDays(birth).year;
  if (year < 1954) return 65.0;
  if (birth < DaysFromCivil(1954, 7, 1)) return 65.5;
  if (birth < DaysFromCivil(1955, 7, 1)) return 66.0;
  return 67.0;
}

double EarlyRetirementAge(DayNumber birth) {
  const int year = CivilFromDays(birth).year;
  if (year < 1954) return 60.0;
  if (year == 1954) return 60.5;
  if (year == 1955) return 61.0;
  if (year == 1956) return 62.0;
  if (year <= 1958) return 62.5;
  return 63.0;
}

int DrawOrigin(const MunicipalityModel& municipality, int birth_year, Random& random) {
  const double nonwestern = municipality.nonwestern_share;
  const double draw = random.Uniform();
  int origin = 1;
  if (draw < nonwestern * 0.68) {
    origin = 4;
  } else if (draw < nonwestern) {
    origin = 5;
  } else if (draw < nonwestern + 0.045) {
    origin = 2;
  } else if (draw < nonwestern + 0.053) {
    origin = 3;
  }
  // Descendants are born in Denmark to immigrants: mostly younger cohorts.
  if ((origin == 3 || origin == 5) && birth_year < 1975) --origin;
  return origin;
}

int DrawEducation(const MunicipalityModel& municipality, int origin, int age_at_start,
                  Random& random) {
  const double tertiary = municipality.tertiary_share;
  const double unknown = (origin == 2 || origin == 4) ? 0.15 : 0.02;
  const double draw = random.Uniform();
  int level;
  if (draw < unknown) {
    level = 9;
  } else if (draw < unknown + tertiary * 0.40) {
    level = 6;
  } else if (draw < unknown + tertiary * 0.85) {
    level = 5;
  } else if (draw < unknown + tertiary) {
    level = 4;
  } else if (draw < unknown + tertiary + 0.33) {
    level = 3;
  } else if (draw < unknown + tertiary + 0.43) {
    level = 2;
  } else {
    level = 1;
  }
  // The young have not finished yet.
  if (age_at_start < 19 && level != 9) return 1;
  if (age_at_start < 25 && level >= 4 && level <= 6) return 2;
  return level;
}

bool DrawInsured(int education, int origin, int age_at_start, Random& random) {
  static constexpr double kByEducation[10] = {0, 0.55, 0.62, 0.82, 0.85, 0.86, 0.88, 0, 0, 0.45};
  double probability = kByEducation[education];
  if (origin == 4) probability *= 0.75;
  if (age_at_start < 25) probability *= 0.6;
  return random.Chance(probability);
}

// Gompertz mortality, conditional on being alive at `from`.
DayNumber DrawDeath(DayNumber birth, DayNumber from, Random& random) {
  constexpr double kBase = 3e-5;
  constexpr double kGrowth = 0.095;
  const double age_now = std::max(0.0, (from - birth) / 365.2425);
  const double inner =
      std::exp(kGrowth * age_now) - (kGrowth / kBase) * std::log(1.0 - random.Uniform());
  const double death_age = std::log(inner) / kGrowth;
  return AddYears(birth, death_age);
}

DayNumber DrawArrival(const World& world, DayNumber birth, Random& random) {
  // Weighted arrival month over the simulated period, adults only.
  const MonthIndex first = world.simulation_start();
  const MonthIndex last = world.last_delivery();
  double total = 0;
  for (MonthIndex month = first; month <= last; ++month) total += World::ArrivalWeight(month);
  double target = random.Uniform() * total;
  MonthIndex month = first;
  for (; month < last; ++month) {
    target -= World::ArrivalWeight(month);
    if (target < 0) break;
  }
  const DayNumber day =
      FirstDayOfMonth(month) + static_cast<DayNumber>(random.Between(0, DaysInMonth(month) - 1));
  return std::max(day, AddYears(birth, 18.0));
}

void DrawResidences(const World& world, PersonLife& life, Random& random) {
  const PersonProfile& profile = life.profile;
  const auto& municipalities = world.municipalities();
  life.residences.push_back({profile.residence_since, profile.home_municipality});
  const DayNumber end = std::min(world.cutoff_day(), profile.departure - 1);
  int current = profile.home_municipality;
  for (MonthIndex month = MonthOfDay(profile.present_from); FirstDayOfMonth(month) <= end;
       ++month) {
    const int age = AgeOnDay(profile.birth, FirstDayOfMonth(month));
    const double hazard = age < 16 ? 0.002 : age < 30 ? 0.009 : age < 50 ? 0.0035 : 0.0015;
    const auto& weights = municipalities[current].move_cumulative;
    if (weights.back() <= 0 || !random.Chance(hazard)) continue;
    const double target = random.Uniform() * weights.back();
    const int destination = static_cast<int>(
        std::upper_bound(weights.begin(), weights.end(), target) - weights.begin());
    const DayNumber day =
        FirstDayOfMonth(month) + static_cast<DayNumber>(random.Between(0, DaysInMonth(month) - 1));
    if (day <= life.residences.back().from || day > end) continue;
    life.residences.push_back({day, destination});
    current = destination;
  }
  if (profile.departure <= world.cutoff_day()) life.residences.push_back({profile.departure, -1});
}

}  // namespace

void DrawProfile(const World& world, int64_t person_seq, Random& random, PersonLife& life) {
  PersonProfile& profile = life.profile;
  profile.seq = person_seq;
  profile.person_id = static_cast<int64_t>(PermuteBits(static_cast<uint64_t>(person_seq),
                                                       Mix64(world.seed() ^ kPersonIdKey), 40)) +
                      1;
  profile.home_municipality = world.MunicipalityOfPerson(person_seq);
  const auto& municipality = world.municipalities()[profile.home_municipality];

  const DayNumber sim_start = FirstDayOfMonth(world.simulation_start());
  const DayNumber first_delivery = FirstDayOfMonth(world.first_delivery());
  // Everyone aged 16–66 at some time in the delivered months.
  const int first_cohort = YearOfMonth(world.first_delivery()) - 66;
  const int last_cohort = YearOfMonth(world.last_delivery()) - 16;
  int birth_year;
  do {
    birth_year = static_cast<int>(random.Between(first_cohort, last_cohort));
  } while ((birth_year >= 1980 && birth_year <= 1995 && random.Chance(0.12)) ||
           (birth_year < 1945 && random.Chance(0.15)));
  profile.birth = DaysFromCivil(birth_year, 1, 1) + static_cast<DayNumber>(random.Between(0, 364));
  profile.female = random.Chance(0.5);
  profile.origin = DrawOrigin(municipality, birth_year, random);
  const int age_at_first_delivery = AgeOnDay(profile.birth, first_delivery);
  profile.education = DrawEducation(municipality, profile.origin, age_at_first_delivery, random);
  profile.insured = DrawInsured(profile.education, profile.origin, age_at_first_delivery, random);
  profile.fund =
      profile.insured
          ? 1 + static_cast<int>((int64_t{profile.education} * 5 + random.Between(0, 6)) % 21)
          : 0;
  const double industry_draw = random.Uniform();
  profile.industry =
      static_cast<int>(std::upper_bound(municipality.industry_cumulative.begin(),
                                        municipality.industry_cumulative.end(), industry_draw) -
                       municipality.industry_cumulative.begin());
  profile.industry = std::min(profile.industry, kIndustryCount - 1);
  profile.frailty = std::exp(0.65 * random.Normal() - 0.21125);
  profile.full_hours = random.Chance(0.8) ? 160.3 : 70.0 + 60.0 * random.Uniform();
  profile.pension_day = AddYears(profile.birth, PensionAge(profile.birth));
  profile.early_retirement_day = AddYears(profile.birth, EarlyRetirementAge(profile.birth));

  profile.present_from = std::max(sim_start, profile.birth);
  const bool immigrant = profile.origin == 2 || profile.origin == 4;
  if (immigrant && profile.birth < sim_start && random.Chance(0.42)) {
    const DayNumber arrival = DrawArrival(world, profile.birth, random);
    if (arrival <= world.cutoff_day() && arrival > sim_start) profile.present_from = arrival;
  }
  if (profile.present_from == sim_start && profile.birth < sim_start) {
    const DayNumber earliest = std::max(profile.birth, sim_start - 20 * 365);
    profile.residence_since =
        earliest + static_cast<DayNumber>(random.Between(0, sim_start - 1 - earliest));
  } else {
    profile.residence_since = profile.present_from;
  }
  const double emigration_rate = profile.origin == 2 ? 0.06 : profile.origin == 4 ? 0.03 : 0.003;
  const DayNumber emigration =
      profile.present_from + static_cast<DayNumber>(random.Exponential(365.2425 / emigration_rate));
  profile.departure = std::min(emigration, DrawDeath(profile.birth, profile.present_from, random));
  DrawResidences(world, life, random);
}

void PersonLife::Clear() {
  residences.clear();
  benefits.clear();
  spell_ends.clear();
  offers.clear();
  meetings.clear();
  enrolments.clear();
  education_changes.clear();
  work.clear();
}

int PersonLife::MunicipalityOn(DayNumber day) const {
  int result = residences.front().municipality;
  for (const auto& residence : residences) {
    if (residence.from > day) break;
    if (residence.municipality >= 0) result = residence.municipality;
  }
  return result;
}

}  // namespace jobindsigt::synth
