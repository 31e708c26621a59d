#pragma once
// One person's contribution to a query: builds the person's spells in each measure's group,
// walks their records, meetings, payments and residence against each period, and adds to
// the worker's counters. Internal to the evaluator.

#include <algorithm>
#include <array>
#include <cassert>
#include <cstdint>
#include <span>
#include <vector>

#include "engine/cell_odometer.h"
#include "engine/evaluator.h"

namespace jobindsigt::engine {

struct SpellInfo {
  DayNumber start = 0;
  DayNumber end = 0;
  uint32_t first_record = 0;  // benefit row
  uint32_t end_record = 0;    // benefit row holding the end
  bool ended = false;
};

// What breakdowns are evaluated on: the person's and the record's attributes on a day.
struct Context {
  int municipality = -1;
  int age = -1;
  int sex = -1;
  int origin = -1;
  int education = -1;
  int duration_weeks = -1;
  int benefit = -1;
  int visitation = -1;
  int fund = -1;
  int state = -1;  // status_after
};

// A combination of offer_type and provider categories, and the offers it admits.
struct OfferCombination {
  std::vector<std::vector<uint16_t>> categories;  // per offer breakdown: the one category
  std::vector<bool> type_allowed;                 // by offer type index (empty = any)
  std::vector<bool> provider_allowed;             // by provider index (empty = any)
};

class PersonPass {
 public:
  PersonPass(const ResolvedQuery& query, const EvaluationPlan& plan, const Shard& shard,
             Accumulators& accumulators);
  // The measures `plan` leaves to the person pass, for one person.
  void Run(size_t person);
  // Payment row `row` (of `month`, paid to `person`) for expenditure measure `measure`
  // (EvaluatePayments).
  void PaymentRow(size_t person, size_t measure, MonthIndex month, uint32_t row);

 private:
  void BuildSpells(uint64_t mask);
  // Every contribution of the person's records in G to every period, for `measure`.
  void Contributions(Statistic statistic, size_t measure);
  // Records covering the first (or last) day of each period, for `measure`.
  void DayCoverage(Statistic statistic, size_t measure, bool last_day);
  // Inlined into Contributions: it runs for every record and period of every person.
  __attribute__((always_inline)) void ContributionCells(Statistic statistic, size_t base,
                                                        uint32_t record, size_t spell,
                                                        DayNumber first, DayNumber last);
  // The statistics counted from spells, meetings and residence, for `measure`. An event (a
  // spell's start or end, a meeting) is met once and counted in each period holding its day.
  void Events(Statistic statistic, size_t measure);
  void SpellStarts(Statistic statistic, size_t measure);
  void SpellEnds(Statistic statistic, size_t measure);
  // The meeting statistics of `measures` (of one group, all counted on the due day or all on
  // the held day): each meeting is looked at once, and the record covering its day found once.
  void Meetings(std::span<const size_t> measures);
  void Residents(Statistic statistic, size_t base, const Period& period);

  Context PersonContext(DayNumber day) const;
  Context RecordContext(uint32_t record, size_t spell, DayNumber day) const;
  int StatusInMonth(MonthIndex month) const;
  int64_t ActivatedDays(DayNumber first, DayNumber last, const OfferCombination& combo) const;
  // The person's record in G covering `day` with the smallest from (then record id); its
  // position in records_, or -1.
  int RecordCovering(DayNumber day) const;

  // Calls visit(period index) for each period overlapping [first, last].
  template <typename Visit>
  void ForEachPeriod(DayNumber first, DayNumber last, Visit&& visit) const;
  size_t BaseOf(size_t measure, size_t period) const {
    return measure * query_.stride[0] + period * query_.stride[1];
  }

  void SetMatches(Statistic statistic, const Context& context);
  template <typename Action>
  void ForEachCell(size_t base, Action&& action);
  void Touch(size_t base);

  const ResolvedQuery& query_;
  const EvaluationPlan& plan_;
  const Shard& shard_;
  Accumulators& accumulators_;
  size_t person_ = 0;
  std::vector<uint32_t> records_;   // benefit rows of the person in G, by from and record id
  std::vector<uint32_t> spell_of_;  // per entry of records_
  std::vector<SpellInfo> spells_;
  std::vector<uint32_t> touched_;         // cells of the current measure (distinct persons)
  std::vector<size_t> meeting_measures_;  // the meeting statistics counted together
  std::vector<const std::vector<uint16_t>*> matches_;   // area, then each breakdown
  std::vector<const std::vector<uint16_t>*> override_;  // per breakdown, or nullptr
  std::vector<size_t> offer_breakdowns_;
  std::vector<OfferCombination> offer_combinations_;
  std::vector<std::vector<uint16_t>> all_categories_;  // per breakdown: 0 … count-1
  DayNumber first_period_day_ = 0;                     // the earliest first day of a period
  DayNumber last_period_day_ = -1;                     // the latest last day of a period
  MonthIndex cut_off_month_ = 0;  // the release's (a civil-calendar conversion, once)
  int survival_breakdown_ = -1;
  int status_breakdown_ = -1;
};

// Inline: evaluated for every contribution and event of every person visited.
inline Context PersonPass::PersonContext(DayNumber day) const {
  const PersonColumns& persons = shard_.persons;
  Context context;
  context.age = AgeFromPacked(persons.birth_packed[person_], PackedDate(day));
  context.sex = CodeOf(persons.sex[person_]);
  context.origin = CodeOf(persons.origin[person_]);
  context.education = CodeOf(persons.education[person_]);
  return context;
}

inline Context PersonPass::RecordContext(uint32_t record, size_t spell, DayNumber day) const {
  const BenefitColumns& benefits = shard_.benefits;
  Context context = PersonContext(day);
  context.municipality = benefits.municipality[record];
  context.duration_weeks = (day - spells_[spell].start + 1) / 7;
  context.benefit = CodeOf(benefits.benefit[record]);
  context.visitation = CodeOf(benefits.visitation[record]);
  context.fund = CodeOf(benefits.fund[record]);
  return context;
}

template <typename Action>
inline void PersonPass::ForEachCell(size_t base, Action&& action) {
  ForEachCellOf(base, matches_, std::span<const size_t>(query_.stride).subspan(2), action);
}

template <typename Visit>
inline void PersonPass::ForEachPeriod(DayNumber first, DayNumber last, Visit&& visit) const {
  // Most of a person's records lie outside every period (a history of years, a table of
  // months): those are turned away before the search.
  if (last < first_period_day_ || first > last_period_day_) return;
  const auto& order = query_.period_order;
  const auto& periods = query_.periods;
  // A period overlapping [first, last] starts after first − longest and no later than last.
  const DayNumber earliest = first - query_.longest_period_days + 1;
  auto it = std::lower_bound(
      order.begin(), order.end(), earliest,
      [&](uint32_t index, DayNumber day) { return periods[index].period.first_day < day; });
  for (; it != order.end() && periods[*it].period.first_day <= last; ++it) {
    if (periods[*it].period.last_day >= first) visit(*it);
  }
}

}  // namespace jobindsigt::engine
