#include "engine/month_rows.h"

#include <algorithm>
#include <bit>
#include <limits>

namespace jobindsigt::engine {
namespace {

// Sorts `rows`, made of ascending runs starting at `runs` (and ending at the next start or
// the end), dropping repeats when `unique`: merged run by run, pairwise, n × log(runs) steps
// in order instead of a comparison sort's n × log(n) jumps. (For few rows: many go through a
// bitmap of the shard's rows, GatherRows.)
void MergeRuns(std::vector<uint32_t>& rows, std::vector<size_t>& runs, bool unique) {
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
}

// Consecutive covered slots, first … last.
struct SlotRange {
  size_t first;
  size_t last;
};

// Calls part(entries, min_to) for each part of the index holding rows GatherRows gathers: for
// each code and run of consecutive months a … b, the rows carried into a (their `to` ≥ min_to)
// and those beginning in a … b, of every covered slot. Each part is ascending, unless
// `kJoined`: then the rows beginning in a month that lists no carried rows come as one part
// per range of consecutive slots (each slot's ascending, one after another: adjacent in the
// index), where a part per slot cost a call per slot and month (98 × 24 × codes a shard for
// a region table of two years).
template <bool kJoined, typename Part>
void ForEachPart(const RecordMonthIndex& index, uint64_t mask, const PeriodMonths& months,
                 const std::vector<size_t>& slots, std::span<const SlotRange> ranges,
                 bool beginning_only, Part part) {
  for (uint64_t rest = mask; rest != 0; rest &= rest - 1) {
    const int code = std::countr_zero(rest);
    bool in_run = false;
    for (MonthIndex month = months.first; month <= months.last; ++month) {
      if (months.Of(month).empty()) {
        in_run = false;
        continue;
      }
      if (!in_run && !beginning_only) {  // the rows carried into the run's first month
        for (const size_t slot : slots) index.ForEachCarriedPart(code, month, slot, part);
      }
      if (kJoined && !index.ListsCarried(month)) {
        for (const SlotRange& range : ranges)
          part(index.RowsBeginningInSlots(code, month, range.first, range.last),
               RecordMonthIndex::kAnyDay);
      } else {
        for (const size_t slot : slots)
          part(index.RowsBeginning(code, month, slot), RecordMonthIndex::kAnyDay);
      }
      in_run = true;
    }
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
  thread_local std::vector<SlotRange> ranges;
  ranges.clear();
  for (const size_t slot : slots) {
    if (!ranges.empty() && ranges.back().last + 1 == slot) {
      ranges.back().last = slot;
    } else {
      ranges.push_back({slot, slot});
    }
  }
  // How many entries the parts hold (before `to` and the bits are read): an upper bound of
  // the rows, from the index's offsets alone.
  size_t entries = 0;
  ForEachPart<true>(index, mask, months, slots, ranges, beginning_only,
                    [&](std::span<const uint32_t> part, DayNumber) { entries += part.size(); });
  const size_t row_count = to.size();

  if (entries >= row_count / 512) {
    // Many rows (a quarter or a year of a large group, or every area): each entry sets its
    // row's bit in a bitmap of the shard's rows, the bits asked for are kept word by word,
    // and the rows come out ascending and once, in one pass over row_count / 64 words.
    // The carried rows are all taken, their `to` unread (a look-up far away per row, 40 % of
    // this gathering for a region table of two years): those that ended before the run's
    // first month are few, and the visit passes over them (it reads `to` anyway).
    thread_local std::vector<uint64_t> bitmap;
    bitmap.assign((row_count + 63) / 64, 0);
    uint64_t* const words = bitmap.data();
    ForEachPart<true>(index, mask, months, slots, ranges, beginning_only,
                      [&](std::span<const uint32_t> part, DayNumber) {
                        for (const uint32_t row : part)
                          words[row >> 6] |= uint64_t{1} << (row & 63);
                      });
    const size_t word_count = bitmap.size();
    if (only != nullptr) {
      const uint64_t* const kept = only->data();
      const uint64_t* const or_kept = or_only == nullptr ? nullptr : or_only->data();
      for (size_t word = 0; word < word_count; ++word)
        words[word] &= kept[word] | (or_kept == nullptr ? 0 : or_kept[word]);
    }
    rows.resize(entries);  // each row set is an entry's
    uint32_t* out = rows.data();
    for (size_t word = 0; word < word_count; ++word) {
      for (uint64_t rest = words[word]; rest != 0; rest &= rest - 1)
        *out++ = static_cast<uint32_t>(word * 64 + static_cast<size_t>(std::countr_zero(rest)));
    }
    rows.resize(static_cast<size_t>(out - rows.data()));
    return;
  }

  // Few rows: each part is an ascending run, merged (MergeRuns). Within one run of months no
  // row comes twice (a row has one code and one municipality); over several, a row may.
  thread_local std::vector<size_t> sorted_runs;  // where each part's rows begin in `rows`
  sorted_runs.clear();
  // One ascending part: its rows with `to` ≥ min_to and one of the bits asked for.
  auto add = [&](std::span<const uint32_t> part, DayNumber min_to) {
    const size_t kept = rows.size();
    for (const uint32_t row : part) {
      if (min_to != RecordMonthIndex::kAnyDay && to[row] < min_to) continue;
      if (only != nullptr && ((*only)[row >> 6] >> (row & 63) & 1) == 0 &&
          (or_only == nullptr || ((*or_only)[row >> 6] >> (row & 63) & 1) == 0))
        continue;
      rows.push_back(row);
    }
    if (rows.size() > kept) sorted_runs.push_back(kept);
  };
  ForEachPart<false>(index, mask, months, slots, ranges, beginning_only, add);
  size_t month_runs = 0;
  bool in_run = false;
  for (MonthIndex month = months.first; month <= months.last; ++month) {
    month_runs += !months.Of(month).empty() && !in_run ? 1 : 0;
    in_run = !months.Of(month).empty();
  }
  MergeRuns(rows, sorted_runs, /*unique=*/!beginning_only && month_runs > 1);
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
  const uint32_t end = benefits.ranges.Last(person);
  begin_ = benefits.StretchStart(benefits.ranges.First(person), row);
  start_.assign(end - begin_, 0);
  flags_.assign(end - begin_, 0);
  ForEachGroupSpell(
      benefits, begin_, end, mask,
      [&](uint32_t at, DayNumber spell_start) { start_[at - begin_] = spell_start; },
      [&](uint32_t at) { flags_[at - begin_] |= kFirst; },
      [&](uint32_t at) { flags_[at - begin_] |= kEnd; });
}

}  // namespace jobindsigt::engine
