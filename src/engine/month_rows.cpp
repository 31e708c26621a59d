#include "engine/month_rows.h"

#include <algorithm>
#include <bit>
#include <limits>

namespace jobindsigt::engine {
namespace {

// Sorts `rows` (row numbers below `row_count`), made of ascending runs starting at `runs`
// (and ending at the next start or the end), dropping repeats when `unique`. Many rows (a
// quarter or a year of a large group) go through a bitmap of the shard's rows: one pass over
// row_count / 64 words. Fewer are merged run by run, pairwise: n × log(runs) steps in order
// instead of a comparison sort's n × log(n) jumps.
void SortRows(std::vector<uint32_t>& rows, std::vector<size_t>& runs, size_t row_count,
              bool unique) {
  if (rows.size() < row_count / 512) {
    thread_local std::vector<uint32_t> merged;
    std::vector<size_t> next_runs;
    while (runs.size() > 1) {
      merged.resize(rows.size());
      next_runs.clear();
      for (size_t run = 0; run < runs.size(); run += 2) {
        const size_t begin = runs[run];
        const size_t middle = run + 1 < runs.size() ? runs[run + 1] : rows.size();
        const size_t end = run + 2 < runs.size() ? runs[run + 2] : rows.size();
        std::merge(rows.begin() + static_cast<std::ptrdiff_t>(begin),
                   rows.begin() + static_cast<std::ptrdiff_t>(middle),
                   rows.begin() + static_cast<std::ptrdiff_t>(middle),
                   rows.begin() + static_cast<std::ptrdiff_t>(end),
                   merged.begin() + static_cast<std::ptrdiff_t>(begin));
        next_runs.push_back(begin);
      }
      rows.swap(merged);
      runs.swap(next_runs);
    }
    if (unique) rows.erase(std::unique(rows.begin(), rows.end()), rows.end());
    return;
  }
  thread_local std::vector<uint64_t> bits;
  bits.assign((row_count + 63) / 64, 0);
  for (const uint32_t row : rows) bits[row >> 6] |= uint64_t{1} << (row & 63);
  rows.clear();
  for (size_t word = 0; word < bits.size(); ++word) {
    for (uint64_t rest = bits[word]; rest != 0; rest &= rest - 1)
      rows.push_back(
          static_cast<uint32_t>(word * 64 + static_cast<size_t>(std::countr_zero(rest))));
  }
}

}  // namespace

PeriodMonths MonthsOfPeriods(const ResolvedQuery& query, const std::vector<uint32_t>& periods) {
  PeriodMonths months;
  if (periods.empty()) return months;
  months.first = std::numeric_limits<MonthIndex>::max();
  months.last = std::numeric_limits<MonthIndex>::min();
  for (const uint32_t index : periods) {
    months.first = std::min(months.first, query.periods[index].period.first_month());
    months.last = std::max(months.last, query.periods[index].period.last_month());
  }
  months.periods.resize(static_cast<size_t>(months.last - months.first) + 1);
  for (MonthIndex month = months.first; month <= months.last + 1; ++month)
    months.starts.push_back(FirstDayOfMonth(month));
  for (DayNumber day = months.starts.front(); day < months.starts.back(); ++day)
    months.packed.push_back(PackedDate(day));
  for (size_t month = 0; month + 1 < months.starts.size(); ++month)
    months.month_of.insert(months.month_of.end(),
                           static_cast<size_t>(months.starts[month + 1] - months.starts[month]),
                           static_cast<uint16_t>(month));
  months.starting.resize(months.periods.size());
  for (const uint32_t index : periods) {
    const Period& period = query.periods[index].period;
    months.starting[period.first_month() - months.first].push_back(index);
    for (MonthIndex month = period.first_month(); month <= period.last_month(); ++month)
      months.periods[month - months.first].push_back(index);
  }
  months.next_start.resize(months.periods.size());
  MonthIndex next = months.last + 1;
  for (MonthIndex month = months.last; month >= months.first; --month) {
    if (!months.starting[month - months.first].empty()) next = month;
    months.next_start[month - months.first] = next;
  }
  return months;
}

void GatherRows(const RecordMonthIndex& index, uint64_t mask, const PeriodMonths& months,
                const std::vector<size_t>& slots, bool beginning_only,
                const std::vector<DayNumber>& to, const std::vector<uint64_t>* only,
                const std::vector<uint64_t>* or_only, std::vector<uint32_t>& rows) {
  rows.clear();
  thread_local std::vector<size_t> sorted_runs;  // where each list's rows begin in `rows`
  sorted_runs.clear();
  size_t month_runs = 0;
  for (uint64_t rest = mask; rest != 0; rest &= rest - 1) {
    const int code = std::countr_zero(rest);
    bool in_run = false;
    for (MonthIndex month = months.first; month <= months.last; ++month) {
      if (months.Of(month).empty()) {
        in_run = false;
        continue;
      }
      month_runs += in_run ? 0 : 1;
      // One ascending run: its rows with `to` ≥ min_to (and one of the bits asked for).
      auto add = [&](std::span<const uint32_t> entries, DayNumber min_to) {
        if (entries.empty()) return;
        sorted_runs.push_back(rows.size());
        if (min_to != RecordMonthIndex::kAnyDay) {
          for (const uint32_t row : entries) {
            if (to[row] >= min_to &&
                (only == nullptr || ((*only)[row >> 6] >> (row & 63) & 1) != 0 ||
                 (or_only != nullptr && ((*or_only)[row >> 6] >> (row & 63) & 1) != 0)))
              rows.push_back(row);
          }
        } else if (only == nullptr) {
          rows.insert(rows.end(), entries.begin(), entries.end());
        } else {
          // Written without a branch: every entry is stored, and the end moves on past it
          // when its bit is set (the bits are sparse, so a branch per entry mispredicts).
          const size_t kept = rows.size();
          rows.resize(kept + entries.size());
          uint32_t* out = rows.data() + kept;
          const uint64_t* bits = only->data();
          const uint64_t* or_bits = or_only == nullptr ? nullptr : or_only->data();
          for (const uint32_t row : entries) {
            *out = row;
            uint64_t word = bits[row >> 6];
            if (or_bits != nullptr) word |= or_bits[row >> 6];
            out += (word >> (row & 63)) & 1;
          }
          rows.resize(static_cast<size_t>(out - rows.data()));
        }
        if (rows.size() == sorted_runs.back()) sorted_runs.pop_back();  // nothing kept
      };
      for (const size_t slot : slots) {
        const std::span<const uint32_t> beginning = index.RowsBeginning(code, month, slot);
        if (!in_run && !beginning_only)  // the rows carried into the run's first month too
          index.ForEachCarriedPart(code, month, slot, add);
        add(beginning, RecordMonthIndex::kAnyDay);
      }
      in_run = true;
    }
  }
  // A row has one code and one municipality: within one run of months no row comes twice.
  SortRows(rows, sorted_runs, to.size(),
           /*unique=*/!beginning_only && month_runs > static_cast<size_t>(std::popcount(mask)));
}

int StatusOfPersonIn(const Shard& shard, size_t person, MonthIndex month, uint32_t first_row) {
  const DayNumber month_first = FirstDayOfMonth(month);
  const DayNumber month_last = LastDayOfMonth(month);
  auto overlaps = [&](DayNumber from, DayNumber to) {
    return from <= month_last && to >= month_first;
  };
  const BenefitColumns& benefits = shard.benefits;
  for (uint32_t row = std::max(first_row, benefits.ranges.First(person));
       row < benefits.ranges.Last(person); ++row) {
    if (benefits.from[row] > month_last) break;  // sorted by from: none later overlaps
    if (overlaps(benefits.from[row], benefits.to[row]))
      return static_cast<int>(StatusAfterState::kBenefit);
  }
  // Ascending runs, apart: only the last beginning in or before the month can hold it.
  const MonthColumns& employment = shard.employment;
  const auto runs_begin = employment.first.begin() + employment.ranges.First(person);
  const auto runs_end = employment.first.begin() + employment.ranges.Last(person);
  const auto after = std::upper_bound(runs_begin, runs_end, month);
  if (after != runs_begin &&
      month <= employment.last[static_cast<size_t>(after - employment.first.begin()) - 1])
    return static_cast<int>(StatusAfterState::kEmployed);
  const IntervalColumns& education = shard.education;
  for (uint32_t row = education.ranges.First(person); row < education.ranges.Last(person); ++row) {
    if (overlaps(education.from[row], education.to[row]))
      return static_cast<int>(StatusAfterState::kEducation);
  }
  return static_cast<int>(StatusAfterState::kOther);
}

void GroupSpells::Build(const BenefitColumns& benefits, uint32_t person, uint32_t row,
                        uint64_t mask) {
  const uint32_t first = benefits.ranges.First(person);
  const uint32_t end = benefits.ranges.Last(person);
  begin_ = benefits.StretchStart(first, row);
  start_.assign(end - begin_, 0);
  flags_.assign(end - begin_, 0);
  bool open = false;
  DayNumber spell_start = 0;
  DayNumber latest_to = 0;
  uint32_t end_row = 0;
  for (uint32_t at = begin_; at < end; ++at) {
    const int code = CodeOf(benefits.benefit[at]);
    if (code < 0 || (mask >> code & 1) == 0) continue;
    const DayNumber from = benefits.from[at];
    const DayNumber to = benefits.to[at];
    if (!open || from - latest_to - 1 >= kSpellGapDays) {
      if (open) flags_[end_row - begin_] |= kEnd;
      open = true;
      spell_start = from;
      latest_to = to;
      end_row = at;
      flags_[at - begin_] |= kFirst;
    } else {
      // The latest `to`, the first by record id among rows ending that day.
      if (to > latest_to ||
          (to == latest_to && benefits.record_order[at] < benefits.record_order[end_row]))
        end_row = at;
      latest_to = std::max(latest_to, to);
    }
    start_[at - begin_] = spell_start;
  }
  if (open) flags_[end_row - begin_] |= kEnd;
}

}  // namespace jobindsigt::engine
