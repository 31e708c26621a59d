// The person pass for statistics of events rather than days: spells starting and ending,
// meetings, payments and residents (person_pass.h).
#include <algorithm>
#include <optional>

#include "engine/month_rows.h"
#include "engine/person_pass.h"

namespace jobindsigt::engine {
namespace {

const std::vector<uint16_t> kFirstCategory = {0};

}  // namespace

void PersonPass::SpellStarts(Statistic statistic, size_t measure) {
  const DayNumber cut_off = query_.release->cut_off_day;
  auto& numerator = accumulators_.numerator;
  for (size_t spell = 0; spell < spells_.size(); ++spell) {
    const SpellInfo& info = spells_[spell];
    bool matched = false;
    ForEachPeriod(info.start, info.start, [&](uint32_t period_index) {
      if (!matched) {  // the same cells in every period holding the day
        if (survival_breakdown_ >= 0) override_[survival_breakdown_] = &kFirstCategory;
        SetMatches(statistic, RecordContext(info.first_record, spell, info.start));
        if (survival_breakdown_ >= 0) override_[survival_breakdown_] = nullptr;
        matched = true;
      }
      const size_t base = BaseOf(measure, period_index);
      if (statistic == Statistic::kSpellsStarted) {
        ForEachCell(base, [&](size_t cell) { numerator[cell] += 1; });
      } else if (statistic == Statistic::kPersonsStarted) {
        Touch(base);
      } else {  // survival: whole weeks on G, censored when the spell is still going
        const DayNumber until = info.ended ? info.end : cut_off;
        const int weeks = (until - info.start + 1) / 7;
        const size_t last_slot = query_.breakdowns[survival_breakdown_].weeks.back();
        const size_t slot = std::min<size_t>(weeks, last_slot);
        ForEachCell(base, [&](size_t cell) {
          SurvivalCounts& counts = accumulators_.survival[cell];
          if (counts.ended.empty()) {
            counts.ended.assign(last_slot + 1, 0);
            counts.censored.assign(last_slot + 1, 0);
          }
          ++(info.ended ? counts.ended : counts.censored)[slot];
        });
      }
    });
  }
}

void PersonPass::SpellEnds(Statistic statistic, size_t measure) {
  auto& numerator = accumulators_.numerator;
  for (size_t spell = 0; spell < spells_.size(); ++spell) {
    const SpellInfo& info = spells_[spell];
    if (!info.ended) continue;
    bool matched = false;
    bool left_out = false;  // status_after: the month after is beyond the cut-off
    ForEachPeriod(info.end, info.end, [&](uint32_t period_index) {
      if (!matched) {  // the same cells in every period holding the day
        Context context = RecordContext(info.end_record, spell, info.end);
        if (statistic == Statistic::kStatusAfter) {
          const MonthIndex month =
              MonthOfDay(info.end) + query_.breakdowns[status_breakdown_].months;
          left_out = month > cut_off_month_;
          if (left_out) {
            override_[status_breakdown_] = &kFirstCategory;
          } else {
            context.state = StatusInMonth(month);
          }
        }
        SetMatches(statistic, context);
        if (statistic == Statistic::kStatusAfter) override_[status_breakdown_] = nullptr;
        matched = true;
      }
      const size_t base = BaseOf(measure, period_index);
      if (statistic == Statistic::kDurationEnded) {
        // Days, not weeks: whole numbers add up exactly in any order, so the answer does not
        // depend on how the persons were split between threads (weeks = days / 7 at the end).
        const double days = info.end - info.start + 1;
        ForEachCell(base, [&](size_t cell) {
          numerator[cell] += days;
          accumulators_.denominator[cell] += 1;
        });
      } else if (left_out) {
        ForEachCell(base, [&](size_t cell) { ++accumulators_.left_out[cell]; });
      } else {  // spells_ended, status_after
        ForEachCell(base, [&](size_t cell) { numerator[cell] += 1; });
      }
    });
  }
}

int PersonPass::StatusInMonth(MonthIndex month) const {
  return StatusOfPersonIn(shard_, person_, month);
}

void PersonPass::Meetings(std::span<const size_t> measures) {
  const MeetingColumns& meetings = shard_.meetings;
  const DayNumber cut_off = query_.release->cut_off_day;
  auto& numerator = accumulators_.numerator;
  const bool on_held_day = query_.measures[measures.front()].statistic == Statistic::kMeetingsHeld;
  // A person's meetings are sorted by due day: a statistic counted on the due day looks only
  // at those due within the periods. A meeting may be held long before or after it is due, so
  // meetings_held looks at them all.
  uint32_t begin = meetings.ranges.First(person_);
  uint32_t end = meetings.ranges.Last(person_);
  if (!on_held_day) {
    const DayNumber* const due_column = meetings.due.data();
    begin = static_cast<uint32_t>(
        std::lower_bound(due_column + begin, due_column + end, first_period_day_) - due_column);
    end = static_cast<uint32_t>(
        std::upper_bound(due_column + begin, due_column + end, last_period_day_) - due_column);
  }
  for (uint32_t row = begin; row < end; ++row) {
    const DayNumber due = meetings.due[row];
    const DayNumber held = meetings.held[row];
    const DayNumber day = on_held_day ? held : due;
    if (day == kNoDay || day > cut_off) continue;
    const bool timely = held != kNoDay && held <= due;
    const bool no_show = meetings.outcome[row] == kNoShow;
    bool looked = false;
    std::optional<Context> context;  // of the record covering the day, if any
    ForEachPeriod(day, day, [&](uint32_t period_index) {
      if (!looked) {  // the same record and cells in every period holding the day
        looked = true;
        const int covering = RecordCovering(day);
        if (covering < 0) return;
        context = RecordContext(records_[covering], spell_of_[covering], day);
        context->municipality = meetings.municipality[row];
      }
      if (!context) return;
      for (const size_t measure : measures) {
        const Statistic statistic = query_.measures[measure].statistic;
        if (statistic == Statistic::kNoShows && !no_show) continue;
        if (statistic == Statistic::kMeetingsTimely && !timely) continue;
        SetMatches(statistic, *context);
        const size_t base = BaseOf(measure, period_index);
        if (statistic == Statistic::kTimeliness) {
          ForEachCell(base, [&](size_t cell) {
            numerator[cell] += timely ? 1 : 0;
            accumulators_.denominator[cell] += 1;
          });
        } else {
          ForEachCell(base, [&](size_t cell) { numerator[cell] += 1; });
        }
      }
    });
  }
}

void PersonPass::PaymentRow(size_t person, size_t measure, MonthIndex month, uint32_t row) {
  person_ = person;
  const PaymentColumns& payments = shard_.payments;
  const Statistic statistic = query_.measures[measure].statistic;
  const uint64_t mask = query_.measures[measure].benefit_mask;
  auto& numerator = accumulators_.numerator;
  if (month > cut_off_month_ || (mask >> payments.benefit[row] & 1) == 0) return;
  const DayNumber month_first = FirstDayOfMonth(month);
  const DayNumber month_last = LastDayOfMonth(month);
  Context context = PersonContext(month_last);
  context.municipality = payments.municipality[row];
  context.benefit = CodeOf(payments.benefit[row]);
  const double amount = static_cast<double>(statistic == Statistic::kExpenditureNet
                                                ? payments.gross_ore[row] - payments.refund_ore[row]
                                                : payments.gross_ore[row]);
  bool matched = false;
  ForEachPeriod(month_first, month_last, [&](uint32_t period_index) {
    const Period& period = query_.periods[period_index].period;
    // Whole months only: a month counts in the periods of whole months that hold it.
    if (!period.WholeMonths() || month_first < period.first_day || month_last > period.last_day)
      return;
    if (!matched) SetMatches(statistic, context);
    matched = true;
    ForEachCell(BaseOf(measure, period_index), [&](size_t cell) { numerator[cell] += amount; });
  });
}

void PersonPass::Residents(Statistic statistic, size_t base, const Period& period) {
  const ResidenceColumns& residence = shard_.residence;
  const DayNumber day = period.last_day;  // the contract's day, even past the cut-off
  int municipality = -1;
  for (uint32_t row = residence.ranges.First(person_); row < residence.ranges.Last(person_);
       ++row) {
    if (residence.from[row] > day) break;
    municipality = residence.municipality[row];
  }
  if (municipality <= 0) return;  // never lived here yet, or abroad
  Context context = PersonContext(day);
  if (context.age < 16 || context.age > 66) return;
  context.municipality = municipality;
  SetMatches(statistic, context);
  auto& target =
      statistic == Statistic::kPopulation ? accumulators_.numerator : accumulators_.denominator;
  ForEachCell(base, [&](size_t cell) { target[cell] += 1; });
}

}  // namespace jobindsigt::engine
