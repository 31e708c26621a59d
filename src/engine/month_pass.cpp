#include "engine/month_pass.h"

#include <algorithm>
#include <array>
#include <atomic>
#include <bit>
#include <cassert>
#include <limits>
#include <span>
#include <vector>

#include "common/prefetch.h"
#include "engine/cell_odometer.h"

namespace jobindsigt::engine {
namespace {

bool KindSupported(BreakdownKind kind) {
  switch (kind) {
    case BreakdownKind::kAge:
    case BreakdownKind::kSex:
    case BreakdownKind::kOrigin:
    case BreakdownKind::kEducation:
    case BreakdownKind::kDuration:
    case BreakdownKind::kBenefit:
    case BreakdownKind::kVisitation:
    case BreakdownKind::kUnemploymentFund:
      return true;
    default:
      return false;
  }
}

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

// The months of the periods a group's rows are visited for, and for each month the periods
// holding it: a row is visited once and counted in every period it overlaps.
struct PeriodMonths {
  MonthIndex first = 0;
  MonthIndex last = -1;
  std::vector<std::vector<uint32_t>> periods;   // [month − first]: period indexes
  std::vector<std::vector<uint32_t>> starting;  // [month − first]: the periods beginning then
  std::vector<MonthIndex> next_start;           // [month − first]: the first month from it on
                                                // where a period begins (or last + 1)
  std::vector<DayNumber> starts;  // [month − first]: its first day; one more at the end
  std::vector<int32_t> packed;    // [day − starts[0]]: PackedDate of each day of the months

  std::span<const uint32_t> Of(MonthIndex month) const { return periods[month - first]; }
  // PackedDate(day) for a day of the months, from the table (ages, per contribution).
  int32_t Packed(DayNumber day) const { return packed[static_cast<size_t>(day - starts[0])]; }
  std::span<const uint32_t> StartingIn(MonthIndex month) const { return starting[month - first]; }
  MonthIndex NextStart(MonthIndex month) const {
    return month > last ? last + 1 : next_start[month - first];
  }
  // The month of `day`, held within first … last: a few steps in a short table where
  // MonthOfDay takes a civil-calendar conversion (two per row visited).
  MonthIndex Within(DayNumber day) const {
    const size_t count = periods.size();
    if (day < starts[1]) return first;
    if (day >= starts[count - 1]) return last;
    size_t at = std::min(static_cast<size_t>(day - starts[0]) / 30, count - 1);
    while (starts[at] > day) --at;
    while (starts[at + 1] <= day) ++at;
    return first + static_cast<MonthIndex>(at);
  }
};

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

// The benefit rows of `mask`'s codes in the covered municipality slots overlapping any month
// of `months`, ascending and each once: rows are person-sorted, so each person's rows are
// adjacent, and the columns are read front to back. For each run of consecutive months a … b
// it takes the rows overlapping a and those beginning in a + 1 … b, so a row is met once per
// run it overlaps (taking the whole list of every month would meet it once per month).
void GatherRows(const RecordMonthIndex& index, uint64_t mask, const PeriodMonths& months,
                const std::vector<size_t>& slots, size_t row_count, std::vector<uint32_t>& rows) {
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
      auto add = [&](std::span<const uint32_t> entries) {  // one ascending run
        if (entries.empty()) return;
        sorted_runs.push_back(rows.size());
        rows.insert(rows.end(), entries.begin(), entries.end());
      };
      for (const size_t slot : slots) {
        const std::span<const uint32_t> beginning = index.RowsBeginning(code, month, slot);
        if (!in_run) {  // the rows carried into the run's first month too: a run of their own
          const std::span<const uint32_t> overlapping = index.Rows(code, month, slot);
          add(overlapping.first(overlapping.size() - beginning.size()));
        }
        add(beginning);
      }
      in_run = true;
    }
  }
  // A row has one code and one municipality: within one run of months no row comes twice.
  SortRows(rows, sorted_runs, row_count,
           /*unique=*/month_runs > static_cast<size_t>(std::popcount(mask)));
}

// The classes of one dimension as the month pass reads them (CategoryMap::class_of_value):
// a contribution is recorded by its period and the class of each dimension (its leaf), and
// each leaf is turned into cells once at the end, not every contribution into cells.
struct DimensionClasses {
  const CategoryMap* map = nullptr;                 // null: the total alone (TotalOnly)
  std::vector<const std::vector<uint16_t>*> lists;  // class → categories (never empty)

  int32_t Of(int value) const { return map->ClassOf(value); }
  size_t size() const { return lists.size(); }
};

DimensionClasses ClassesOf(const CategoryMap& map) {
  DimensionClasses classes;
  classes.map = &map;
  for (size_t of = 0; of < map.class_count(); ++of)
    classes.lists.push_back(&map.ClassList(static_cast<int32_t>(of)));
  return classes;
}

// A breakdown that does not apply to a statistic: every value counts in the total alone.
DimensionClasses TotalOnly(const CategoryMap& map) {
  DimensionClasses classes;
  if (!map.total_only.empty()) classes.lists.push_back(&map.total_only);
  return classes;
}

// Makes the distinct-person stamps of one evaluation (one shard of one query) unique without
// clearing them: each call takes a new generation, the high half of a stamp; the person's
// index in the shard is the low half.
std::atomic<uint32_t> next_generation{1};

constexpr size_t kPrefetchRows = 32;

// The areas every municipality with benefit rows falls in, when they are the same for all
// of them (the whole country, or a group of all): then a person counts in those areas iff they
// have a row of the group that month, whatever its municipality (rows without one count
// nowhere). nullptr otherwise.
const std::vector<uint16_t>* UniformAreas(const ResolvedQuery& query,
                                          const RecordMonthIndex& index) {
  const std::vector<uint16_t>* common = nullptr;
  for (size_t slot = 0; slot < index.slots(); ++slot) {
    const int municipality = index.municipalities[slot];
    const std::vector<uint16_t>& areas = query.areas.Of(municipality);
    if (municipality < 0) {
      if (!areas.empty()) return nullptr;
      continue;
    }
    if (areas.empty() || (common != nullptr && areas != *common)) return nullptr;
    common = &areas;
  }
  return common;
}

}  // namespace

std::vector<uint8_t> MonthPassMeasures(const ResolvedQuery& query, bool residents_by_table) {
  std::vector<uint8_t> measures(query.measures.size(), 0);
  for (const ResolvedPeriod& period : query.periods) {
    if (!period.period.WholeMonths()) return measures;
  }
  bool by_duration = false;
  for (const ResolvedBreakdown& breakdown : query.breakdowns) {
    if (!KindSupported(breakdown.kind)) return measures;
    by_duration = by_duration || breakdown.kind == BreakdownKind::kDuration;
  }
  if (query.breakdowns.size() + 1 > 8) return measures;
  for (size_t index = 0; index < query.measures.size(); ++index) {
    const ResolvedMeasure& measure = query.measures[index];
    const bool counted = measure.statistic == Statistic::kPersons ||
                         measure.statistic == Statistic::kFte ||
                         (measure.statistic == Statistic::kShareOfPopulation && residents_by_table);
    // Durations from the rows' own-code spells: right for a group of one benefit only (and
    // share_of_population has no duration breakdown).
    const bool spells_fit = !by_duration || std::popcount(measure.benefit_mask) == 1 ||
                            !BreakdownApplies(BreakdownKind::kDuration, measure.statistic);
    measures[index] = counted && spells_fit ? 1 : 0;
  }
  return measures;
}

void EvaluateMonths(const ResolvedQuery& query, const Shard& shard,
                    const std::vector<uint8_t>& measures, bool leaves_wanted,
                    Accumulators& accumulators) {
  const BenefitColumns& benefits = shard.benefits;
  const PersonColumns& persons = shard.persons;
  const size_t breakdown_count = query.breakdowns.size();
  const size_t dimensions = breakdown_count + 1;  // area, then each breakdown

  thread_local std::vector<uint64_t> stamps;
  thread_local std::vector<uint32_t> month_rows;
  if (stamps.size() < query.cells) stamps.resize(query.cells, 0);
  const uint64_t generation = static_cast<uint64_t>(next_generation++) << 32;

  std::array<const std::vector<uint16_t>*, 8> matches{};
  const std::span<const std::vector<uint16_t>* const> active_matches(matches.data(), dimensions);
  const auto strides = std::span<const size_t>(query.stride).subspan(2);
  auto& numerator = accumulators.numerator;

  bool needs_spells = false;
  bool needs_codes = false;
  bool needs_person_codes = false;
  for (const ResolvedBreakdown& breakdown : query.breakdowns) {
    needs_spells = needs_spells || breakdown.kind == BreakdownKind::kDuration;
    needs_codes = needs_codes || breakdown.kind == BreakdownKind::kVisitation ||
                  breakdown.kind == BreakdownKind::kUnemploymentFund ||
                  breakdown.kind == BreakdownKind::kBenefit;
    needs_person_codes = needs_person_codes || breakdown.kind == BreakdownKind::kSex ||
                         breakdown.kind == BreakdownKind::kOrigin ||
                         breakdown.kind == BreakdownKind::kEducation;
  }
  bool needs_degree = false;
  for (size_t measure = 0; measure < query.measures.size(); ++measure) {
    needs_degree = needs_degree || (measures[measure] != 0 &&
                                    query.measures[measure].statistic != Statistic::kPersons);
  }
  auto prefetch_row = [&](uint32_t row) {
    Prefetch(&benefits.person[row]);
    Prefetch(&benefits.from[row]);
    Prefetch(&benefits.to[row]);
    Prefetch(&benefits.municipality[row]);
    if (needs_degree) Prefetch(&benefits.degree_millionths[row]);
    if (needs_spells) Prefetch(&benefits.own_spell_start[row]);
    if (needs_codes) {
      Prefetch(&benefits.visitation[row]);
      Prefetch(&benefits.fund[row]);
      Prefetch(&benefits.benefit[row]);
    }
  };
  auto prefetch_person = [&](uint32_t person) {
    Prefetch(&persons.birth_packed[person]);
    if (needs_person_codes) {
      Prefetch(&persons.sex[person]);
      Prefetch(&persons.origin[person]);
      Prefetch(&persons.education[person]);
    }
  };

  // Measures of the same group and breakdown applicability share one visit of each row.
  struct MeasureGroup {
    uint64_t mask = 0;
    std::array<bool, 8> applies{};
    std::vector<size_t> measures;
    bool persons_only = true;
  };
  std::vector<MeasureGroup> groups;
  for (size_t measure = 0; measure < query.measures.size(); ++measure) {
    if (measures[measure] == 0) continue;
    MeasureGroup group;
    group.mask = query.measures[measure].benefit_mask;
    for (size_t index = 0; index < breakdown_count; ++index) {
      group.applies[index] =
          BreakdownApplies(query.breakdowns[index].kind, query.measures[measure].statistic);
    }
    auto same = [&](const MeasureGroup& other) {
      return other.mask == group.mask && other.applies == group.applies;
    };
    auto found = std::find_if(groups.begin(), groups.end(), same);
    if (found == groups.end()) found = groups.insert(groups.end(), std::move(group));
    found->measures.push_back(measure);
    found->persons_only =
        found->persons_only && query.measures[measure].statistic == Statistic::kPersons;
  }

  // Only the municipalities some area covers are visited.
  const RecordMonthIndex& month_index = shard.benefit_months;
  std::vector<size_t> covered_slots;
  for (size_t slot = 0; slot < month_index.slots(); ++slot) {
    if (!query.areas.Of(month_index.municipalities[slot]).empty()) covered_slots.push_back(slot);
  }
  const std::vector<uint16_t>* uniform_areas =
      breakdown_count == 0 ? UniformAreas(query, month_index) : nullptr;

  const DimensionClasses area_classes = ClassesOf(query.areas);
  std::vector<DimensionClasses> breakdown_classes;
  std::vector<DimensionClasses> total_classes;
  for (const ResolvedBreakdown& breakdown : query.breakdowns) {
    breakdown_classes.push_back(ClassesOf(breakdown.map));
    total_classes.push_back(TotalOnly(breakdown.map));
  }

  for (const MeasureGroup& group : groups) {
    std::vector<uint32_t> row_periods;  // the periods answered from the rows
    for (size_t period_index = 0; period_index < query.periods.size(); ++period_index) {
      const Period& period = query.periods[period_index].period;
      if (uniform_areas != nullptr && group.persons_only &&
          period.first_month() == period.last_month()) {
        // Each person's set of codes that month meets the group or not: no row to visit.
        uint64_t persons_in_group = 0;
        for (const MonthCodeSets::Entry& entry : shard.benefit_code_sets.Of(period.first_month()))
          persons_in_group += (entry.codes & group.mask) != 0 ? entry.persons : 0;
        for (const size_t measure : group.measures) {
          const size_t base = measure * query.stride[0] + period_index * query.stride[1];
          for (const uint16_t area : *uniform_areas)
            numerator[base + area * strides[0]] += static_cast<double>(persons_in_group);
        }
        continue;
      }
      row_periods.push_back(static_cast<uint32_t>(period_index));
    }
    if (row_periods.empty()) continue;
    const PeriodMonths months = MonthsOfPeriods(query, row_periods);
    GatherRows(month_index, group.mask, months, covered_slots, benefits.from.size(), month_rows);

    // The leaves: a contribution is its period (by place in row_periods) and the class of
    // each dimension. When there are not many more leaves than cells, contributions are
    // summed by leaf and the leaves turned into cells at the end; each person's leaves are
    // collected while their rows pass (GatherRows keeps them adjacent), and a person with one
    // leaf in a period — nearly everyone — is one count there. Otherwise every contribution
    // goes to its cells at once.
    std::array<const DimensionClasses*, 8> classes{};
    classes[0] = &area_classes;
    for (size_t index = 0; index < breakdown_count; ++index)
      classes[index + 1] = group.applies[index] ? &breakdown_classes[index] : &total_classes[index];
    std::array<size_t, 8> leaf_stride{};
    size_t leaves_per_period = 1;
    for (size_t dimension = dimensions; dimension-- > 0;) {
      leaf_stride[dimension] = leaves_per_period;
      leaves_per_period *= std::max<size_t>(classes[dimension]->size(), 1);
    }
    const size_t leaf_count = leaves_per_period * row_periods.size();
    const bool by_leaf =
        leaves_wanted && leaf_count <= std::max<size_t>(query.cells, size_t{1} << 16);
    std::vector<uint32_t> slot_of_period(query.periods.size(), 0);
    for (size_t slot = 0; slot < row_periods.size(); ++slot)
      slot_of_period[row_periods[slot]] = slot;
    bool counts_persons = false;
    for (const size_t measure : group.measures)
      counts_persons = counts_persons || query.measures[measure].statistic == Statistic::kPersons;
    thread_local std::vector<uint32_t> leaf_persons;
    thread_local std::vector<double> leaf_weight;
    thread_local std::vector<uint32_t> person_leaves;  // the current person's, in this group
    if (by_leaf) {
      leaf_persons.assign(counts_persons ? leaf_count : 0, 0);
      leaf_weight.assign(group.persons_only ? 0 : leaf_count, 0.0);
    }
    person_leaves.clear();
    uint32_t leaves_person = 0;

    // Points `matches` at the categories of the classes in `of`.
    auto set_matches = [&](const std::array<int32_t, 8>& of) {
      for (size_t dimension = 0; dimension < dimensions; ++dimension)
        matches[dimension] = classes[dimension]->lists[of[dimension]];
    };
    auto period_base = [&](size_t measure, uint32_t period_index) {
      return measure * query.stride[0] + period_index * query.stride[1];
    };
    // Counts `person` once in every cell of the classes `of` in `period_index` they have not
    // been counted in yet (a person with several leaves in a period).
    auto count_person = [&](uint32_t person, uint32_t period_index,
                            const std::array<int32_t, 8>& of) {
      set_matches(of);
      const uint64_t stamp = generation | person;
      for (const size_t measure : group.measures) {
        if (query.measures[measure].statistic != Statistic::kPersons) continue;
        ForEachCellOf(period_base(measure, period_index), active_matches, strides,
                      [&](size_t cell) {
                        if (stamps[cell] == stamp) return;
                        stamps[cell] = stamp;
                        numerator[cell] += 1;
                      });
      }
    };
    auto classes_of_leaf = [&](size_t leaf) {
      std::array<int32_t, 8> of{};
      for (size_t dimension = 0; dimension < dimensions; ++dimension) {
        of[dimension] = static_cast<int32_t>((leaf / leaf_stride[dimension]) %
                                             std::max<size_t>(classes[dimension]->size(), 1));
      }
      return of;
    };
    // Whether the current person's leaves came one period after another, each period once
    // (one row a period, or rows following each other: nearly everyone, even over years of
    // months); then each is one count, without sorting them.
    size_t leaves_last_slot = 0;
    bool leaves_one_per_period = true;
    auto flush_person = [&] {
      if (leaves_one_per_period) {
        for (const uint32_t leaf : person_leaves) ++leaf_persons[leaf];
      } else {
        std::sort(person_leaves.begin(), person_leaves.end());
        person_leaves.erase(std::unique(person_leaves.begin(), person_leaves.end()),
                            person_leaves.end());
        for (size_t at = 0; at < person_leaves.size();) {
          const size_t slot = person_leaves[at] / leaves_per_period;
          size_t end = at + 1;
          while (end < person_leaves.size() && person_leaves[end] / leaves_per_period == slot)
            ++end;
          if (end == at + 1) {
            ++leaf_persons[person_leaves[at]];
          } else {
            for (; at < end; ++at)
              count_person(leaves_person, row_periods[slot], classes_of_leaf(person_leaves[at]));
          }
          at = end;
        }
      }
      person_leaves.clear();
      leaves_one_per_period = true;
    };

    // A row's classes that do not change with the day (its area, codes and the person's
    // attributes), found once per row; age and duration are of each contribution's last day.
    struct RowClasses {
      std::array<int32_t, 8> of{};
      bool anywhere = true;
      size_t leaf_within_period = 0;  // by leaf: the part of the leaf of these classes
    };
    // The breakdowns that apply and change with the day, with what a contribution needs of
    // them at hand (it runs once per row and period).
    struct ByDay {
      size_t index = 0;  // the breakdown's
      bool age = false;  // else duration
      const DimensionClasses* classes = nullptr;
      size_t leaf_stride = 0;
    };
    std::array<ByDay, 8> by_day_list{};
    size_t by_day_count = 0;
    for (size_t index = 0; index < breakdown_count; ++index) {
      const BreakdownKind kind = query.breakdowns[index].kind;
      if (group.applies[index] && (kind == BreakdownKind::kAge || kind == BreakdownKind::kDuration))
        by_day_list[by_day_count++] = {index, kind == BreakdownKind::kAge,
                                       &breakdown_classes[index], leaf_stride[index + 1]};
    }
    const std::span<const ByDay> by_day(by_day_list.data(), by_day_count);
    std::array<size_t, 8> fixed_stride = leaf_stride;  // 0 for the classes by day
    for (const ByDay& day_class : by_day) fixed_stride[day_class.index + 1] = 0;
    auto classes_of_row = [&](uint32_t row, uint32_t person) {
      RowClasses found;
      found.of[0] = area_classes.Of(benefits.municipality[row]);
      found.anywhere = found.of[0] >= 0;
      for (size_t index = 0; index < breakdown_count; ++index) {
        if (!group.applies[index]) {
          found.of[index + 1] = total_classes[index].size() == 0 ? -1 : 0;
          found.anywhere = found.anywhere && found.of[index + 1] >= 0;
          continue;
        }
        int value = -1;
        switch (query.breakdowns[index].kind) {
          case BreakdownKind::kAge:
          case BreakdownKind::kDuration:
            continue;  // by day
          case BreakdownKind::kSex:
            value = CodeOf(persons.sex[person]);
            break;
          case BreakdownKind::kOrigin:
            value = CodeOf(persons.origin[person]);
            break;
          case BreakdownKind::kEducation:
            value = CodeOf(persons.education[person]);
            break;
          case BreakdownKind::kBenefit:
            value = CodeOf(benefits.benefit[row]);
            break;
          case BreakdownKind::kVisitation:
            value = CodeOf(benefits.visitation[row]);
            break;
          case BreakdownKind::kUnemploymentFund:
            value = CodeOf(benefits.fund[row]);
            break;
          default:
            assert(false && "MonthPassMeasures admits only the kinds above");
            break;
        }
        found.of[index + 1] = breakdown_classes[index].Of(value);
        found.anywhere = found.anywhere && found.of[index + 1] >= 0;
      }
      if (by_leaf && found.anywhere) {  // the classes by day add theirs per contribution
        for (size_t dimension = 0; dimension < dimensions; ++dimension)
          found.leaf_within_period +=
              static_cast<size_t>(found.of[dimension]) * fixed_stride[dimension];
      }
      return found;
    };

    // One contribution: `row` in the period `period_index`, which it overlaps.
    // Inlined into the row loop: it runs once per row and period (tens of millions of times
    // for a group of long records over months); as a call it cost 15-25 % of these tables.
    auto contribute = [&](uint32_t row, uint32_t person, uint32_t period_index,
                          const RowClasses& row_classes) __attribute__((always_inline)) {
      const Period& period = query.periods[period_index].period;
      // Evaluated on the last day of the row's overlap with the period (as PersonPass).
      const DayNumber first = std::max(benefits.from[row], period.first_day);
      const DayNumber last = std::min(benefits.to[row], period.last_day);
      std::array<int32_t, 8> of = row_classes.of;
      bool anywhere = row_classes.anywhere;
      const size_t slot = slot_of_period[period_index];
      size_t leaf = slot * leaves_per_period + row_classes.leaf_within_period;
      for (const ByDay& day_class : by_day) {
        const int value = day_class.age
                              ? AgeFromPacked(persons.birth_packed[person], months.Packed(last))
                              : (last - benefits.own_spell_start[row] + 1) / 7;
        const int32_t class_of = day_class.classes->Of(value);
        of[day_class.index + 1] = class_of;
        if (class_of < 0) {
          anywhere = false;
          // Counted once per measure evaluated, as PersonPass counts.
          accumulators.outside_bands[day_class.index] +=
              static_cast<int64_t>(group.measures.size());
        }
        leaf += static_cast<size_t>(class_of) * day_class.leaf_stride;
      }
      if (!anywhere) return;

      // Only full-time counts read the degree: for persons alone its column is not fetched.
      const double weight = group.persons_only
                                ? 0.0
                                : static_cast<double>(last - first + 1) *
                                      static_cast<double>(benefits.degree_millionths[row]);
      if (by_leaf) {
        if (!group.persons_only) leaf_weight[leaf] += weight;
        if (!counts_persons) return;
        if (person != leaves_person) {
          flush_person();
          leaves_person = person;
        }
        if (person_leaves.empty()) {
          person_leaves.push_back(static_cast<uint32_t>(leaf));
        } else if (person_leaves.back() != leaf) {
          leaves_one_per_period = leaves_one_per_period && slot > leaves_last_slot;
          person_leaves.push_back(static_cast<uint32_t>(leaf));
        }
        leaves_last_slot = slot;
        return;
      }
      count_person(person, period_index, of);
      for (const size_t measure : group.measures) {
        if (query.measures[measure].statistic == Statistic::kPersons) continue;
        ForEachCellOf(period_base(measure, period_index), active_matches, strides,
                      [&](size_t cell) { numerator[cell] += weight; });
      }
    };

    const std::span<const uint32_t> rows(month_rows);
    for (size_t at = 0; at < rows.size(); ++at) {
      // The rows are ascending but apart: fetch ahead so the cache misses of several rows
      // overlap (the loop is bound by memory latency).
      if (at + kPrefetchRows < rows.size()) prefetch_row(rows[at + kPrefetchRows]);
      if (at + kPrefetchRows / 2 < rows.size())
        prefetch_person(benefits.person[rows[at + kPrefetchRows / 2]]);
      const uint32_t row = rows[at];
      const uint32_t person = benefits.person[row];
      // Each period the row overlaps, once: at the first of its months that the row covers.
      // (Every gathered row overlaps first … last.)
      const MonthIndex first_month = months.Within(benefits.from[row]);
      const MonthIndex last_month = months.Within(benefits.to[row]);
      const RowClasses row_classes = classes_of_row(row, person);
      // Nowhere whatever the day, and no band to be outside of: nothing to count.
      if (!row_classes.anywhere && by_day.empty()) continue;
      for (const uint32_t period_index : months.Of(first_month))
        contribute(row, person, period_index, row_classes);
      for (MonthIndex month = months.NextStart(first_month + 1); month <= last_month;
           month = months.NextStart(month + 1)) {
        for (const uint32_t period_index : months.StartingIn(month))
          contribute(row, person, period_index, row_classes);
      }
    }
    if (!by_leaf) continue;
    if (counts_persons) flush_person();
    // Each leaf's sums into its cells, in leaf order (integers: the same in any order).
    for (size_t leaf = 0; leaf < leaf_count; ++leaf) {
      const uint32_t persons_here = counts_persons ? leaf_persons[leaf] : 0;
      const double weight_here = group.persons_only ? 0.0 : leaf_weight[leaf];
      if (persons_here == 0 && weight_here == 0.0) continue;
      set_matches(classes_of_leaf(leaf));
      const uint32_t period_index = row_periods[leaf / leaves_per_period];
      for (const size_t measure : group.measures) {
        const double add = query.measures[measure].statistic == Statistic::kPersons
                               ? static_cast<double>(persons_here)
                               : weight_here;
        if (add == 0.0) continue;
        ForEachCellOf(period_base(measure, period_index), active_matches, strides,
                      [&](size_t cell) { numerator[cell] += add; });
      }
    }
  }
}

}  // namespace jobindsigt::engine
