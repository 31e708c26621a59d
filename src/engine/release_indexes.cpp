// What the engine derives from a shard's loaded columns (release_data.h, IndexShard): each
// benefit row's person, own-code spell start and stretch bit, the index of the rows by code,
// month and municipality, the code sets by month, and the persons by municipality.
#include <algorithm>
#include <bit>
#include <limits>
#include <vector>

#include "engine/release_data.h"

namespace jobindsigt::engine {
namespace {

template <typename Visit>
void ForEachPersonRow(const PersonRanges& ranges, Visit&& visit) {
  for (size_t person = 0; person + 1 < ranges.begin.size(); ++person) {
    for (uint32_t row = ranges.First(person); row < ranges.Last(person); ++row) visit(person, row);
  }
}

// Each row's person, the start of its spell among the person's rows of its own benefit
// code (the four-week rule of PersonPass::BuildSpells for a group of one code): a measure of a
// single benefit takes durations from here instead of building spells per query; whether the
// row is that spell's first or end record; and the rows apart from all before them by the same
// rule (BenefitColumns::apart).
void DeriveRowColumns(BenefitColumns& benefits, size_t benefit_count) {
  const size_t rows = benefits.from.size();
  benefits.person.resize(rows);
  benefits.own_spell_start.resize(rows);
  benefits.apart.assign((rows + 63) / 64, 0);
  benefits.spell_first.assign((rows + 63) / 64, 0);
  benefits.spell_end.assign((rows + 63) / 64, 0);
  auto set_bit = [](std::vector<uint64_t>& bits, uint32_t row) {
    bits[row >> 6] |= uint64_t{1} << (row & 63);
  };
  std::vector<DayNumber> spell_start(benefit_count);
  std::vector<DayNumber> latest_to(benefit_count);
  std::vector<uint32_t> end_row(benefit_count);  // the open spell's end record, per code
  std::vector<size_t> seen_for(benefit_count, std::numeric_limits<size_t>::max());
  size_t person_seen = std::numeric_limits<size_t>::max();
  DayNumber person_latest_to = 0;  // the latest `to` of the person's rows so far, any code
  ForEachPersonRow(benefits.ranges, [&](size_t person, uint32_t row) {
    benefits.person[row] = static_cast<uint32_t>(person);
    // As BuildSpells's rule with every row in the group: rows with no or an unknown code too,
    // so the bit holds for any group (a gap after all rows is a gap after the group's).
    if (person != person_seen || benefits.from[row] - person_latest_to - 1 >= kSpellGapDays) {
      benefits.apart[row >> 6] |= uint64_t{1} << (row & 63);
      person_latest_to = benefits.to[row];
    }
    person_seen = person;
    person_latest_to = std::max(person_latest_to, benefits.to[row]);
    const int code = CodeOf(benefits.benefit[row]);
    if (code < 0) return;
    const DayNumber from = benefits.from[row];
    const DayNumber to = benefits.to[row];
    if (seen_for[code] != person || from - latest_to[code] - 1 >= kSpellGapDays) {
      // A new spell of this code; the code's previous one (of any person) has ended.
      if (seen_for[code] != std::numeric_limits<size_t>::max())
        set_bit(benefits.spell_end, end_row[code]);
      set_bit(benefits.spell_first, row);
      seen_for[code] = person;
      spell_start[code] = from;
      latest_to[code] = to;
      end_row[code] = row;
    } else {
      // As BuildSpells: the latest `to`, the first by record id among rows ending that day.
      if (to > latest_to[code] ||
          (to == latest_to[code] &&
           benefits.record_order[row] < benefits.record_order[end_row[code]]))
        end_row[code] = row;
      latest_to[code] = std::max(latest_to[code], to);
    }
    benefits.own_spell_start[row] = spell_start[code];
  });
  for (size_t code = 0; code < benefit_count; ++code) {
    if (seen_for[code] != std::numeric_limits<size_t>::max())
      set_bit(benefits.spell_end, end_row[code]);
  }
}

// The runs of `benefits`' rows ending on or after `first_day` (Shard::runs): each row with a
// day and a code joins the run its person last began with the same code, municipality, fund,
// visitation group and degree when it begins the day after that run's end, else begins one.
// The rows of a run are apart in time, so its days are the sum of theirs. A run begins on
// `first_day` at the earliest: every period counted over the runs begins then or later, so
// no count changes, and the runs' month index holds the runs' months only.
BenefitColumns MergeRuns(const BenefitColumns& benefits, DayNumber first_day) {
  struct Open {
    int8_t benefit;
    int16_t municipality;
    int8_t fund;
    int8_t visitation;
    int32_t degree;
    size_t run;  // index in the runs
  };
  BenefitColumns runs;
  std::vector<Open> open;  // the person's latest run of each key
  for (size_t person = 0; person + 1 < benefits.ranges.begin.size(); ++person) {
    open.clear();
    for (uint32_t row = benefits.ranges.First(person); row < benefits.ranges.Last(person); ++row) {
      const DayNumber from = benefits.from[row];
      const DayNumber to = benefits.to[row];
      if (to < first_day || !benefits.Counted(row)) continue;
      const Open key{benefits.benefit[row],    benefits.municipality[row],      benefits.fund[row],
                     benefits.visitation[row], benefits.degree_millionths[row], 0};
      auto same = std::find_if(open.begin(), open.end(), [&](const Open& each) {
        return each.benefit == key.benefit && each.municipality == key.municipality &&
               each.fund == key.fund && each.visitation == key.visitation &&
               each.degree == key.degree;
      });
      if (same != open.end() && from == runs.to[same->run] + 1) {
        runs.to[same->run] = to;
        continue;
      }
      if (same == open.end()) same = open.insert(open.end(), key);
      same->run = runs.from.size();
      runs.person.push_back(static_cast<uint32_t>(person));
      runs.benefit.push_back(key.benefit);
      runs.municipality.push_back(key.municipality);
      runs.from.push_back(std::max(from, first_day));
      runs.to.push_back(to);
      runs.degree_millionths.push_back(key.degree);
      runs.visitation.push_back(key.visitation);
      runs.fund.push_back(key.fund);
    }
  }
  // Held for the release's life: no room to grow.
  runs.person.shrink_to_fit();
  runs.benefit.shrink_to_fit();
  runs.municipality.shrink_to_fit();
  runs.from.shrink_to_fit();
  runs.to.shrink_to_fit();
  runs.degree_millionths.shrink_to_fit();
  runs.visitation.shrink_to_fit();
  runs.fund.shrink_to_fit();
  return runs;
}

RecordMonthIndex BuildMonthIndex(const BenefitColumns& benefits, size_t benefit_count) {
  RecordMonthIndex index;
  const size_t rows = benefits.from.size();
  MonthIndex low = std::numeric_limits<MonthIndex>::max();
  MonthIndex high = std::numeric_limits<MonthIndex>::min();
  std::vector<int> slot_of(1, -1);  // by municipality value + 1
  for (size_t row = 0; row < rows; ++row) {
    if (!benefits.Counted(row)) continue;
    low = std::min(low, MonthOfDay(benefits.from[row]));
    high = std::max(high, MonthOfDay(benefits.to[row]));
    const size_t value = static_cast<size_t>(benefits.municipality[row] + 1);
    if (value >= slot_of.size()) slot_of.resize(value + 1, -1);
    slot_of[value] = 0;
  }
  if (low > high) return index;
  for (size_t value = 0; value < slot_of.size(); ++value) {
    if (slot_of[value] < 0) continue;
    slot_of[value] = static_cast<int>(index.municipalities.size());
    index.municipalities.push_back(static_cast<int16_t>(static_cast<int>(value) - 1));
  }
  const size_t slots = index.municipalities.size();
  index.first_month = low;
  index.month_count = static_cast<size_t>(high - low) + 1;
  index.begin.assign(benefit_count, std::vector<uint32_t>(index.month_count * slots + 1, 0));
  index.rows.resize(benefit_count);
  // Visits each (row, month it overlaps): the months after the row's first that list the
  // rows carried into them (RecordMonthIndex::kCarriedEvery) when `carried`, else only the
  // first.
  auto for_each_entry = [&](bool carried, auto&& visit) {
    for (uint32_t row = 0; row < rows; ++row) {
      if (!benefits.Counted(row)) continue;
      const size_t slot = slot_of[benefits.municipality[row] + 1];
      const MonthIndex first = MonthOfDay(benefits.from[row]);
      if (!carried) {
        visit(benefits.benefit[row], static_cast<size_t>(first - low) * slots + slot, row);
        continue;
      }
      // The months listing carried rows after the row's first, up to its last.
      const MonthIndex last = MonthOfDay(benefits.to[row]);
      const MonthIndex after_first = first + 1 - low;
      MonthIndex month = low + (after_first + RecordMonthIndex::kCarriedEvery - 1) /
                                   RecordMonthIndex::kCarriedEvery *
                                   RecordMonthIndex::kCarriedEvery;
      for (; month <= last; month += RecordMonthIndex::kCarriedEvery)
        visit(benefits.benefit[row], static_cast<size_t>(month - low) * slots + slot, row);
    }
  };
  std::vector<std::vector<uint32_t>> carried_count(
      benefit_count, std::vector<uint32_t>(index.month_count * slots, 0));
  for_each_entry(true, [&](int code, size_t at, uint32_t) {
    ++index.begin[code][at + 1];
    ++carried_count[code][at];
  });
  for_each_entry(false, [&](int code, size_t at, uint32_t) { ++index.begin[code][at + 1]; });
  index.beginning.resize(benefit_count);
  for (size_t code = 0; code < benefit_count; ++code) {
    auto& offsets = index.begin[code];
    for (size_t at = 1; at < offsets.size(); ++at) offsets[at] += offsets[at - 1];
    index.rows[code].resize(offsets.back());
    auto& beginning = index.beginning[code];
    beginning.resize(offsets.size() - 1);
    for (size_t at = 0; at < beginning.size(); ++at)
      beginning[at] = offsets[at] + carried_count[code][at];
  }
  carried_count = {};
  // Rows are visited in ascending order, so each part of each list comes out ascending.
  std::vector<std::vector<uint32_t>> fill = index.begin;
  auto place = [&](int code, size_t at, uint32_t entry) {
    index.rows[code][fill[code][at]++] = entry;
  };
  for_each_entry(true, place);
  for_each_entry(false, place);
  return index;
}

MonthCodeSets BuildCodeSets(const BenefitColumns& benefits, const RecordMonthIndex& index) {
  MonthCodeSets sets;
  sets.first_month = index.first_month;
  const size_t month_count = index.month_count;
  if (month_count == 0) return sets;
  // Persons whose set is one code (most) are counted in an array, the others in a map.
  std::vector<std::vector<uint32_t>> single(month_count, std::vector<uint32_t>(64, 0));
  std::vector<std::unordered_map<uint64_t, uint32_t>> several(month_count);
  std::vector<uint64_t> codes_in(month_count, 0);  // the current person's, by month
  std::vector<size_t> touched;
  const size_t persons = benefits.ranges.begin.size() - 1;
  for (size_t person = 0; person < persons; ++person) {
    touched.clear();
    for (uint32_t row = benefits.ranges.First(person); row < benefits.ranges.Last(person); ++row) {
      // The rows the month index holds, with a municipality.
      if (!benefits.Counted(row) || benefits.municipality[row] < 0) continue;
      const uint64_t bit = uint64_t{1} << benefits.benefit[row];
      const size_t last = static_cast<size_t>(MonthOfDay(benefits.to[row]) - index.first_month);
      for (size_t month = static_cast<size_t>(MonthOfDay(benefits.from[row]) - index.first_month);
           month <= last; ++month) {
        if (codes_in[month] == 0) touched.push_back(month);
        codes_in[month] |= bit;
      }
    }
    for (const size_t month : touched) {
      const uint64_t codes = codes_in[month];
      if (std::has_single_bit(codes)) {
        ++single[month][std::countr_zero(codes)];
      } else {
        ++several[month][codes];
      }
      codes_in[month] = 0;
    }
  }
  sets.months.resize(month_count);
  for (size_t month = 0; month < month_count; ++month) {
    auto& entries = sets.months[month];
    for (size_t code = 0; code < 64; ++code) {
      if (single[month][code] != 0) entries.push_back({uint64_t{1} << code, single[month][code]});
    }
    for (const auto& [codes, count] : several[month]) entries.push_back({codes, count});
    std::sort(entries.begin(), entries.end(),
              [](const auto& a, const auto& b) { return a.codes < b.codes; });
  }
  return sets;
}

// The spells of `mask`'s codes over every person's history (GroupSpellBits).
GroupSpellBits FindGroupSpells(const BenefitColumns& benefits, uint64_t mask) {
  GroupSpellBits bits;
  bits.mask = mask;
  bits.first.assign((benefits.from.size() + 63) / 64, 0);
  bits.end.assign(bits.first.size(), 0);
  auto set_bit = [](std::vector<uint64_t>& words, uint32_t row) {
    words[row >> 6] |= uint64_t{1} << (row & 63);
  };
  for (size_t person = 0; person + 1 < benefits.ranges.begin.size(); ++person) {
    ForEachGroupSpell(
        benefits, benefits.ranges.First(person), benefits.ranges.Last(person), mask,
        [](uint32_t, DayNumber) {}, [&](uint32_t row) { set_bit(bits.first, row); },
        [&](uint32_t row) { set_bit(bits.end, row); });
  }
  return bits;
}

}  // namespace

void IndexShard(Shard& shard, size_t benefit_count, const std::vector<uint64_t>& group_masks,
                MonthIndex cut_off_month) {
  DeriveRowColumns(shard.benefits, benefit_count);
  for (const uint64_t mask : group_masks)
    shard.benefits.group_spells.push_back(FindGroupSpells(shard.benefits, mask));
  shard.benefit_months = BuildMonthIndex(shard.benefits, benefit_count);
  shard.runs_first_month = cut_off_month - Shard::kRunMonths + 1;
  shard.runs = MergeRuns(shard.benefits, FirstDayOfMonth(shard.runs_first_month));
  shard.run_months = BuildMonthIndex(shard.runs, benefit_count);
  shard.benefit_code_sets = BuildCodeSets(shard.benefits, shard.benefit_months);
  const BenefitColumns& benefits = shard.benefits;
  ForEachPersonRow(benefits.ranges, [&](size_t person, uint32_t row) {
    const int municipality = benefits.municipality[row];
    if (municipality < 0) return;
    auto& index = shard.benefit_municipalities;
    if (static_cast<size_t>(municipality) >= index.size()) index.resize(municipality + 1);
    auto& list = index[municipality];
    if (list.empty() || list.back() != person) list.push_back(static_cast<uint32_t>(person));
  });
}

uint32_t BenefitColumns::StretchStart(uint32_t first, uint32_t row) const {
  // The person's first row has its bit, so the search stops there at the latest.
  return PreviousBit(apart, first, row);
}

void RecordMonthIndex::MarkPersons(uint64_t mask, MonthIndex first, MonthIndex last,
                                   const std::vector<uint32_t>& row_person,
                                   const std::vector<DayNumber>& row_to,
                                   std::vector<uint8_t>& flags) const {
  if (month_count == 0) return;
  // No row overlaps a month outside the index.
  first = std::max(first, first_month);
  last = std::min(last, first_month + static_cast<MonthIndex>(month_count) - 1);
  if (first > last) return;
  for (uint64_t rest = mask; rest != 0; rest &= rest - 1) {
    const int code = std::countr_zero(rest);
    for (size_t slot = 0; slot < slots(); ++slot) {
      // Each row once: those overlapping the first month, then those beginning later.
      ForEachCarriedPart(code, first, slot, [&](std::span<const uint32_t> part, DayNumber min_to) {
        for (const uint32_t row : part) {
          if (row_to[row] >= min_to) flags[row_person[row]] = 1;
        }
      });
      for (MonthIndex month = first; month <= last; ++month) {
        for (const uint32_t row : RowsBeginning(code, month, slot)) flags[row_person[row]] = 1;
      }
    }
  }
}

}  // namespace jobindsigt::engine
