#include "synth/world.h"

#include <algorithm>
#include <cmath>

#include "common/random.h"

namespace jobindsigt::synth {
namespace {

enum StreamPurpose : uint64_t { kMunicipalityStream = 0x4d554e49 };

struct GroupConditions {
  double nonwestern_share;
  double tertiary_share;
  double inflow;
  double health;
};

// Statistics Denmark's municipality groups: 1 capital, 2 big-city, 3 provincial-town,
// 4 commuter, 5 rural.
GroupConditions ConditionsOfGroup(int group_code) {
  switch (group_code) {
    case 1:
      return {0.14, 0.45, 1.00, 0.90};
    case 2:
      return {0.11, 0.40, 1.05, 1.00};
    case 3:
      return {0.08, 0.26, 1.05, 1.12};
    case 4:
      return {0.06, 0.32, 0.90, 0.95};
    default:
      return {0.05, 0.20, 1.15, 1.25};
  }
}

// Well-known outliers, so that benchmarking the familiar municipalities looks familiar.
void ApplyKnownConditions(int code, double& nonwestern, double& tertiary, double& health) {
  switch (code) {
    case 157:
      nonwestern = 0.07;
      tertiary = 0.62;
      health = 0.75;
      break;  // Gentofte
    case 153:
      nonwestern = 0.26;
      tertiary = 0.17;
      break;  // Brøndby
    case 183:
      nonwestern = 0.30;
      tertiary = 0.15;
      break;  // Ishøj
    case 165:
      nonwestern = 0.22;
      tertiary = 0.20;
      break;  // Albertslund
    case 169:
      nonwestern = 0.20;
      tertiary = 0.22;
      break;  // Høje-Taastrup
    case 360:
      tertiary = 0.13;
      health = 1.45;
      break;  // Lolland
    case 101:
      nonwestern = 0.15;
      tertiary = 0.52;
      break;  // København
    case 751:
      tertiary = 0.48;
      break;  // Aarhus
    default:
      break;
  }
}

constexpr std::array<double, kIndustryCount> kNationalIndustryShares = {
    0.025, 0.001, 0.11, 0.004, 0.005, 0.065, 0.16, 0.05,  0.045, 0.04,  0.025,
    0.015, 0.055, 0.05, 0.05,  0.08,  0.17,  0.02, 0.025, 0.001, 0.0005};

std::array<double, kIndustryCount> IndustryCumulative(int group_code, Random& random) {
  std::array<double, kIndustryCount> weights = kNationalIndustryShares;
  const bool rural = group_code >= 4;
  const bool capital = group_code == 1;
  weights[0] *= rural ? 3.0 : capital ? 0.1 : 1.0;  // A agriculture
  weights[2] *= rural ? 1.3 : capital ? 0.5 : 1.0;  // C manufacturing
  for (int section : {9, 10, 12}) {                 // J, K, M knowledge services
    weights[section] *= rural ? 0.4 : capital ? 2.0 : 1.0;
  }
  double total = 0;
  for (double& weight : weights) {
    weight *= std::exp(0.15 * random.Normal());
    total += weight;
  }
  double running = 0;
  std::array<double, kIndustryCount> cumulative{};
  for (int index = 0; index < kIndustryCount; ++index) {
    running += weights[index] / total;
    cumulative[index] = running;
  }
  cumulative.back() = 1.0;
  return cumulative;
}

void SetPerformance(MunicipalityModel& model, Random& random) {
  model.duration_factor = std::exp(0.13 * random.Normal());
  model.activation_factor = std::exp(0.28 * random.Normal());
  model.staffing = std::exp(0.12 * random.Normal());
  model.timeliness =
      std::clamp(0.84 + 0.05 * random.Normal() + 0.4 * (model.staffing - 1.0), 0.55, 0.98);
  model.no_show_factor = std::exp(0.2 * random.Normal());
  model.other_actor_share = 0.1 + 0.4 * random.Uniform();
  for (int& actor : model.other_actors) {
    actor = static_cast<int>(random.Between(1, kOtherActorCount));
  }
}

}  // namespace

World::World(const GeneratorOptions& options, const std::vector<Municipality>& municipalities)
    : seed_(options.seed),
      first_delivery_(options.from),
      last_delivery_(options.until),
      simulation_start_(options.from - kBurnInMonths) {
  const auto& preset = options.preset;
  std::vector<Municipality> chosen;
  for (const auto& municipality : municipalities) {
    const auto& wanted = preset.municipalities;
    if (wanted.empty() ||
        std::find(wanted.begin(), wanted.end(), municipality.code) != wanted.end()) {
      chosen.push_back(municipality);
    }
  }
  double chosen_population = 0;
  for (const auto& municipality : chosen) chosen_population += municipality.approx_population;

  for (const auto& municipality : chosen) {
    MunicipalityModel model;
    model.info = municipality;
    const double share = municipality.approx_population / chosen_population;
    model.person_count =
        preset.target_persons > 0
            ? std::llround(share * static_cast<double>(preset.target_persons))
            : std::llround(preset.population_fraction * municipality.approx_population);
    model.person_count = std::max<int64_t>(model.person_count, 1);
    model.first_person = total_persons_;
    total_persons_ += model.person_count;

    Random random(StreamKey(seed_, kMunicipalityStream, static_cast<uint64_t>(municipality.code)));
    GroupConditions conditions = ConditionsOfGroup(municipality.group_code);
    ApplyKnownConditions(municipality.code, conditions.nonwestern_share, conditions.tertiary_share,
                         conditions.health);
    model.nonwestern_share = conditions.nonwestern_share * std::exp(0.15 * random.Normal());
    model.tertiary_share =
        std::clamp(conditions.tertiary_share + 0.03 * random.Normal(), 0.08, 0.7);
    model.inflow_factor = conditions.inflow * std::exp(0.08 * random.Normal());
    model.health_factor = conditions.health * std::exp(0.08 * random.Normal());
    model.cash_factor =
        (0.55 + 3.0 * model.nonwestern_share + 1.2 * std::max(0.0, 0.38 - model.tertiary_share)) *
        std::exp(0.08 * random.Normal());
    model.industry_cumulative = IndustryCumulative(municipality.group_code, random);
    SetPerformance(model, random);
    municipalities_.push_back(std::move(model));
  }

  // People move mostly within their region, in proportion to where people live.
  for (auto& origin : municipalities_) {
    double running = 0;
    for (const auto& destination : municipalities_) {
      double weight = 0;
      if (destination.info.code != origin.info.code) {
        weight = destination.info.approx_population *
                 (destination.info.region_code == origin.info.region_code ? 3.0 : 1.0);
      }
      running += weight;
      origin.move_cumulative.push_back(running);
    }
  }
}

int World::MunicipalityOfPerson(int64_t person_seq) const {
  const auto found = std::upper_bound(
      municipalities_.begin(), municipalities_.end(), person_seq,
      [](int64_t seq, const MunicipalityModel& model) { return seq < model.first_person; });
  return static_cast<int>(found - municipalities_.begin()) - 1;
}

double World::UnemploymentCycle(MonthIndex month) {
  const int year = YearOfMonth(month);
  const int month_of_year = MonthOfYear(month);
  if (year == 2020 && month_of_year >= 3 && month_of_year <= 5) return 2.6;  // lockdown
  if (year == 2020 && month_of_year >= 6) return 1.25;
  if (year == 2008) return month_of_year <= 8 ? 0.75 : 1.25;  // the crisis breaks in autumn
  switch (year) {
    case 2009:
      return 1.85;
    case 2010:
      return 1.55;
    case 2011:
      return 1.40;
    case 2012:
      return 1.30;
    case 2013:
      return 1.20;
    case 2014:
      return 1.10;
    case 2015:
      return 1.00;
    case 2016:
      return 0.95;
    case 2017:
      return 0.90;
    case 2018:  // 2018 and 2019 alike
    case 2019:
      return 0.85;
    case 2020:
      return 1.2;
    case 2021:
      return 0.95;
    case 2022:
      return 0.80;
    case 2023:
      return 0.90;
    case 2024:
      return 0.95;
    default:
      return year < 2008 ? 0.75 : 1.0;
  }
}

double World::DurationCycle(MonthIndex month) {
  return std::pow(UnemploymentCycle(month), 0.35);
}

double World::SicknessCycle(MonthIndex month) {
  const int year = YearOfMonth(month);
  if (year == 2020 || year == 2021) return 1.12;
  if (year == 2022) return 1.08;
  return 1.0;
}

double World::UnemploymentSeason(int month_of_year) {
  static constexpr std::array<double, 12> kFactors = {1.35, 1.0, 0.9,  0.85, 0.85, 1.05,
                                                      1.3,  1.1, 0.95, 0.95, 1.0,  1.25};
  return kFactors[month_of_year - 1];
}

double World::SicknessSeason(int month_of_year) {
  static constexpr std::array<double, 12> kFactors = {1.25, 1.25, 1.15, 1.0,  0.9, 0.85,
                                                      0.7,  0.85, 0.95, 1.05, 1.1, 1.1};
  return kFactors[month_of_year - 1];
}

double World::ArrivalWeight(MonthIndex month) {
  const int year = YearOfMonth(month);
  if (year == 2015 || year == 2016) return 3.0;
  if (year == 2022) return 1.8;  // arrivals from Ukraine
  return 1.0;
}

}  // namespace jobindsigt::synth
