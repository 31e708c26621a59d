#pragma once
// A release as the engine holds it in memory: per person shard, the persons and their
// records of every source the statistics need, person-sorted, as plain arrays. Codes are
// indexes into the catalogue's code lists (-1 = empty), dates are day numbers with open ends
// clamped to the cut-off day. Each source has per-person offsets (CSR), so a person's records
// are one contiguous range.

#include <algorithm>
#include <bit>
#include <cassert>
#include <cstdint>
#include <limits>
#include <memory>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "catalog/code_lists.h"
#include "common/date.h"
#include "store/store.h"

namespace jobindsigt::engine {

// Per-person ranges into a record array: person p's records are [begin[p], begin[p+1]).
struct PersonRanges {
  std::vector<uint32_t> begin;
  uint32_t First(size_t person) const { return begin[person]; }
  uint32_t Last(size_t person) const { return begin[person + 1]; }
};

struct PersonColumns {
  std::vector<int64_t> id;
  std::vector<DayNumber> birth_day;
  std::vector<int32_t> birth_packed;  // YYYYMMDD, for ages (PackedDate)
  std::vector<int8_t> sex;            // index in code list "sex"
  std::vector<int8_t> origin;         // index in "origin"
  std::vector<int8_t> education;      // index in "education"
  size_t size() const { return id.size(); }
};

// The first row at or after `from` and before `end` with its bit set in `bits` (a bit per
// row), or `end` when there is none.
inline uint32_t NextBit(const std::vector<uint64_t>& bits, uint32_t from, uint32_t end) {
  if (from >= end) return end;
  size_t word = from >> 6;
  uint64_t rest = bits[word] & (~uint64_t{0} << (from & 63));
  const size_t last_word = (end - 1) >> 6;
  while (rest == 0 && word < last_word) rest = bits[++word];
  if (rest == 0) return end;
  const auto found = static_cast<uint32_t>(word * 64 + static_cast<size_t>(std::countr_zero(rest)));
  return std::min(found, end);
}

// The last row at or before `row` and at or after `first` with its bit set in `bits`, or
// `first` when there is none.
inline uint32_t PreviousBit(const std::vector<uint64_t>& bits, uint32_t first, uint32_t row) {
  size_t word = row >> 6;
  uint64_t rest = bits[word] & (~uint64_t{0} >> (63 - (row & 63)));
  while (rest == 0 && word > (first >> 6)) rest = bits[--word];
  if (rest == 0) return first;
  const auto found =
      static_cast<uint32_t>(word * 64 + 63 - static_cast<size_t>(std::countl_zero(rest)));
  return std::max(found, first);
}

// The spells of one benefit group of several codes over every person's whole history: a bit
// per row for each spell's first record and one for its end record (as GroupSpells finds
// them per query, from the same rule: ForEachGroupSpell). A spell's rows are consecutive among
// its person's rows of the group, and its first record is the first of them, so a row's spell
// begins at the last first record at or before it, and the spell a first record begins ends
// at the next end record (docs/decisions/0017-engine-group-spells-at-load.md).
struct GroupSpellBits {
  uint64_t mask = 0;  // the group's codes
  std::vector<uint64_t> first;
  std::vector<uint64_t> end;
  bool First(uint32_t row) const { return (first[row >> 6] >> (row & 63) & 1) != 0; }
  bool End(uint32_t row) const { return (end[row >> 6] >> (row & 63) & 1) != 0; }
  // The first record of the spell holding `row`, a row of the group.
  uint32_t FirstRecordOf(uint32_t row) const { return PreviousBit(first, 0, row); }
  // The end record of the spell whose first record is `row`.
  uint32_t EndRecordFrom(uint32_t row) const {
    return NextBit(end, row, static_cast<uint32_t>(end.size() * 64));
  }
};

// Benefit records sorted by person, from, record id.
struct BenefitColumns {
  PersonRanges ranges;
  std::vector<uint16_t> record_order;  // the row's place among its person's record ids
  std::vector<int8_t> benefit;         // index in "benefit"
  std::vector<int16_t> municipality;
  std::vector<DayNumber> from;
  std::vector<DayNumber> to;               // clamped to the cut-off day
  std::vector<int32_t> degree_millionths;  // fixed point: sums are exact and order-free
  std::vector<int8_t> visitation;          // -1 = none
  std::vector<int8_t> fund;                // -1 = none
  // The rows that count at all: a day or more, and a code. The month index, the runs and the
  // person sums hold only these.
  bool Counted(size_t row) const { return to[row] >= from[row] && benefit[row] >= 0; }
  // Derived at load time (release_data.cpp), for the month-by-month evaluation:
  std::vector<uint32_t> person;            // the row's person (rows are person-sorted)
  std::vector<DayNumber> own_spell_start;  // first day of the row's spell among the
                                           // person's rows of the same benefit code
  // A bit per row: the row begins a stretch of its person's history four weeks or more after
  // every earlier row of theirs has ended (or is their first). No spell of any benefit group
  // crosses such a row, so a person's spells from it on are built from it alone
  // (PersonPass::BuildSpells skips the history before the periods).
  std::vector<uint64_t> apart;
  bool Apart(uint32_t row) const { return (apart[row >> 6] >> (row & 63) & 1) != 0; }
  // A bit per row: the row is the first record of its own-code spell (the first by from and
  // record id), and the row is the spell's end record (its latest `to`, the first by record
  // id among rows ending that day): PersonPass::BuildSpells's first_record and end_record for
  // a group of one code. The month pass counts spells starting and ending from these.
  std::vector<uint64_t> spell_first;
  std::vector<uint64_t> spell_end;
  bool SpellFirst(uint32_t row) const { return (spell_first[row >> 6] >> (row & 63) & 1) != 0; }
  bool SpellEnd(uint32_t row) const { return (spell_end[row >> 6] >> (row & 63) & 1) != 0; }
  // The last row at or before `row` (and at or after `first`, the person's first) with its
  // bit set: the start of the stretch holding `row`.
  uint32_t StretchStart(uint32_t first, uint32_t row) const;
  // The spells of each catalogue benefit group of several codes (sickness, the cash-benefit
  // area, …), found at load time (IndexShard); nullptr for another set of codes.
  std::vector<GroupSpellBits> group_spells;
  const GroupSpellBits* GroupSpellsOf(uint64_t mask) const {
    for (const GroupSpellBits& bits : group_spells) {
      if (bits.mask == mask) return &bits;
    }
    return nullptr;
  }
};

struct OfferColumns {
  PersonRanges ranges;
  std::vector<DayNumber> from;
  std::vector<DayNumber> to;
  std::vector<int8_t> type;       // index in "offer_type"
  std::vector<int16_t> provider;  // index in "provider"

  // The days of first … last on which `person` is in an offer that `admits` (called with the
  // offer's row), each day once however many offers hold it (docs/measures.md, activation).
  template <typename Admits>
  int64_t DaysInOffers(uint32_t person, DayNumber first, DayNumber last, Admits admits) const {
    int64_t days = 0;
    DayNumber covered_to = first - 1;  // sorted by from: the union is merged as it comes
    for (uint32_t row = ranges.First(person); row < ranges.Last(person); ++row) {
      if (from[row] > last) break;
      if (!admits(row)) continue;
      const DayNumber start = std::max(from[row], covered_to + 1);
      const DayNumber end = std::min(to[row], last);
      if (start > end) continue;
      days += end - start + 1;
      covered_to = end;
    }
    return days;
  }
};

// Meetings sorted by person, then due day (a table of recent months looks at a person's
// recent meetings only).
struct MeetingColumns {
  PersonRanges ranges;
  std::vector<int16_t> municipality;
  std::vector<DayNumber> due;
  std::vector<DayNumber> held;  // kNoDay when not held
  std::vector<int8_t> outcome;  // MeetingOutcome
};

enum MeetingOutcome : int8_t { kHeld = 0, kNoShow = 1, kCancelled = 2 };

// Whole amounts held in 32 bits, the rare one that does not fit kept aside: a payment
// column is a few hundred million rows at `full`, and 64 bits a row doubled it.
class NarrowAmounts {
 public:
  static constexpr int32_t kWide = std::numeric_limits<int32_t>::min();  // look in wide_

  explicit NarrowAmounts(const std::vector<int64_t>& values = {});
  int64_t operator[](size_t row) const {
    const int32_t value = narrow_[row];
    return value != kWide ? value : Wide(row);
  }
  const int32_t* data() const { return narrow_.data(); }  // for prefetching
  size_t size() const { return narrow_.size(); }
  size_t bytes() const;  // held in memory
  // Puts the amounts in a new order: rows[new place] = old place.
  void Reorder(const std::vector<uint32_t>& rows);

 private:
  int64_t Wide(size_t row) const;
  std::vector<int32_t> narrow_;
  std::vector<std::pair<uint32_t, int64_t>> wide_;  // by row
};

// Payments month by month: the rows of each calendar month together, in person order within
// the month. Expenditure is asked for by month and visits the rows of its months only, in
// memory order; the month is the row's place, not a column, and no index by month or by person
// is needed (docs/decisions/0006-engine-payments-by-month.md).
struct PaymentColumns {
  MonthIndex first_month = 0;
  std::vector<uint32_t> month_begin;  // by month − first_month; one more at the end
  std::vector<uint32_t> person;       // the row's person (index in the shard)
  std::vector<int8_t> benefit;
  std::vector<int16_t> municipality;
  NarrowAmounts gross_ore;  // in øre (1/100 DKK): sums are exact and order-free
  NarrowAmounts refund_ore;

  size_t size() const { return person.size(); }
  // The rows of `month`: [first, second).
  std::pair<uint32_t, uint32_t> RowsOf(MonthIndex month) const {
    if (month_begin.empty() || month < first_month ||
        static_cast<size_t>(month - first_month) + 1 >= month_begin.size())
      return {0, 0};
    const size_t at = static_cast<size_t>(month - first_month);
    return {month_begin[at], month_begin[at + 1]};
  }
};

// Employment: the months with paid hours, held as runs of consecutive months (a person's
// employment is mostly long runs: a twentieth of the rows of one entry per month).
struct MonthColumns {
  PersonRanges ranges;  // over the runs, ascending and apart by at least one month
  std::vector<MonthIndex> first;
  std::vector<MonthIndex> last;
};

struct IntervalColumns {  // education enrolments
  PersonRanges ranges;
  std::vector<DayNumber> from;
  std::vector<DayNumber> to;  // clamped to the cut-off day
};

struct ResidenceColumns {  // moves, sorted by from
  PersonRanges ranges;
  std::vector<DayNumber> from;
  std::vector<int16_t> municipality;  // 0 = abroad
};

// For each benefit code, month and municipality, the benefit rows of that code and
// municipality beginning in the month: a statistic counted month by month visits only the
// rows of its months and areas (month_pass.h). An entry is a row number. Every
// kCarriedEvery-th month (from first_month) the list also holds, before those, the rows
// carried into it (begun in an earlier month, overlapping it); each part is ascending (so in
// person order). The rows overlapping a run of months a … b are those carried into a
// (ForEachCarriedPart) and the rows beginning in a … b, each row once. Listing the carried
// rows every month held each row once per month it lasts (1.1 GB at `full`).
struct RecordMonthIndex {
  static constexpr MonthIndex kCarriedEvery = 4;

  MonthIndex first_month = 0;
  size_t month_count = 0;
  std::vector<int16_t> municipalities;  // slot → municipality value of the rows (-1 = none)
  // [code]: offsets by (month - first_month) × slots + slot, one more at the end.
  std::vector<std::vector<uint32_t>> begin;
  // [code]: by (month - first_month) × slots + slot, the offset of the rows beginning that month.
  std::vector<std::vector<uint32_t>> beginning;
  std::vector<std::vector<uint32_t>> rows;  // [code]: entries

  size_t slots() const { return municipalities.size(); }
  // Marks in `flags` the person (`row_person`) of every row of a code in `mask` overlapping
  // any of the months first … last: the persons a query's person pass visits. `row_to`, the
  // rows' last days, picks the rows carried into `first` (ForEachCarriedPart).
  void MarkPersons(uint64_t mask, MonthIndex first, MonthIndex last,
                   const std::vector<uint32_t>& row_person, const std::vector<DayNumber>& row_to,
                   std::vector<uint8_t>& flags) const;
  // Calls part(rows, min_to) for ascending parts, apart, whose rows with `to` ≥ min_to are
  // the rows carried into `month` (min_to = kAnyDay: every row of the part): the carried
  // rows listed at the latest month listing them, and the rows beginning from then on,
  // before `month`.
  static constexpr DayNumber kAnyDay = std::numeric_limits<DayNumber>::min();
  template <typename Part>
  void ForEachCarriedPart(int code, MonthIndex month, size_t slot, Part part) const {
    if (ListIndex(code, month, slot) == kNoList) return;
    const MonthIndex listing = month - (month - first_month) % kCarriedEvery;
    const DayNumber min_to = listing == month ? kAnyDay : FirstDayOfMonth(month);
    const size_t at = ListIndex(code, listing, slot);
    part(Entries(code, begin[code][at], beginning[code][at]), min_to);
    for (MonthIndex earlier = listing; earlier < month; ++earlier) {
      const size_t list = ListIndex(code, earlier, slot);
      part(Entries(code, beginning[code][list], begin[code][list + 1]), min_to);
    }
  }
  // The rows beginning in `month` (their first day falls in it).
  std::span<const uint32_t> RowsBeginning(int code, MonthIndex month, size_t slot) const {
    const size_t index = ListIndex(code, month, slot);
    if (index == kNoList) return {};
    return Entries(code, beginning[code][index], begin[code][index + 1]);
  }
  // Whether `month`'s lists begin with the rows carried into it (every kCarriedEvery-th).
  bool ListsCarried(MonthIndex month) const { return (month - first_month) % kCarriedEvery == 0; }
  // The rows beginning in `month` of the slots first_slot … last_slot, slot after slot (each
  // slot's ascending): adjacent in the index when the month lists no carried rows.
  std::span<const uint32_t> RowsBeginningInSlots(int code, MonthIndex month, size_t first_slot,
                                                 size_t last_slot) const {
    assert(!ListsCarried(month));
    const size_t first = ListIndex(code, month, first_slot);
    const size_t last = ListIndex(code, month, last_slot);
    if (first == kNoList || last == kNoList) return {};
    return Entries(code, begin[code][first], begin[code][last + 1]);
  }

 private:
  static constexpr size_t kNoList = static_cast<size_t>(-1);
  size_t ListIndex(int code, MonthIndex month, size_t slot) const {
    if (code < 0 || static_cast<size_t>(code) >= rows.size() || month < first_month ||
        static_cast<size_t>(month - first_month) >= month_count || slot >= slots())
      return kNoList;
    return static_cast<size_t>(month - first_month) * slots() + slot;
  }
  std::span<const uint32_t> Entries(int code, uint32_t from, uint32_t to) const {
    return std::span<const uint32_t>(rows[code]).subspan(from, to - from);
  }
};

// For each calendar month, how many persons have benefit rows (with a municipality) of
// exactly each set of codes that month: the persons of any group in a month are the persons
// whose set meets the group. The month pass answers from here when a query has no breakdown
// and every municipality falls in the same areas (the whole country: the long series),
// instead of visiting every row of every month (docs/decisions/0005-…).
struct MonthCodeSets {
  struct Entry {
    uint64_t codes = 0;  // bit i = benefit code i
    uint32_t persons = 0;
  };
  MonthIndex first_month = 0;
  std::vector<std::vector<Entry>> months;  // [month − first_month], by codes

  std::span<const Entry> Of(MonthIndex month) const {
    if (month < first_month || static_cast<size_t>(month - first_month) >= months.size()) return {};
    return months[month - first_month];
  }
};

struct Shard {
  PersonColumns persons;
  BenefitColumns benefits;
  OfferColumns offers;
  MeetingColumns meetings;
  PaymentColumns payments;
  MonthColumns employment;
  IntervalColumns education;
  ResidenceColumns residence;
  // For each municipality code, the persons (sorted indexes) with a benefit record there: a
  // query about a few municipalities visits only their persons.
  std::vector<std::vector<uint32_t>> benefit_municipalities;
  RecordMonthIndex benefit_months;
  MonthCodeSets benefit_code_sets;
  // The benefit rows of the latest kRunMonths months merged into runs (decision 0019): a
  // person's rows of one code, municipality, fund, visitation group and degree, each
  // beginning the day after the one before ended, as one record from the first's `from` to
  // the last's `to` (from the first day of runs_first_month at the earliest). Person-sorted,
  // by `from` within a person. Only person, benefit,
  // municipality, from, to, degree_millionths, visitation and fund are held. A measure that
  // needs no day within a row (persons and fte over any whole months, persons on a period's
  // first or last day, activation) and no class by day (age, duration) counts the same over
  // the runs as over the rows, and the runs are 2.3 times fewer at `full`.
  static constexpr MonthIndex kRunMonths = 36;
  MonthIndex runs_first_month = 0;  // the months from it on are held
  BenefitColumns runs;
  RecordMonthIndex run_months;  // the runs' index, as benefit_months is the rows'
};

// A code column's value as an int: an index into its code list, or -1 for none. The columns
// are int8_t to stay small; the value is a number, not a character.
inline int CodeOf(int8_t code) {
  return code;  // NOLINT(bugprone-signed-char-misuse): -1 means none, by design
}

// The four-week rule of docs/measures.md: four whole weeks (28 days) off between a person's
// rows of a group start a new spell, and a spell has ended when it ended 28 days or more before
// the cut-off day. One constant for every pass that builds or reads spells.
inline constexpr DayNumber kSpellGapDays = 28;

// The spells of a benefit group of several codes among one person's rows begin … end - 1,
// by PersonPass::BuildSpells's rule (four weeks off between the group's rows start a new
// spell; a spell's end record is its latest `to`, the first by record id among rows ending
// that day). `begin` is the person's first row or the start of a stretch (no spell crosses
// it). Calls row_of_spell(row, spell_start) for each row of the group, first(row) for each
// spell's first record and end(row) for each spell's end record. One rule for the spells
// found at load (GroupSpellBits) and per query (GroupSpells, month_rows.h).
template <typename RowOfSpell, typename First, typename End>
void ForEachGroupSpell(const BenefitColumns& benefits, uint32_t begin, uint32_t end, uint64_t mask,
                       RowOfSpell row_of_spell, First first, End end_record) {
  bool open = false;
  DayNumber spell_start = 0;
  DayNumber latest_to = 0;
  uint32_t end_row = 0;
  for (uint32_t at = begin; at < end; ++at) {
    const int code = CodeOf(benefits.benefit[at]);
    if (code < 0 || (mask >> code & 1) == 0) continue;
    const DayNumber from = benefits.from[at];
    const DayNumber to = benefits.to[at];
    if (!open || from - latest_to - 1 >= kSpellGapDays) {
      if (open) end_record(end_row);
      open = true;
      spell_start = from;
      latest_to = to;
      end_row = at;
      first(at);
    } else {
      if (to > latest_to ||
          (to == latest_to && benefits.record_order[at] < benefits.record_order[end_row]))
        end_row = at;
      latest_to = std::max(latest_to, to);
    }
    row_of_spell(at, spell_start);
  }
  if (open) end_record(end_row);
}

inline constexpr int64_t kDegreeScale = 1'000'000;  // degree_millionths per 1.0
inline constexpr int64_t kOrePerKrone = 100;

inline constexpr DayNumber kNoDay = std::numeric_limits<DayNumber>::min();

// Residents aged 16–66 on the last day of each calendar month, counted by municipality of
// residence, sex and age (docs/measures.md, `population`): the population figures of a period
// that ends on a month's last day are read from here instead of from every person's residence
// history (docs/decisions/0005-engine-residents-and-payments.md). Months from the release's
// first month to December of the cut-off day's year (the last day of any period it publishes).
struct ResidentTable {
  static constexpr int kFirstAge = 16;
  static constexpr int kLastAge = 66;
  static constexpr size_t kAges = kLastAge - kFirstAge + 1;
  MonthIndex first_month = 0;
  size_t month_count = 0;
  std::vector<int16_t> municipalities;  // slot → municipality code (> 0)
  size_t sex_slots = 0;                 // the codes of list "sex", then one for none (-1)
  std::vector<uint32_t> counts;         // [slot][sex slot][age − 16][month − first_month]

  bool Covers(MonthIndex month) const {
    return month >= first_month && static_cast<size_t>(month - first_month) < month_count;
  }
  size_t Index(size_t slot, size_t sex_slot, MonthIndex month, int age) const {
    return ((slot * sex_slots + sex_slot) * kAges + static_cast<size_t>(age - kFirstAge)) *
               month_count +
           static_cast<size_t>(month - first_month);
  }
};

// The additive statistics summed once at load time by calendar month, benefit code and
// municipality, over the whole release: full-time days (each benefit row's days in the month
// × its degree, in millionths) and expenditure (payments, in øre). A table of full-time
// persons or expenditure by area, benefit and whole-month period is a few sums of these
// instead of a visit of every row (sum_pass.cpp, docs/decisions/0008-…). Integers, so the
// sums are exact and the same as the passes' in any order.
struct MonthCodeSums {
  MonthIndex first_month = 0;
  size_t month_count = 0;
  size_t code_count = 0;
  std::vector<int16_t> municipalities;  // slot → municipality value (-1 = none)
  // Each [((month − first_month) × code_count + code) × slots + slot].
  std::vector<int64_t> fte_day_millionths;
  std::vector<int64_t> gross_ore;
  std::vector<int64_t> refund_ore;

  size_t slots() const { return municipalities.size(); }
  bool Covers(MonthIndex month) const {
    return month >= first_month && static_cast<size_t>(month - first_month) < month_count;
  }
  size_t Index(MonthIndex month, size_t code, size_t slot) const {
    return (static_cast<size_t>(month - first_month) * code_count + code) * slots() + slot;
  }

  // Full-time days of the latest kAgeMonths months of the sums also by the age on the
  // contribution's evaluation day, the last of the row's days in the month: a table of
  // full-time persons by age (and area, benefit) over single months is a few sums of these
  // (decision 0013). Ages first_age … first_age + age_count − 1, every age a row has there.
  struct ByAge {
    static constexpr size_t kAgeMonths = 36;
    MonthIndex first_month = 0;
    size_t month_count = 0;
    int first_age = 0;
    size_t age_count = 0;
    // Each [Index(month, code, slot) + age − first_age]: the sums, and how many contributions
    // (a row's days in one month) made them, for the hint of how many fell outside the bands.
    std::vector<int64_t> fte_day_millionths;
    std::vector<uint32_t> contributions;

    // Persons by the same month, municipality and age, for `persons` over single months
    // (person_sums.cpp, decision 0018). A person-month is the person's contributions in one
    // month: (code, slot, age) of each of their rows there. Most have one slot and one age:
    // - of one code, the person counts in `persons`, [AgeIndex(month, code, slot) + age −
    //   first_age];
    // - of several codes, in `several_codes` (by month, then codes, slot, age), which a
    //   group counts once when it holds any of the codes;
    // - the others (a move within the month, a birthday between two rows' last days) are kept
    //   whole in `mixed`: a group counts such a person once in each cell of their places.
    std::vector<uint32_t> persons;
    struct SeveralCodes {
      uint64_t codes = 0;
      uint32_t persons = 0;
      uint16_t slot = 0;
      uint16_t age = 0;  // − first_age
    };
    std::vector<uint32_t> several_begin;  // by month − first_month; one more at the end
    std::vector<SeveralCodes> several_codes;
    struct Place {
      uint16_t slot = 0;
      uint16_t age = 0;  // − first_age
      uint8_t code = 0;
    };
    std::vector<uint32_t> mixed_begin;   // by month − first_month: its first person-month;
                                         // one more at the end
    std::vector<uint32_t> mixed_places;  // by person-month: its first place; one more at the end
    std::vector<Place> places;           // each person-month's, distinct, ascending

    bool HasPersons() const { return !persons.empty(); }
    bool Covers(MonthIndex month) const {
      return month >= first_month && static_cast<size_t>(month - first_month) < month_count;
    }
  } by_age;
  // Where the ages of (month, code, slot) begin in by_age's arrays.
  size_t AgeIndex(MonthIndex month, size_t code, size_t slot) const {
    return ((static_cast<size_t>(month - by_age.first_month) * code_count + code) * slots() +
            slot) *
           by_age.age_count;
  }
};

// Meetings by the month of their due day, their municipality and the set of benefit codes of
// the person's records covering the due day: the due-day meeting statistics (meetings_due,
// meetings_timely, timeliness, no_shows) of a group G over whole months, by area alone, count
// the meetings whose set meets G (docs/measures.md: a record of G on the due date), each
// matched to the cells of its municipality's areas. Built at load (meeting_sums.cpp,
// docs/decisions/0014-…).
struct MeetingSums {
  struct Entry {
    uint64_t codes = 0;  // a bit per benefit code covering the due day (never none)
    int16_t municipality = -1;
    uint32_t due = 0;       // meetings due (on or before the cut-off)
    uint32_t timely = 0;    // … held on or before the due day
    uint32_t no_shows = 0;  // … with the outcome no_show
  };
  MonthIndex first_month = 0;
  std::vector<uint32_t> month_begin;  // by month − first_month; one more at the end
  std::vector<Entry> entries;         // by month, then municipality and codes

  std::span<const Entry> Of(MonthIndex month) const {
    if (month < first_month || static_cast<size_t>(month - first_month) + 1 >= month_begin.size())
      return {};
    const auto at = static_cast<size_t>(month - first_month);
    return std::span<const Entry>(entries).subspan(month_begin[at],
                                                   month_begin[at + 1] - month_begin[at]);
  }
};

struct ReleaseData {
  std::string id;
  DayNumber cut_off_day = 0;
  MonthIndex first_month = 0;
  std::vector<Shard> shards;
  int64_t persons = 0;
  ResidentTable residents;
  MonthCodeSums sums;
  MeetingSums meetings;
};

// Sums `data`'s meetings by the month of their due day, municipality and the codes covering
// the due day (on `threads` threads, one shard at a time each).
MeetingSums SumMeetings(const ReleaseData& data, int threads);

// Sums `data`'s benefit rows and payments by month, code and municipality (on `threads`
// threads, one shard at a time each).
MonthCodeSums SumByMonthCodeMunicipality(const ReleaseData& data, size_t code_count, int threads);

// Derives a loaded shard's indexes and row columns (release_indexes.cpp): BenefitColumns'
// person, own_spell_start and apart, benefit_months, benefit_code_sets and
// benefit_municipalities, and the spells of each of `group_masks` (GroupSpellBits: the
// catalogue's benefit groups of several codes). `benefit_count` is the size of the code list
// "benefit".
// `cut_off_month`: the release's, the last of the runs' months.
void IndexShard(Shard& shard, size_t benefit_count, const std::vector<uint64_t>& group_masks,
                MonthIndex cut_off_month);

// The code masks of `codes`' benefit groups of several codes, each once.
std::vector<uint64_t> GroupMasksOf(const CodeLists& codes);

// Where a loaded release's memory goes: the bytes its arrays hold, by part ("benefits",
// "benefit month index", …), largest first. For the engine benchmark.
std::vector<std::pair<std::string, size_t>> MemoryByPart(const ReleaseData& data);

// Loads every shard of `release` (in parallel on `threads` threads). Codes are mapped through
// `codes` by their text; a code the catalogue does not have, a missing column or an unsorted
// table throws UserError(kBadStore) naming the file.
std::shared_ptr<const ReleaseData> LoadRelease(const store::Release& release,
                                               const CodeLists& codes, int threads);

}  // namespace jobindsigt::engine
