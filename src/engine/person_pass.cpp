#include "engine/person_pass.h"

#include <algorithm>
#include <cassert>

namespace jobindsigt::engine {
namespace {

std::vector<OfferCombination> MakeOfferCombinations(const ResolvedQuery& query,
                                                    const std::vector<size_t>& offer_breakdowns,
                                                    size_t type_count, size_t provider_count) {
  std::vector<OfferCombination> combinations(1);
  for (const size_t index : offer_breakdowns) {
    const ResolvedBreakdown& breakdown = query.breakdowns[index];
    std::vector<OfferCombination> next;
    for (const auto& combination : combinations) {
      for (size_t category = 0; category < breakdown.category_count; ++category) {
        OfferCombination extended = combination;
        extended.categories.push_back({static_cast<uint16_t>(category)});
        const bool by_type = breakdown.kind == BreakdownKind::kOfferType;
        auto& allowed = by_type ? extended.type_allowed : extended.provider_allowed;
        allowed.assign(by_type ? type_count : provider_count, false);
        for (const int code : breakdown.codes_of_category[category]) allowed[code] = true;
        next.push_back(std::move(extended));
      }
    }
    combinations = std::move(next);
  }
  return combinations;
}

}  // namespace

PersonPass::PersonPass(const ResolvedQuery& query, const EvaluationPlan& plan, const Shard& shard,
                       Accumulators& accumulators)
    : query_(query),
      plan_(plan),
      shard_(shard),
      accumulators_(accumulators),
      cut_off_month_(MonthOfDay(query.release->cut_off_day)) {
  matches_.assign(query.breakdowns.size() + 1, nullptr);
  if (!query.periods.empty()) {
    first_period_day_ = query.periods.front().period.first_day;
    last_period_day_ = query.periods.front().period.last_day;
  }
  for (const ResolvedPeriod& period : query.periods) {
    first_period_day_ = std::min(first_period_day_, period.period.first_day);
    last_period_day_ = std::max(last_period_day_, period.period.last_day);
  }
  override_.assign(query.breakdowns.size(), nullptr);
  size_t type_count = query.offer_type_count;
  size_t provider_count = query.provider_count;
  for (size_t index = 0; index < query.breakdowns.size(); ++index) {
    const ResolvedBreakdown& breakdown = query.breakdowns[index];
    std::vector<uint16_t> all(breakdown.category_count);
    for (size_t category = 0; category < all.size(); ++category) all[category] = category;
    all_categories_.push_back(std::move(all));
    if (breakdown.kind == BreakdownKind::kOfferType || breakdown.kind == BreakdownKind::kProvider) {
      offer_breakdowns_.push_back(index);
      for (const auto& codes : breakdown.codes_of_category) {
        for (const int code : codes) {
          auto& count = breakdown.kind == BreakdownKind::kOfferType ? type_count : provider_count;
          count = std::max<size_t>(count, code + 1);
        }
      }
    }
    if (breakdown.kind == BreakdownKind::kSurvivalWeek) survival_breakdown_ = index;
    if (breakdown.kind == BreakdownKind::kStatusAfter) status_breakdown_ = index;
  }
  offer_combinations_ = MakeOfferCombinations(query, offer_breakdowns_, type_count, provider_count);
}

void PersonPass::Run(size_t person) {
  person_ = person;
  bool built = false;
  uint64_t built_mask = 0;
  for (size_t measure = 0; measure < query_.measures.size(); ++measure) {
    if (plan_.by_person[measure] == 0) continue;
    const ResolvedMeasure& resolved = query_.measures[measure];
    if (!built || resolved.benefit_mask != built_mask) {
      BuildSpells(resolved.benefit_mask);
      built = true;
      built_mask = resolved.benefit_mask;
    }
    touched_.clear();
    const Statistic statistic = resolved.statistic;
    if (IsMeetingStatistic(statistic)) {
      // The group's next meeting statistics counted on the same day, together.
      size_t end = measure + 1;
      while (end < query_.measures.size() && plan_.by_person[end] != 0 &&
             query_.measures[end].benefit_mask == resolved.benefit_mask &&
             IsMeetingStatistic(query_.measures[end].statistic) &&
             (query_.measures[end].statistic == Statistic::kMeetingsHeld) ==
                 (statistic == Statistic::kMeetingsHeld))
        ++end;
      meeting_measures_.clear();
      for (size_t index = measure; index < end; ++index) meeting_measures_.push_back(index);
      Meetings(meeting_measures_);
      measure = end - 1;
      continue;
    }
    switch (statistic) {
      case Statistic::kPersons:
      case Statistic::kFte:
      case Statistic::kActivatedPersons:
      case Statistic::kActivatedFte:
      case Statistic::kActivationRate:
        Contributions(statistic, measure);
        break;
      case Statistic::kPersonsStart:
      case Statistic::kPersonsEnd:
        DayCoverage(statistic, measure, statistic == Statistic::kPersonsEnd);
        break;
      case Statistic::kExpenditureGross:
      case Statistic::kExpenditureNet:
        assert(false && "expenditure is counted by EvaluatePayments, month by month");
        break;
      case Statistic::kShareOfPopulation:
        Contributions(statistic, measure);
        if (plan_.residents_by_table) break;  // the denominator: CountResidents
        [[fallthrough]];
      default:
        Events(statistic, measure);
        break;
    }
    if (!touched_.empty()) {
      std::sort(touched_.begin(), touched_.end());
      touched_.erase(std::unique(touched_.begin(), touched_.end()), touched_.end());
      for (const uint32_t cell : touched_) accumulators_.numerator[cell] += 1;
    }
  }
}

void PersonPass::BuildSpells(uint64_t mask) {
  records_.clear();
  spell_of_.clear();
  spells_.clear();
  const BenefitColumns& benefits = shard_.benefits;
  // From the stretch of history holding the periods' first day on: every row before it ended
  // four weeks or more before the stretch began, so the spells of those rows end before any
  // period, and those from it on are the same as when built from the person's first row
  // (BenefitColumns::apart). A history of years is skipped for a table of recent months.
  const uint32_t first_row = benefits.ranges.First(person_);
  const uint32_t end_row = benefits.ranges.Last(person_);
  const DayNumber* const from_column = benefits.from.data();
  const DayNumber* const after =
      std::upper_bound(from_column + first_row, from_column + end_row, first_period_day_);
  const uint32_t start_row =
      after == from_column + first_row
          ? first_row
          : benefits.StretchStart(first_row, static_cast<uint32_t>(after - from_column) - 1);
  DayNumber latest_to = 0;
  for (uint32_t row = start_row; row < end_row; ++row) {
    if ((mask >> benefits.benefit[row] & 1) == 0) continue;
    const DayNumber from = benefits.from[row];
    const DayNumber to = benefits.to[row];
    if (spells_.empty() || from - latest_to - 1 >= kSpellGapDays) {
      spells_.push_back({from, to, row, row, false});
      latest_to = to;
    } else {
      SpellInfo& spell = spells_.back();
      if (to > spell.end || (to == spell.end && benefits.record_order[row] <
                                                    benefits.record_order[spell.end_record])) {
        spell.end = to;
        spell.end_record = row;
      }
      latest_to = std::max(latest_to, to);
    }
    records_.push_back(row);
    spell_of_.push_back(static_cast<uint32_t>(spells_.size() - 1));
  }
  const DayNumber cut_off = query_.release->cut_off_day;
  for (SpellInfo& spell : spells_) spell.ended = cut_off - spell.end >= kSpellGapDays;
}

void PersonPass::SetMatches(Statistic statistic, const Context& context) {
  matches_[0] = &query_.areas.Of(context.municipality);
  for (size_t index = 0; index < query_.breakdowns.size(); ++index) {
    const ResolvedBreakdown& breakdown = query_.breakdowns[index];
    if (override_[index] != nullptr) {
      matches_[index + 1] = override_[index];
      continue;
    }
    if (!BreakdownApplies(breakdown.kind, statistic)) {
      matches_[index + 1] = &breakdown.map.total_only;
      continue;
    }
    int value = -1;
    switch (breakdown.kind) {
      case BreakdownKind::kAge:
        value = context.age;
        break;
      case BreakdownKind::kSex:
        value = context.sex;
        break;
      case BreakdownKind::kOrigin:
        value = context.origin;
        break;
      case BreakdownKind::kEducation:
        value = context.education;
        break;
      case BreakdownKind::kDuration:
        value = context.duration_weeks;
        break;
      case BreakdownKind::kBenefit:
        value = context.benefit;
        break;
      case BreakdownKind::kVisitation:
        value = context.visitation;
        break;
      case BreakdownKind::kUnemploymentFund:
        value = context.fund;
        break;
      case BreakdownKind::kStatusAfter:
        value = context.state;
        break;
      case BreakdownKind::kOfferType:
      case BreakdownKind::kProvider:
      case BreakdownKind::kSurvivalWeek:
        break;  // always given by override_
    }
    matches_[index + 1] = &breakdown.map.Of(value);
    if (matches_[index + 1]->empty() && TakesBands(breakdown.kind))
      ++accumulators_.outside_bands[index];
  }
}

void PersonPass::Touch(size_t base) {
  ForEachCell(base, [&](size_t cell) { touched_.push_back(static_cast<uint32_t>(cell)); });
}

void PersonPass::Events(Statistic statistic, size_t measure) {
  switch (statistic) {
    case Statistic::kSpellsStarted:
    case Statistic::kPersonsStarted:
    case Statistic::kSurvival:
      SpellStarts(statistic, measure);
      break;
    case Statistic::kSpellsEnded:
    case Statistic::kDurationEnded:
    case Statistic::kStatusAfter:
      SpellEnds(statistic, measure);
      break;
    case Statistic::kPopulation:
    case Statistic::kShareOfPopulation:
      for (size_t index = 0; index < query_.periods.size(); ++index)
        Residents(statistic, BaseOf(measure, index), query_.periods[index].period);
      break;
    default:
      break;
  }
}

void PersonPass::Contributions(Statistic statistic, size_t measure) {
  const BenefitColumns& benefits = shard_.benefits;
  for (size_t index = 0; index < records_.size(); ++index) {
    const uint32_t record = records_[index];
    ForEachPeriod(benefits.from[record], benefits.to[record], [&](uint32_t period_index) {
      const Period& period = query_.periods[period_index].period;
      const DayNumber first = std::max(benefits.from[record], period.first_day);
      const DayNumber last = std::min(benefits.to[record], period.last_day);
      ContributionCells(statistic, BaseOf(measure, period_index), record, spell_of_[index], first,
                        last);
    });
  }
}

inline void PersonPass::ContributionCells(Statistic statistic, size_t base, uint32_t record,
                                          size_t spell, DayNumber first, DayNumber last) {
  const double degree = shard_.benefits.degree_millionths[record];
  const Context context = RecordContext(record, spell, last);
  auto& numerator = accumulators_.numerator;
  if (!IsActivation(statistic)) {
    SetMatches(statistic, context);
    if (statistic == Statistic::kPersons) {
      Touch(base);
    } else {  // fte, share_of_population: day-weighted degree
      const double weight = (last - first + 1) * degree;
      ForEachCell(base, [&](size_t cell) { numerator[cell] += weight; });
    }
    return;
  }
  for (const OfferCombination& combination : offer_combinations_) {
    const int64_t days = ActivatedDays(first, last, combination);
    if (days == 0) continue;
    for (size_t offer = 0; offer < offer_breakdowns_.size(); ++offer)
      override_[offer_breakdowns_[offer]] = &combination.categories[offer];
    SetMatches(statistic, context);
    if (statistic == Statistic::kActivatedPersons) {
      Touch(base);
    } else {
      const double weight = static_cast<double>(days) * degree;
      ForEachCell(base, [&](size_t cell) { numerator[cell] += weight; });
    }
  }
  if (statistic == Statistic::kActivationRate) {
    for (const size_t index : offer_breakdowns_) override_[index] = &all_categories_[index];
    SetMatches(statistic, context);
    const double weight = (last - first + 1) * degree;
    ForEachCell(base, [&](size_t cell) { accumulators_.denominator[cell] += weight; });
  }
  for (const size_t index : offer_breakdowns_) override_[index] = nullptr;
}

int64_t PersonPass::ActivatedDays(DayNumber first, DayNumber last,
                                  const OfferCombination& combination) const {
  const OfferColumns& offers = shard_.offers;
  return offers.DaysInOffers(person_, first, last, [&](uint32_t row) {
    return (combination.type_allowed.empty() || combination.type_allowed[offers.type[row]]) &&
           (combination.provider_allowed.empty() ||
            combination.provider_allowed[offers.provider[row]]);
  });
}

void PersonPass::DayCoverage(Statistic statistic, size_t measure, bool last_day) {
  const BenefitColumns& benefits = shard_.benefits;
  for (size_t index = 0; index < records_.size(); ++index) {
    const uint32_t record = records_[index];
    ForEachPeriod(benefits.from[record], benefits.to[record], [&](uint32_t period_index) {
      const Period& period = query_.periods[period_index].period;
      const DayNumber day = last_day ? period.last_day : period.first_day;
      if (day < benefits.from[record] || day > benefits.to[record]) return;
      SetMatches(statistic, RecordContext(record, spell_of_[index], day));
      Touch(BaseOf(measure, period_index));
    });
  }
}

int PersonPass::RecordCovering(DayNumber day) const {
  const BenefitColumns& benefits = shard_.benefits;
  for (size_t index = 0; index < records_.size(); ++index) {
    const uint32_t record = records_[index];
    if (benefits.from[record] > day) break;
    if (benefits.to[record] >= day) return static_cast<int>(index);
  }
  return -1;
}

}  // namespace jobindsigt::engine
