// Persons by month, municipality, age and codes (person_sums.h, decision 0018).
#include "engine/person_sums.h"

#include <array>
#include <bit>
#include <optional>
#include <span>
#include <tuple>

#include "engine/cell_odometer.h"

namespace jobindsigt::engine {
namespace {

// One contribution of a person-month as the sums key it.
struct Contribution {
  uint32_t month;  // − first_month
  uint16_t slot;
  uint16_t age;  // − first_age
  uint8_t code;

  auto Key() const { return std::tie(month, slot, age, code); }
  bool operator<(const Contribution& other) const { return Key() < other.Key(); }
  bool operator==(const Contribution& other) const { return Key() == other.Key(); }
};

// Files one person-month (`contributions`, sorted and distinct, all of one month) in `part`.
void FilePersonMonth(std::span<const Contribution> contributions, const MonthCodeSums& sums,
                     PersonSumsPart& part) {
  const Contribution& first = contributions.front();
  bool one_place = true;
  uint64_t codes = 0;
  for (const Contribution& each : contributions) {
    one_place = one_place && each.slot == first.slot && each.age == first.age;
    codes |= uint64_t{1} << each.code;
  }
  if (one_place && std::has_single_bit(codes)) {
    const MonthIndex month = sums.by_age.first_month + static_cast<MonthIndex>(first.month);
    ++part.persons[sums.AgeIndex(month, first.code, first.slot) + first.age];
  } else if (one_place) {
    part.several_codes.push_back({first.month, {codes, 1, first.slot, first.age}});
  } else {
    part.mixed_month.push_back(first.month);
    for (const Contribution& each : contributions)
      part.places.push_back({each.slot, each.age, each.code});
    part.mixed_places.push_back(static_cast<uint32_t>(part.places.size()));
  }
}

}  // namespace

void AddShardPersons(const Shard& shard, const std::vector<int>& slot_of, const MonthCodeSums& sums,
                     PersonSumsPart& part) {
  const MonthCodeSums::ByAge& by_age = sums.by_age;
  if (by_age.month_count == 0) return;
  const MonthIndex last_month =
      by_age.first_month + static_cast<MonthIndex>(by_age.month_count) - 1;
  const DayNumber window_first = FirstDayOfMonth(by_age.first_month);
  const BenefitColumns& benefits = shard.benefits;
  std::vector<Contribution> contributions;
  for (size_t person = 0; person + 1 < benefits.ranges.begin.size(); ++person) {
    contributions.clear();
    for (uint32_t row = benefits.ranges.First(person); row < benefits.ranges.Last(person); ++row) {
      if (benefits.to[row] < window_first || !benefits.Counted(row)) continue;
      const MonthIndex first = std::max(MonthOfDay(benefits.from[row]), by_age.first_month);
      const MonthIndex last = std::min(MonthOfDay(benefits.to[row]), last_month);
      const auto code = static_cast<uint8_t>(CodeOf(benefits.benefit[row]));
      const auto slot = static_cast<uint16_t>(slot_of[benefits.municipality[row] + 1]);
      for (MonthIndex month = first; month <= last; ++month) {
        contributions.push_back(
            {static_cast<uint32_t>(month - by_age.first_month), slot,
             static_cast<uint16_t>(AgeInMonth(shard, row, month) - by_age.first_age), code});
      }
    }
    std::sort(contributions.begin(), contributions.end());
    contributions.erase(std::unique(contributions.begin(), contributions.end()),
                        contributions.end());
    for (size_t at = 0; at < contributions.size();) {
      size_t end = at + 1;
      while (end < contributions.size() && contributions[end].month == contributions[at].month)
        ++end;
      FilePersonMonth(std::span(contributions).subspan(at, end - at), sums, part);
      at = end;
    }
  }
}

void JoinPersonSums(std::vector<PersonSumsPart>& parts, MonthCodeSums& sums) {
  MonthCodeSums::ByAge& by_age = sums.by_age;
  by_age.persons = std::move(parts.front().persons);
  for (size_t worker = 1; worker < parts.size(); ++worker) {
    for (size_t at = 0; at < by_age.persons.size(); ++at)
      by_age.persons[at] += parts[worker].persons[at];
  }
  // Several codes in one place: counted by (month, codes, slot, age).
  std::vector<PersonSumsPart::SeveralCodes> several;
  for (PersonSumsPart& part : parts)
    several.insert(several.end(), part.several_codes.begin(), part.several_codes.end());
  auto key = [](const PersonSumsPart::SeveralCodes& each) {
    return std::tie(each.month, each.entry.codes, each.entry.slot, each.entry.age);
  };
  std::sort(several.begin(), several.end(),
            [&](const auto& a, const auto& b) { return key(a) < key(b); });
  by_age.several_begin.assign(by_age.month_count + 1, 0);
  by_age.several_codes.clear();
  for (size_t at = 0; at < several.size(); ++at) {
    if (at > 0 && key(several[at]) == key(several[at - 1])) {
      ++by_age.several_codes.back().persons;
      continue;
    }
    by_age.several_codes.push_back(several[at].entry);
    ++by_age.several_begin[several[at].month + 1];
  }
  // Mixed person-months: grouped by month (each worker's in its order).
  by_age.mixed_begin.assign(by_age.month_count + 1, 0);
  for (const PersonSumsPart& part : parts) {
    for (const uint32_t month : part.mixed_month) ++by_age.mixed_begin[month + 1];
  }
  for (size_t month = 0; month < by_age.month_count; ++month) {
    by_age.several_begin[month + 1] += by_age.several_begin[month];
    by_age.mixed_begin[month + 1] += by_age.mixed_begin[month];
  }
  std::vector<uint32_t> next(by_age.mixed_begin.begin(), by_age.mixed_begin.end() - 1);
  std::vector<std::pair<const PersonSumsPart*, size_t>> order(by_age.mixed_begin.back());
  for (const PersonSumsPart& part : parts) {
    for (size_t at = 0; at < part.mixed_month.size(); ++at)
      order[next[part.mixed_month[at]]++] = {&part, at};
  }
  by_age.mixed_places.assign(1, 0);
  by_age.places.clear();
  for (const auto& [part, at] : order) {
    const uint32_t begin = at == 0 ? 0 : part->mixed_places[at - 1];
    by_age.places.insert(by_age.places.end(), part->places.begin() + begin,
                         part->places.begin() + part->mixed_places[at]);
    by_age.mixed_places.push_back(static_cast<uint32_t>(by_age.places.size()));
  }
}

bool PersonsFromSums(const ResolvedQuery& query) {
  const MonthCodeSums::ByAge& by_age = query.release->sums.by_age;
  if (!by_age.HasPersons() || query.breakdowns.size() + 1 > 8) return false;
  for (const ResolvedPeriod& resolved : query.periods) {
    const Period& period = resolved.period;
    if (!period.WholeMonths() || period.first_month() != period.last_month() ||
        !by_age.Covers(period.first_month()))
      return false;
  }
  return std::all_of(query.breakdowns.begin(), query.breakdowns.end(),
                     [](const ResolvedBreakdown& breakdown) {
                       return breakdown.kind == BreakdownKind::kAge ||
                              !BreakdownApplies(breakdown.kind, Statistic::kPersons);
                     });
}

void AddPersonsFromSums(const ResolvedQuery& query, size_t measure, Accumulators& accumulators) {
  const MonthCodeSums& sums = query.release->sums;
  const MonthCodeSums::ByAge& by_age = sums.by_age;
  const uint64_t mask = query.measures[measure].benefit_mask;
  const size_t breakdown_count = query.breakdowns.size();
  // The other breakdowns do not apply: their total only. The age's class of each age the
  // sums hold (all one class without an age breakdown).
  std::array<const std::vector<uint16_t>*, 8> matches{};
  std::optional<size_t> age_breakdown;
  for (size_t index = 0; index < breakdown_count; ++index) {
    matches[index + 1] = &query.breakdowns[index].map.total_only;
    if (query.breakdowns[index].kind == BreakdownKind::kAge) age_breakdown = index;
  }
  std::vector<int32_t> class_of_age(by_age.age_count, 0);
  size_t class_count = 1;
  if (age_breakdown) {
    const CategoryMap& ages = query.breakdowns[*age_breakdown].map;
    for (size_t age = 0; age < by_age.age_count; ++age)
      class_of_age[age] = ages.ClassOf(by_age.first_age + static_cast<int>(age));
    class_count = ages.class_count();
  }
  const std::span<const std::vector<uint16_t>* const> active(matches.data(), breakdown_count + 1);
  const auto strides = std::span<const size_t>(query.stride).subspan(2);
  auto& numerator = accumulators.numerator;
  // Points the matches at the cells of a place: its municipality's areas, its age's class.
  auto place = [&](size_t slot, int32_t age_class) {
    matches[0] = &query.areas.Of(sums.municipalities[slot]);
    if (age_breakdown)
      matches[*age_breakdown + 1] = &query.breakdowns[*age_breakdown].map.ClassList(age_class);
  };
  std::vector<int64_t> by_class(class_count);
  std::vector<size_t> cells;
  for (size_t period_index = 0; period_index < query.periods.size(); ++period_index) {
    const MonthIndex month = query.periods[period_index].period.first_month();
    const size_t base = measure * query.stride[0] + period_index * query.stride[1];
    // One place, one code: each code's persons by slot, summed by age class.
    for (size_t slot = 0; slot < sums.slots(); ++slot) {
      if (query.areas.Of(sums.municipalities[slot]).empty()) continue;  // no row gathered
      std::fill(by_class.begin(), by_class.end(), 0);
      for (uint64_t rest = mask; rest != 0; rest &= rest - 1) {
        const auto code = static_cast<size_t>(std::countr_zero(rest));
        if (code >= sums.code_count) continue;
        const size_t first = sums.AgeIndex(month, code, slot);
        for (size_t age = 0; age < by_age.age_count; ++age) {
          if (class_of_age[age] < 0) {  // the hint: contributions, once per measure
            accumulators.outside_bands[*age_breakdown] += by_age.contributions[first + age];
          } else {
            by_class[static_cast<size_t>(class_of_age[age])] += by_age.persons[first + age];
          }
        }
      }
      for (size_t of = 0; of < class_count; ++of) {
        if (by_class[of] == 0) continue;
        place(slot, static_cast<int32_t>(of));
        const auto value = static_cast<double>(by_class[of]);
        ForEachCellOf(base, active, strides, [&](size_t cell) { numerator[cell] += value; });
      }
    }
    // One place, several codes: counted when the group holds any of them.
    const auto at = static_cast<size_t>(month - by_age.first_month);
    for (uint32_t entry = by_age.several_begin[at]; entry < by_age.several_begin[at + 1]; ++entry) {
      const MonthCodeSums::ByAge::SeveralCodes& several = by_age.several_codes[entry];
      const int32_t age_class = class_of_age[several.age];
      if ((several.codes & mask) == 0 || age_class < 0) continue;
      place(several.slot, age_class);
      const auto value = static_cast<double>(several.persons);
      ForEachCellOf(base, active, strides, [&](size_t cell) { numerator[cell] += value; });
    }
    // Several places: once in each cell of the group's places.
    for (uint32_t person = by_age.mixed_begin[at]; person < by_age.mixed_begin[at + 1]; ++person) {
      cells.clear();
      for (uint32_t of = by_age.mixed_places[person]; of < by_age.mixed_places[person + 1]; ++of) {
        const MonthCodeSums::ByAge::Place& each = by_age.places[of];
        const int32_t age_class = class_of_age[each.age];
        if ((mask >> each.code & 1) == 0 || age_class < 0) continue;
        place(each.slot, age_class);
        ForEachCellOf(base, active, strides, [&](size_t cell) { cells.push_back(cell); });
      }
      std::sort(cells.begin(), cells.end());
      cells.erase(std::unique(cells.begin(), cells.end()), cells.end());
      for (const size_t cell : cells) numerator[cell] += 1.0;
    }
  }
}

}  // namespace jobindsigt::engine
