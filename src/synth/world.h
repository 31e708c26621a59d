#pragma once
// The world the synthetic persons live in: the municipalities with their framework
// conditions and performance, the business cycle, the seasons and the delivery calendar.
// Built once from the seed; read-only while persons are simulated on many threads.

#include <array>
#include <cstdint>
#include <filesystem>
#include <vector>

#include "catalog/municipalities.h"
#include "common/date.h"
#include "synth/benefit_model.h"
#include "synth/scale.h"

namespace jobindsigt::synth {

inline constexpr int kIndustryCount = 21;    // DB07 sections A … U
inline constexpr int kOtherActorCount = 40;  // AA001 … AA040

struct GeneratorOptions {
  ScalePreset preset;
  uint64_t seed = 1;
  MonthIndex from = 0;   // first delivery month
  MonthIndex until = 0;  // last delivery month; its last day is the cut-off day
  int threads = 2;
  std::filesystem::path out_dir;
  std::filesystem::path catalog_dir;
  bool force = false;
  bool show_progress = true;
};

struct MunicipalityModel {
  Municipality info;
  int64_t first_person = 0;  // persons [first_person, first_person + person_count)
  int64_t person_count = 0;
  // Framework conditions: outside the jobcentre's control.
  double inflow_factor = 1;  // unemployment inflow (local labour market)
  double cash_factor = 1;    // uninsured and cash-benefit inflow (social composition)
  double health_factor = 1;  // sickness, disability, resource courses
  double nonwestern_share = 0.09;
  double tertiary_share = 0.3;
  // Performance: what the jobcentre does.
  double duration_factor = 1;  // < 1: gets people off benefits faster
  double activation_factor = 1;
  double timeliness = 0.85;  // share of meetings held by their due date
  double no_show_factor = 1;
  double other_actor_share = 0.3;
  double staffing = 1;  // caseworkers relative to the national norm
  std::array<double, kIndustryCount> industry_cumulative{};
  std::vector<double> move_cumulative;  // destination weights over the world's municipalities
  std::array<int, 3> other_actors{};    // the other actors this jobcentre uses
};

class World {
 public:
  World(const GeneratorOptions& options, const std::vector<Municipality>& municipalities);

  uint64_t seed() const { return seed_; }
  MonthIndex first_delivery() const { return first_delivery_; }
  MonthIndex last_delivery() const { return last_delivery_; }
  MonthIndex simulation_start() const { return simulation_start_; }
  DayNumber cutoff_day() const { return LastDayOfMonth(last_delivery_); }
  int64_t total_persons() const { return total_persons_; }
  const std::vector<MunicipalityModel>& municipalities() const { return municipalities_; }
  int MunicipalityOfPerson(int64_t person_seq) const;

  // Multipliers on spell inflow and length: 1 is a normal year.
  static double UnemploymentCycle(MonthIndex month);
  static double DurationCycle(MonthIndex month);
  static double SicknessCycle(MonthIndex month);
  static double UnemploymentSeason(int month_of_year);
  static double SicknessSeason(int month_of_year);
  // Immigration wave weight for an arrival month (the 2015–16 refugee arrivals).
  static double ArrivalWeight(MonthIndex month);

 private:
  uint64_t seed_;
  MonthIndex first_delivery_;
  MonthIndex last_delivery_;
  MonthIndex simulation_start_;
  int64_t total_persons_ = 0;
  std::vector<MunicipalityModel> municipalities_;
};

// Months simulated before the first delivery so that stocks are settled when data start.
inline constexpr int kBurnInMonths = 72;

}  // namespace jobindsigt::synth
