#include "engine/evaluator.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <optional>

#include "common/prefetch.h"
#include "engine/month_pass.h"
#include "engine/person_pass.h"

namespace jobindsigt::engine {
namespace {

constexpr double kNoValue = std::numeric_limits<double>::quiet_NaN();

bool DividesByPeriodDays(Statistic statistic) {
  return statistic == Statistic::kFte || statistic == Statistic::kActivatedFte;
}

// S(k) of the Kaplan–Meier estimate in per cent, or NaN when it is not defined (no spells, or
// none at risk in some week before k while S is still above 0).
double SurvivalAt(const SurvivalCounts* counts, int week) {
  if (counts == nullptr) return kNoValue;
  int64_t at_risk = 0;
  for (size_t slot = 0; slot < counts->ended.size(); ++slot)
    at_risk += counts->ended[slot] + counts->censored[slot];
  if (at_risk == 0) return kNoValue;
  double share = 1.0;
  for (int j = 0; j < week; ++j) {
    if (share == 0.0) break;
    if (at_risk == 0) return kNoValue;
    share *= 1.0 - static_cast<double>(counts->ended[j]) / static_cast<double>(at_risk);
    at_risk -= counts->ended[j] + counts->censored[j];
  }
  return 100.0 * share;
}

struct CellValue {
  double value = kNoValue;
  bool no_denominator = false;
};

CellValue Ratio(double numerator, double denominator, double scale) {
  if (denominator == 0) return {kNoValue, true};
  return {numerator / denominator * scale, false};
}

}  // namespace

Accumulators::Accumulators(const ResolvedQuery& query)
    : numerator(query.cells, 0.0),
      denominator(query.cells, 0.0),
      outside_bands(query.breakdowns.size(), 0) {}

void Accumulators::Merge(Accumulators&& other) {
  for (size_t cell = 0; cell < numerator.size(); ++cell) {
    numerator[cell] += other.numerator[cell];
    denominator[cell] += other.denominator[cell];
  }
  for (auto& [cell, counts] : other.survival) {
    auto [entry, added] = survival.try_emplace(cell, std::move(counts));
    if (added) continue;
    for (size_t slot = 0; slot < counts.ended.size(); ++slot) {
      entry->second.ended[slot] += counts.ended[slot];
      entry->second.censored[slot] += counts.censored[slot];
    }
  }
  for (const auto& [cell, count] : other.left_out) left_out[cell] += count;
  for (size_t index = 0; index < outside_bands.size(); ++index)
    outside_bands[index] += other.outside_bands[index];
}

namespace {

// Statistics whose area is the municipality of a benefit record (docs/measures.md): a person
// counts in an area only through a benefit record there. Meetings, payments and the
// population take their municipality from elsewhere.
bool AreaFromBenefitRecord(Statistic statistic) {
  switch (statistic) {
    case Statistic::kMeetingsDue:
    case Statistic::kMeetingsTimely:
    case Statistic::kTimeliness:
    case Statistic::kMeetingsHeld:
    case Statistic::kNoShows:
    case Statistic::kExpenditureGross:
    case Statistic::kExpenditureNet:
    case Statistic::kPopulation:
    case Statistic::kShareOfPopulation:
      return false;
    default:
      return true;
  }
}

// Keeps only the persons with a benefit record in a municipality the query's areas cover:
// nobody else can count in any cell, because every contribution of these statistics takes its
// area from such a record (exact, not a guess). For a few municipalities the answer is their
// persons (sorted, once each), so the shard is not scanned; for a large share of the country the
// flags of the others are cleared instead (sorting a third of the persons costs more than a
// scan). Nothing when the areas cover every municipality with records or a statistic takes its
// area from elsewhere.
// How much of a shard the query's areas cover: whether some municipality with benefit
// records is outside every area, and how many persons the covered ones list (a person once
// per municipality).
struct AreaCoverage {
  bool restricts = false;
  size_t listed = 0;
};

AreaCoverage CoverageOf(const ResolvedQuery& query, const EvaluationPlan& plan,
                        const Shard& shard) {
  for (size_t index = 0; index < query.measures.size(); ++index) {
    if (plan.by_person[index] == 0) continue;
    const Statistic statistic = query.measures[index].statistic;
    // With the residents from the table, what is left of share_of_population is its fte.
    const bool fte_only = statistic == Statistic::kShareOfPopulation && plan.residents_by_table;
    if (!AreaFromBenefitRecord(statistic) && !fte_only) return {};
  }
  if (!query.areas.beyond.empty()) return {};
  const auto& index = shard.benefit_municipalities;
  AreaCoverage coverage;
  for (size_t code = 0; code < index.size(); ++code) {
    if (index[code].empty()) continue;
    if (query.areas.Of(static_cast<int>(code)).empty()) {
      coverage.restricts = true;
    } else {
      coverage.listed += index[code].size();
    }
  }
  return coverage;
}

// Whether the areas' persons are few enough to be listed rather than flagged.
bool FewPersons(const AreaCoverage& coverage, size_t shard_persons) {
  return coverage.restricts && coverage.listed * 16 < shard_persons;
}

std::optional<std::vector<uint32_t>> RestrictToAreas(const ResolvedQuery& query,
                                                     const EvaluationPlan& plan, const Shard& shard,
                                                     std::vector<uint8_t>& flags) {
  const AreaCoverage coverage = CoverageOf(query, plan, shard);
  if (!coverage.restricts) return std::nullopt;
  const auto& index = shard.benefit_municipalities;
  auto covers = [&](size_t code) { return !query.areas.Of(static_cast<int>(code)).empty(); };
  const size_t listed = coverage.listed;
  if (FewPersons(coverage, flags.size())) {
    std::vector<uint32_t> persons;
    persons.reserve(listed);
    for (size_t code = 0; code < index.size(); ++code) {
      if (!covers(code)) continue;
      for (const uint32_t person : index[code]) {
        if (flags[person] != 0) persons.push_back(person);
      }
    }
    std::sort(persons.begin(), persons.end());
    persons.erase(std::unique(persons.begin(), persons.end()), persons.end());
    return persons;
  }
  thread_local std::vector<uint8_t> in_area;
  in_area.assign(flags.size(), 0);
  for (size_t code = 0; code < index.size(); ++code) {
    if (!covers(code)) continue;
    for (const uint32_t person : index[code]) in_area[person] = 1;
  }
  for (size_t person = 0; person < flags.size(); ++person) flags[person] &= in_area[person];
  return std::nullopt;
}

}  // namespace

bool EvaluationPlan::AnyByPerson() const {
  return std::find(by_person.begin(), by_person.end(), 1) != by_person.end();
}

bool EvaluationPlan::AnyByMonth() const {
  return std::find(by_month.begin(), by_month.end(), 1) != by_month.end();
}

bool EvaluationPlan::AnyByRuns() const {
  return std::find(by_runs.begin(), by_runs.end(), 1) != by_runs.end();
}

bool EvaluationPlan::AnyBySums() const {
  return std::find(by_sums.begin(), by_sums.end(), 1) != by_sums.end();
}

EvaluationPlan PlanEvaluation(const ResolvedQuery& query, const PassChoices& choices) {
  EvaluationPlan plan;
  plan.residents_by_table = choices.resident_table && ResidentTableApplies(query);
  plan.month_leaves = choices.month_leaves;
  plan.month_spans = choices.month_spans;
  plan.by_sums = choices.sums ? SumPassMeasures(query, plan.residents_by_table)
                              : std::vector<uint8_t>(query.measures.size(), 0);
  plan.by_month = choices.month_pass ? MonthPassMeasures(query, plan.residents_by_table)
                                     : std::vector<uint8_t>(query.measures.size(), 0);
  for (size_t index = 0; index < query.measures.size(); ++index) {
    if (plan.by_sums[index] != 0) plan.by_month[index] = 0;
  }
  plan.by_runs = choices.runs ? RunPassMeasures(query, plan.by_month)
                              : std::vector<uint8_t>(query.measures.size(), 0);
  for (size_t index = 0; index < query.measures.size(); ++index) {
    if (plan.by_runs[index] != 0) plan.by_month[index] = 0;
  }
  plan.by_person.assign(query.measures.size(), 1);
  for (size_t index = 0; index < query.measures.size(); ++index) {
    const Statistic statistic = query.measures[index].statistic;
    const bool expenditure = IsExpenditure(statistic);
    // Expenditure not from the sums: from the payments month by month.
    plan.payments_by_month = plan.payments_by_month || (expenditure && plan.by_sums[index] == 0);
    if (plan.by_month[index] != 0 || plan.by_runs[index] != 0 || plan.by_sums[index] != 0 ||
        expenditure || (statistic == Statistic::kPopulation && plan.residents_by_table))
      plan.by_person[index] = 0;
  }
  return plan;
}

std::vector<uint32_t> CandidatePersons(const ResolvedQuery& query, const EvaluationPlan& plan,
                                       const Shard& shard) {
  DayNumber first_day = query.periods.front().period.first_day;
  DayNumber last_day = query.periods.front().period.last_day;
  for (const auto& period : query.periods) {
    first_day = std::min(first_day, period.period.first_day);
    last_day = std::max(last_day, period.period.last_day);
  }
  // Reused between queries on this thread: a fresh shard-sized vector per query costs page
  // faults (it is large enough to be mapped anew each time).
  thread_local std::vector<uint8_t> flags;
  flags.assign(shard.persons.size(), 0);
  // The persons with a benefit row of the measure's codes in the periods' months: every
  // statistic of docs/measures.md counts a person for a record of G overlapping P (a
  // contribution day, a spell's start or end, a meeting's due or held day in P).
  const MonthIndex first_month = MonthOfDay(first_day);
  const MonthIndex last_month = MonthOfDay(last_day);
  // The codes of every measure's group, marked in one visit of their rows.
  uint64_t codes = 0;
  auto mark = [&](uint64_t mask) { codes |= mask; };
  for (size_t index = 0; index < query.measures.size(); ++index) {
    if (plan.by_person[index] == 0) continue;
    const ResolvedMeasure& measure = query.measures[index];
    switch (measure.statistic) {
      case Statistic::kPopulation:
      case Statistic::kShareOfPopulation:
        if (!plan.residents_by_table) {
          std::fill(flags.begin(), flags.end(), 1);
        } else if (measure.statistic == Statistic::kShareOfPopulation) {
          mark(measure.benefit_mask);
        }
        break;
      default:
        mark(measure.benefit_mask);
        break;
    }
  }
  if (codes != 0)
    shard.benefit_months.MarkPersons(codes, first_month, last_month, shard.benefits.person,
                                     shard.benefits.to, flags);
  std::vector<uint32_t> persons;
  if (auto in_areas = RestrictToAreas(query, plan, shard, flags)) return std::move(*in_areas);
  for (size_t person = 0; person < flags.size(); ++person) {
    if (flags[person] != 0) persons.push_back(static_cast<uint32_t>(person));
  }
  return persons;
}

namespace {

// What the person pass reads of a person besides their benefit rows and attributes.
struct PersonReads {
  bool meetings = false;
  bool offers = false;
};

PersonReads ReadsOf(const ResolvedQuery& query, const EvaluationPlan& plan) {
  PersonReads reads;
  for (size_t index = 0; index < query.measures.size(); ++index) {
    if (plan.by_person[index] == 0) continue;
    switch (query.measures[index].statistic) {
      case Statistic::kMeetingsDue:
      case Statistic::kMeetingsTimely:
      case Statistic::kTimeliness:
      case Statistic::kMeetingsHeld:
      case Statistic::kNoShows:
        reads.meetings = true;
        break;
      case Statistic::kActivatedPersons:
      case Statistic::kActivatedFte:
      case Statistic::kActivationRate:
        reads.offers = true;
        break;
      default:
        break;
    }
  }
  return reads;
}

// The candidates are ascending but apart, and each one's data is a few cache lines in each of
// a dozen columns: without asking ahead the pass waits for every one of them in turn (a
// person's rows, spells and context took 80 % of a spell-end query, most of it in misses).
// Asked in two steps: a person's range starts first, then, a few persons later, the first
// line of each of their columns (the hardware follows a run of rows on its own).
constexpr size_t kPrefetchRangesAhead = 16;
constexpr size_t kPrefetchColumnsAhead = 8;

void PrefetchRanges(const Shard& shard, const PersonReads& reads, uint32_t person) {
  Prefetch(&shard.benefits.ranges.begin[person]);
  if (reads.meetings) Prefetch(&shard.meetings.ranges.begin[person]);
  if (reads.offers) Prefetch(&shard.offers.ranges.begin[person]);
}

// The line of `row` in each of `columns`.
template <typename... Columns>
void PrefetchRow(uint32_t row, const Columns&... columns) {
  (Prefetch(&columns[row]), ...);
}

void PrefetchColumns(const Shard& shard, const PersonReads& reads, uint32_t person) {
  const PersonColumns& attributes = shard.persons;
  PrefetchRow(person, attributes.birth_packed, attributes.sex, attributes.origin,
              attributes.education);
  const BenefitColumns& benefits = shard.benefits;
  const uint32_t first_row = benefits.ranges.First(person);
  const uint32_t end_row = benefits.ranges.Last(person);
  if (first_row < end_row) {
    // The first rows start the walk of the person's history; the last ones are the most
    // recent, where the periods of most queries are.
    for (const uint32_t row : {first_row, end_row - 1}) {
      PrefetchRow(row, benefits.benefit, benefits.from, benefits.to, benefits.municipality,
                  benefits.degree_millionths);
    }
  }
  const MeetingColumns& meetings = shard.meetings;
  if (reads.meetings && meetings.ranges.First(person) < meetings.ranges.Last(person)) {
    PrefetchRow(meetings.ranges.First(person), meetings.due, meetings.held, meetings.municipality,
                meetings.outcome);
  }
  const OfferColumns& offers = shard.offers;
  if (reads.offers && offers.ranges.First(person) < offers.ranges.Last(person))
    PrefetchRow(offers.ranges.First(person), offers.from, offers.to, offers.type, offers.provider);
}

}  // namespace

void EvaluatePersons(const ResolvedQuery& query, const EvaluationPlan& plan, const Shard& shard,
                     std::span<const uint32_t> persons, Accumulators& accumulators) {
  PersonPass pass(query, plan, shard, accumulators);
  const PersonReads reads = ReadsOf(query, plan);
  for (size_t at = 0; at < persons.size(); ++at) {
    if (at + kPrefetchRangesAhead < persons.size())
      PrefetchRanges(shard, reads, persons[at + kPrefetchRangesAhead]);
    if (at + kPrefetchColumnsAhead < persons.size())
      PrefetchColumns(shard, reads, persons[at + kPrefetchColumnsAhead]);
    pass.Run(persons[at]);
  }
}

Cube FinishCube(const ResolvedQuery& query, const Accumulators& accumulators) {
  Cube cube = query.layout;
  cube.values.assign(query.cells, kNoValue);
  cube.statuses.assign(query.cells, CellStatus::kOk);
  cube.left_out.assign(query.cells, 0);
  cube.outside_bands = accumulators.outside_bands;
  const size_t dimensions = cube.dimensions.size();
  std::vector<size_t> coordinates(dimensions);
  for (size_t cell = 0; cell < query.cells; ++cell) {
    size_t rest = cell;
    for (size_t dimension = 0; dimension < dimensions; ++dimension) {
      coordinates[dimension] = rest / query.stride[dimension];
      rest %= query.stride[dimension];
    }
    const Statistic statistic = query.measures[coordinates[0]].statistic;
    const ResolvedPeriod& period = query.periods[coordinates[1]];
    const bool expenditure = IsExpenditure(statistic);
    bool applicable = !expenditure || period.period.WholeMonths();
    size_t survival_base = cell;
    int survival_week = 0;
    size_t status_base = cell;
    for (size_t index = 0; index < query.breakdowns.size(); ++index) {
      const ResolvedBreakdown& breakdown = query.breakdowns[index];
      const size_t coordinate = coordinates[index + 3];
      if (!BreakdownApplies(breakdown.kind, statistic) &&
          static_cast<int>(coordinate) != breakdown.total_index)
        applicable = false;
      if (breakdown.kind == BreakdownKind::kSurvivalWeek) {
        survival_base -= coordinate * query.stride[index + 3];
        survival_week = breakdown.weeks[coordinate];
      }
      if (breakdown.kind == BreakdownKind::kStatusAfter)
        status_base -= coordinate * query.stride[index + 3];
    }
    if (!applicable) {
      cube.statuses[cell] = CellStatus::kNotApplicable;
      continue;
    }
    const double numerator = accumulators.numerator[cell];
    const double denominator = accumulators.denominator[cell];
    const double days = period.period.days();
    CellValue value{numerator, false};
    switch (statistic) {
      case Statistic::kDurationEnded:  // the numerator sums days
        value = Ratio(numerator / 7.0, denominator, 1.0);
        break;
      case Statistic::kActivationRate:
      case Statistic::kTimeliness:
        value = Ratio(numerator, denominator, 100.0);
        break;
      case Statistic::kShareOfPopulation:
        value = Ratio(numerator / kDegreeScale / days, denominator, 100.0);
        break;
      case Statistic::kExpenditureGross:
      case Statistic::kExpenditureNet:
        value.value = numerator / kOrePerKrone;
        break;
      case Statistic::kSurvival: {
        const auto found = accumulators.survival.find(survival_base);
        value.value = SurvivalAt(found == accumulators.survival.end() ? nullptr : &found->second,
                                 survival_week);
        value.no_denominator = std::isnan(value.value);
        break;
      }
      case Statistic::kStatusAfter: {
        const auto found = accumulators.left_out.find(status_base);
        if (found != accumulators.left_out.end()) cube.left_out[cell] = found->second;
        break;
      }
      default:
        if (DividesByPeriodDays(statistic)) value.value = numerator / kDegreeScale / days;
        break;
    }
    cube.values[cell] = value.value;
    if (value.no_denominator) {
      cube.statuses[cell] = CellStatus::kNoDenominator;
    } else if (period.preliminary) {
      cube.statuses[cell] = CellStatus::kPreliminary;
    }
  }
  return cube;
}

}  // namespace jobindsigt::engine
