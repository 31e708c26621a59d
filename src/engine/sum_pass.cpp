// Full-time persons and expenditure from the release's sums by month, benefit code and
// municipality (MonthCodeSums, built at load time): both statistics are sums over rows, so a
// table of them by area, benefit and whole-month periods is the sum of the entries of its
// months, codes and municipalities, each matched to cells as the month pass and the payment
// pass match one row. docs/decisions/0008-engine-sums-by-month-code-municipality.md; by age
// over single months: decision 0013. Meetings due by area over whole months from the meeting
// sums (MeetingSums): decision 0014. Persons by area and age over single months, from the
// persons summed by the same months (person_sums.cpp): decision 0018.
#include <algorithm>
#include <array>
#include <atomic>
#include <limits>
#include <mutex>
#include <optional>
#include <span>
#include <thread>
#include <vector>

#include "engine/cell_odometer.h"
#include "engine/evaluator.h"
#include "engine/person_sums.h"

namespace jobindsigt::engine {
namespace {

// Adds a due-day meeting statistic of `measure` from the meeting sums: every breakdown is its
// total alone (SumPassMeasures admits no other), and each entry of a month whose codes meet
// the group counts in the areas of its municipality.
void AddMeetings(const ResolvedQuery& query, size_t measure, Accumulators& accumulators) {
  const MeetingSums& sums = query.release->meetings;
  const Statistic statistic = query.measures[measure].statistic;
  const uint64_t mask = query.measures[measure].benefit_mask;
  const size_t breakdown_count = query.breakdowns.size();
  std::array<const std::vector<uint16_t>*, 8> matches{};
  for (size_t index = 0; index < breakdown_count; ++index)
    matches[index + 1] = &query.breakdowns[index].map.total_only;
  const std::span<const std::vector<uint16_t>* const> active(matches.data(), breakdown_count + 1);
  const auto strides = std::span<const size_t>(query.stride).subspan(2);
  for (size_t period_index = 0; period_index < query.periods.size(); ++period_index) {
    const Period& period = query.periods[period_index].period;
    const size_t base = measure * query.stride[0] + period_index * query.stride[1];
    for (MonthIndex month = period.first_month(); month <= period.last_month(); ++month) {
      for (const MeetingSums::Entry& entry : sums.Of(month)) {
        if ((entry.codes & mask) == 0) continue;
        const std::vector<uint16_t>& areas = query.areas.Of(entry.municipality);
        if (areas.empty()) continue;
        matches[0] = &areas;
        const double count = statistic == Statistic::kNoShows          ? entry.no_shows
                             : statistic == Statistic::kMeetingsTimely ? entry.timely
                             : statistic == Statistic::kTimeliness     ? entry.timely
                                                                       : entry.due;
        const bool ratio = statistic == Statistic::kTimeliness;
        ForEachCellOf(base, active, strides, [&](size_t cell) {
          accumulators.numerator[cell] += count;
          if (ratio) accumulators.denominator[cell] += entry.due;
        });
      }
    }
  }
}

// The youngest and oldest age any row of `data` has in the months of `by_age`: the ages on the
// first and the last evaluation day of each row's months there bound all of its others.
std::pair<int, int> AgeRange(const ReleaseData& data, const MonthCodeSums::ByAge& by_age) {
  const MonthIndex last_month =
      by_age.first_month + static_cast<MonthIndex>(by_age.month_count) - 1;
  int youngest = std::numeric_limits<int>::max();
  int oldest = std::numeric_limits<int>::min();
  for (const Shard& shard : data.shards) {
    const BenefitColumns& benefits = shard.benefits;
    for (size_t row = 0; row < benefits.from.size(); ++row) {
      if (!benefits.Counted(row)) continue;
      const MonthIndex first = std::max(MonthOfDay(benefits.from[row]), by_age.first_month);
      const MonthIndex last = std::min(MonthOfDay(benefits.to[row]), last_month);
      if (first > last) continue;
      youngest = std::min(youngest, AgeInMonth(shard, row, first));
      oldest = std::max(oldest, AgeInMonth(shard, row, last));
    }
  }
  return {youngest, oldest};
}

// Adds one shard's rows to `sums` (laid out as MonthCodeSums says); `slot_of` maps a
// municipality value + 1 to its slot.
void AddShard(const Shard& shard, const std::vector<int>& slot_of, MonthCodeSums& sums) {
  const BenefitColumns& benefits = shard.benefits;
  MonthCodeSums::ByAge& by_age = sums.by_age;
  for (size_t row = 0; row < benefits.from.size(); ++row) {
    if (!benefits.Counted(row)) continue;
    const auto code = static_cast<size_t>(CodeOf(benefits.benefit[row]));
    const size_t slot = static_cast<size_t>(slot_of[benefits.municipality[row] + 1]);
    const int64_t degree = benefits.degree_millionths[row];
    const MonthIndex last = MonthOfDay(benefits.to[row]);
    for (MonthIndex month = MonthOfDay(benefits.from[row]); month <= last; ++month) {
      const DayNumber first_day = std::max(benefits.from[row], FirstDayOfMonth(month));
      const DayNumber last_day = std::min(benefits.to[row], LastDayOfMonth(month));
      const int64_t days = static_cast<int64_t>(last_day - first_day + 1) * degree;
      sums.fte_day_millionths[sums.Index(month, code, slot)] += days;
      if (!by_age.Covers(month)) continue;
      const size_t at = sums.AgeIndex(month, code, slot) +
                        static_cast<size_t>(AgeInMonth(shard, row, month) - by_age.first_age);
      by_age.fte_day_millionths[at] += days;
      ++by_age.contributions[at];
    }
  }
  const PaymentColumns& payments = shard.payments;
  for (size_t at = 0; at + 1 < payments.month_begin.size(); ++at) {
    const MonthIndex month = payments.first_month + static_cast<MonthIndex>(at);
    for (uint32_t row = payments.month_begin[at]; row < payments.month_begin[at + 1]; ++row) {
      const int code = CodeOf(payments.benefit[row]);
      if (code < 0) continue;  // in no benefit group
      const size_t index = sums.Index(month, static_cast<size_t>(code),
                                      static_cast<size_t>(slot_of[payments.municipality[row] + 1]));
      sums.gross_ore[index] += payments.gross_ore[row];
      sums.refund_ore[index] += payments.refund_ore[row];
    }
  }
}

// Whether every period of `query` is one calendar month that `by_age` holds: a row's age in
// a longer period is taken on the last day of its days in the whole period, not in each month.
bool AgeSumsHoldPeriods(const ResolvedQuery& query, const MonthCodeSums::ByAge& by_age) {
  for (const ResolvedPeriod& resolved : query.periods) {
    const Period& period = resolved.period;
    if (!period.WholeMonths() || period.first_month() != period.last_month() ||
        !by_age.Covers(period.first_month()))
      return false;
  }
  return true;
}

// Adds the full-time sums by age of one month and code, for each municipality, to the cells of
// their area and age classes (`matches` holds the other breakdowns' categories): each age
// class's sum is matched once, as the month pass matches its leaves. Contributions at an age
// in no band add to the hint, once per measure as the month pass counts them.
void AddByAge(const ResolvedQuery& query, size_t age_breakdown,
              const std::vector<int32_t>& class_of_age, MonthIndex month, size_t code, size_t base,
              std::array<const std::vector<uint16_t>*, 8>& matches, Accumulators& accumulators) {
  const MonthCodeSums& sums = query.release->sums;
  const CategoryMap& ages = query.breakdowns[age_breakdown].map;
  const std::span<const std::vector<uint16_t>* const> active(matches.data(),
                                                             query.breakdowns.size() + 1);
  const auto strides = std::span<const size_t>(query.stride).subspan(2);
  thread_local std::vector<int64_t> by_class;
  for (size_t slot = 0; slot < sums.slots(); ++slot) {
    const std::vector<uint16_t>& areas = query.areas.Of(sums.municipalities[slot]);
    if (areas.empty()) continue;  // rows the month pass does not gather
    by_class.assign(ages.class_count(), 0);
    const size_t first = sums.AgeIndex(month, code, slot);
    for (size_t age = 0; age < class_of_age.size(); ++age) {
      if (class_of_age[age] < 0) {
        accumulators.outside_bands[age_breakdown] += sums.by_age.contributions[first + age];
      } else {
        by_class[static_cast<size_t>(class_of_age[age])] +=
            sums.by_age.fte_day_millionths[first + age];
      }
    }
    matches[0] = &areas;
    for (size_t of = 0; of < by_class.size(); ++of) {
      if (by_class[of] == 0) continue;
      matches[age_breakdown + 1] = &ages.ClassList(static_cast<int32_t>(of));
      const auto value = static_cast<double>(by_class[of]);
      ForEachCellOf(base, active, strides,
                    [&](size_t cell) { accumulators.numerator[cell] += value; });
    }
  }
}

// An earlier measure of `measures` whose cells are `measure`'s from the sums: full-time
// persons or share_of_population's numerator both, of the same codes, with the same
// breakdowns applying (so matched to the same cells).
std::optional<size_t> SameSumsBefore(const ResolvedQuery& query,
                                     const std::vector<uint8_t>& measures, size_t measure) {
  auto fte_sums = [](Statistic statistic) {
    return statistic == Statistic::kFte || statistic == Statistic::kShareOfPopulation;
  };
  const ResolvedMeasure& later = query.measures[measure];
  if (!fte_sums(later.statistic)) return std::nullopt;
  for (size_t earlier = 0; earlier < measure; ++earlier) {
    const ResolvedMeasure& candidate = query.measures[earlier];
    if (measures[earlier] == 0 || !fte_sums(candidate.statistic) ||
        candidate.benefit_mask != later.benefit_mask)
      continue;
    const bool same_breakdowns = std::all_of(
        query.breakdowns.begin(), query.breakdowns.end(), [&](const ResolvedBreakdown& breakdown) {
          return BreakdownApplies(breakdown.kind, candidate.statistic) ==
                 BreakdownApplies(breakdown.kind, later.statistic);
        });
    if (same_breakdowns) return earlier;
  }
  return std::nullopt;
}

}  // namespace

MonthCodeSums SumByMonthCodeMunicipality(const ReleaseData& data, size_t code_count, int threads) {
  MonthCodeSums sums;
  sums.code_count = code_count;
  // The months and municipality values any row has.
  MonthIndex low = std::numeric_limits<MonthIndex>::max();
  MonthIndex high = std::numeric_limits<MonthIndex>::min();
  std::vector<int> slot_of(1, -1);  // by municipality value + 1
  auto see = [&](int municipality) {
    const int shifted = municipality + 1;  // -1 (none) → 0
    const auto value = static_cast<size_t>(shifted);
    if (value >= slot_of.size()) slot_of.resize(value + 1, -1);
    slot_of[value] = 0;
  };
  for (const Shard& shard : data.shards) {
    const RecordMonthIndex& index = shard.benefit_months;
    if (index.month_count > 0) {
      low = std::min(low, index.first_month);
      high = std::max(high, index.first_month + static_cast<MonthIndex>(index.month_count) - 1);
    }
    for (const int16_t municipality : index.municipalities) see(municipality);
    const PaymentColumns& payments = shard.payments;
    if (payments.month_begin.size() > 1) {
      low = std::min(low, payments.first_month);
      high = std::max(
          high, payments.first_month + static_cast<MonthIndex>(payments.month_begin.size()) - 2);
    }
    for (const int16_t municipality : payments.municipality) {
      const int shifted = municipality + 1;
      const auto value = static_cast<size_t>(shifted);
      if (value >= slot_of.size() || slot_of[value] < 0) see(municipality);
    }
  }
  if (low > high) return sums;
  for (size_t value = 0; value < slot_of.size(); ++value) {
    if (slot_of[value] < 0) continue;
    slot_of[value] = static_cast<int>(sums.municipalities.size());
    sums.municipalities.push_back(static_cast<int16_t>(static_cast<int>(value) - 1));
  }
  sums.first_month = low;
  sums.month_count = static_cast<size_t>(high - low) + 1;
  const size_t size = sums.month_count * code_count * sums.slots();
  MonthCodeSums::ByAge& by_age = sums.by_age;
  by_age.month_count = std::min(sums.month_count, MonthCodeSums::ByAge::kAgeMonths);
  by_age.first_month = high - static_cast<MonthIndex>(by_age.month_count) + 1;
  const auto [youngest, oldest] = AgeRange(data, by_age);
  if (youngest <= oldest) {
    by_age.first_age = youngest;
    by_age.age_count = static_cast<size_t>(oldest - youngest) + 1;
  } else {
    by_age.month_count = 0;  // no row in those months
  }
  const size_t age_size = by_age.month_count * code_count * sums.slots() * by_age.age_count;

  // Each worker sums whole shards into its own copy; the copies are added at the end.
  const int workers =
      std::clamp(threads, 1, static_cast<int>(std::max<size_t>(data.shards.size(), 1)));
  std::vector<MonthCodeSums> partial(static_cast<size_t>(workers), sums);
  std::vector<PersonSumsPart> person_parts(static_cast<size_t>(workers));
  for (size_t worker = 0; worker < partial.size(); ++worker) {
    MonthCodeSums& part = partial[worker];
    part.fte_day_millionths.assign(size, 0);
    part.gross_ore.assign(size, 0);
    part.refund_ore.assign(size, 0);
    part.by_age.fte_day_millionths.assign(age_size, 0);
    part.by_age.contributions.assign(age_size, 0);
    person_parts[worker].persons.assign(age_size, 0);
  }
  std::atomic<size_t> next{0};
  auto work = [&](size_t worker) {
    for (size_t shard = next++; shard < data.shards.size(); shard = next++) {
      AddShard(data.shards[shard], slot_of, partial[worker]);
      AddShardPersons(data.shards[shard], slot_of, sums, person_parts[worker]);
    }
  };
  {
    std::vector<std::jthread> others;
    for (size_t worker = 1; worker < partial.size(); ++worker) others.emplace_back(work, worker);
    work(0);
  }
  sums = std::move(partial[0]);
  for (size_t worker = 1; worker < partial.size(); ++worker) {
    for (size_t at = 0; at < size; ++at) {
      sums.fte_day_millionths[at] += partial[worker].fte_day_millionths[at];
      sums.gross_ore[at] += partial[worker].gross_ore[at];
      sums.refund_ore[at] += partial[worker].refund_ore[at];
    }
    for (size_t at = 0; at < age_size; ++at) {
      by_age.fte_day_millionths[at] += partial[worker].by_age.fte_day_millionths[at];
      by_age.contributions[at] += partial[worker].by_age.contributions[at];
    }
  }
  JoinPersonSums(person_parts, sums);
  return sums;
}

std::vector<uint8_t> SumPassMeasures(const ResolvedQuery& query, bool residents_by_table) {
  std::vector<uint8_t> measures(query.measures.size(), 0);
  if (query.breakdowns.size() + 1 > 8) return measures;
  bool whole_months = true;
  for (const ResolvedPeriod& period : query.periods)
    whole_months = whole_months && period.period.WholeMonths();
  for (size_t index = 0; index < query.measures.size(); ++index) {
    const Statistic statistic = query.measures[index].statistic;
    // Full-time persons as the month pass counts them (every period of whole months), and
    // expenditure (counted in whole-month periods only, whatever the others).
    const bool fte = statistic == Statistic::kFte ||
                     (statistic == Statistic::kShareOfPopulation && residents_by_table);
    if (IsDueDayMeetingStatistic(statistic)) {
      // Meetings due over whole months, by area alone: no breakdown may apply.
      bool by_sums = whole_months;
      for (const ResolvedBreakdown& breakdown : query.breakdowns)
        by_sums = by_sums && !BreakdownApplies(breakdown.kind, statistic);
      measures[index] = by_sums ? 1 : 0;
      continue;
    }
    if (statistic == Statistic::kPersons) {  // by area and age, over single months
      measures[index] = PersonsFromSums(query) ? 1 : 0;
      continue;
    }
    if (!(fte && whole_months) && !IsExpenditure(statistic)) continue;
    // By area and benefit only: each other breakdown must not apply (its total only); or
    // full-time persons by age too, over single months the sums by age hold.
    bool by_sums = true;
    for (const ResolvedBreakdown& breakdown : query.breakdowns) {
      const bool by_age = fte && breakdown.kind == BreakdownKind::kAge &&
                          AgeSumsHoldPeriods(query, query.release->sums.by_age);
      by_sums = by_sums && (breakdown.kind == BreakdownKind::kBenefit || by_age ||
                            !BreakdownApplies(breakdown.kind, statistic));
    }
    measures[index] = by_sums ? 1 : 0;
  }
  return measures;
}

void AddSums(const ResolvedQuery& query, const std::vector<uint8_t>& measures,
             Accumulators& accumulators) {
  const MonthCodeSums& sums = query.release->sums;
  const size_t breakdown_count = query.breakdowns.size();
  std::array<const std::vector<uint16_t>*, 8> matches{};
  const std::span<const std::vector<uint16_t>* const> active(matches.data(), breakdown_count + 1);
  const auto strides = std::span<const size_t>(query.stride).subspan(2);
  const MonthIndex cut_off_month = MonthOfDay(query.release->cut_off_day);
  auto& numerator = accumulators.numerator;
  // What each measure's sums added to the hint of values outside the bands (by breakdown).
  std::vector<std::vector<int64_t>> outside_added(query.measures.size());
  for (size_t measure = 0; measure < query.measures.size(); ++measure) {
    if (measures[measure] == 0) continue;
    const Statistic statistic = query.measures[measure].statistic;
    if (IsDueDayMeetingStatistic(statistic)) {
      AddMeetings(query, measure, accumulators);
      continue;
    }
    if (statistic == Statistic::kPersons) {
      AddPersonsFromSums(query, measure, accumulators);
      continue;
    }
    // Full-time persons and share_of_population's numerator of the same codes are the same
    // sums: the later takes the earlier's cells (its numerator holds the sums alone: no other
    // pass counts a measure the sums answer) instead of reading them again.
    if (const std::optional<size_t> twin = SameSumsBefore(query, measures, measure)) {
      const size_t cells = query.stride[0];
      for (size_t cell = 0; cell < cells; ++cell)
        numerator[measure * cells + cell] += numerator[*twin * cells + cell];
      for (size_t index = 0; index < outside_added[*twin].size(); ++index)
        accumulators.outside_bands[index] += outside_added[*twin][index];
      continue;
    }
    const std::vector<int64_t> outside_before = accumulators.outside_bands;
    const uint64_t mask = query.measures[measure].benefit_mask;
    // The age breakdown, when it applies (SumPassMeasures admits it over single months only),
    // and the class of each age the sums hold.
    std::optional<size_t> age_breakdown;
    for (size_t index = 0; index < breakdown_count; ++index) {
      if (query.breakdowns[index].kind == BreakdownKind::kAge &&
          BreakdownApplies(BreakdownKind::kAge, statistic))
        age_breakdown = index;
    }
    std::vector<int32_t> class_of_age;
    if (age_breakdown) {
      const CategoryMap& map = query.breakdowns[*age_breakdown].map;
      for (size_t age = 0; age < sums.by_age.age_count; ++age)
        class_of_age.push_back(map.ClassOf(sums.by_age.first_age + static_cast<int>(age)));
    }
    for (size_t period_index = 0; period_index < query.periods.size(); ++period_index) {
      const Period& period = query.periods[period_index].period;
      if (!period.WholeMonths()) continue;  // expenditure counts in whole months only
      const size_t base = measure * query.stride[0] + period_index * query.stride[1];
      for (MonthIndex month = period.first_month(); month <= period.last_month(); ++month) {
        // Payments after the cut-off month are not counted (PersonPass::PaymentRow).
        if (!sums.Covers(month) || (IsExpenditure(statistic) && month > cut_off_month)) continue;
        for (uint64_t rest = mask; rest != 0; rest &= rest - 1) {
          const auto code = static_cast<size_t>(std::countr_zero(rest));
          if (code >= sums.code_count) continue;
          for (size_t index = 0; index < breakdown_count; ++index) {
            const ResolvedBreakdown& breakdown = query.breakdowns[index];
            matches[index + 1] = breakdown.kind == BreakdownKind::kBenefit &&
                                         BreakdownApplies(breakdown.kind, statistic)
                                     ? &breakdown.map.Of(CodeOf(static_cast<int8_t>(code)))
                                     : &breakdown.map.total_only;
          }
          if (age_breakdown) {
            AddByAge(query, *age_breakdown, class_of_age, month, code, base, matches, accumulators);
            continue;
          }
          for (size_t slot = 0; slot < sums.slots(); ++slot) {
            const size_t at = sums.Index(month, code, slot);
            const int64_t value = statistic == Statistic::kExpenditureGross ? sums.gross_ore[at]
                                  : statistic == Statistic::kExpenditureNet
                                      ? sums.gross_ore[at] - sums.refund_ore[at]
                                      : sums.fte_day_millionths[at];
            if (value == 0) continue;
            matches[0] = &query.areas.Of(sums.municipalities[slot]);
            ForEachCellOf(base, active, strides,
                          [&](size_t cell) { numerator[cell] += static_cast<double>(value); });
          }
        }
      }
    }
    outside_added[measure] = accumulators.outside_bands;
    for (size_t index = 0; index < outside_before.size(); ++index)
      outside_added[measure][index] -= outside_before[index];
  }
}

}  // namespace jobindsigt::engine
