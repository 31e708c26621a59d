#include "engine/month_pass.h"

#include <algorithm>
#include <array>
#include <atomic>
#include <bit>
#include <cassert>
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

// The benefit rows of `mask`'s codes overlapping `period` in the covered municipality slots,
// into `rows`, each once and so that each person's rows are adjacent. For one month: the
// lists one after another (within a list a person's rows are adjacent, since rows are
// person-sorted), then the rows of the persons who are in more than one list that month
// (kMoved), sorted. For several months: every list of each month, sorted, each row once.
void GatherPeriod(const RecordMonthIndex& index, uint64_t mask, const Period& period,
                  const std::vector<size_t>& slots, std::vector<uint32_t>& rows,
                  std::vector<uint32_t>& moved) {
  rows.clear();
  moved.clear();
  const MonthIndex first_month = period.first_month();
  const MonthIndex last_month = period.last_month();
  for (uint64_t rest = mask; rest != 0; rest &= rest - 1) {
    for (MonthIndex month = first_month; month <= last_month; ++month) {
      for (const size_t slot : slots) {
        for (const uint32_t entry : index.Rows(std::countr_zero(rest), month, slot)) {
          if (first_month != last_month || (entry & RecordMonthIndex::kMoved) != 0) {
            moved.push_back(entry & RecordMonthIndex::kRowMask);
          } else {
            rows.push_back(entry);
          }
        }
      }
    }
  }
  std::sort(moved.begin(), moved.end());
  moved.erase(std::unique(moved.begin(), moved.end()), moved.end());
  rows.insert(rows.end(), moved.begin(), moved.end());
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
                    const std::vector<uint8_t>& measures, Accumulators& accumulators) {
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
  thread_local std::vector<uint32_t> moved_rows;
  const std::vector<uint16_t>* uniform_areas =
      breakdown_count == 0 ? UniformAreas(query, month_index) : nullptr;

  for (const MeasureGroup& group : groups) {
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
      {
        GatherPeriod(month_index, group.mask, period, covered_slots, month_rows, moved_rows);
        const std::span<const uint32_t> rows(month_rows);
        for (size_t at = 0; at < rows.size(); ++at) {
          // A month's rows lie far apart in the person-sorted columns: fetch ahead so the
          // cache misses of several rows overlap (the loop is bound by memory latency).
          if (at + kPrefetchRows < rows.size()) prefetch_row(rows[at + kPrefetchRows]);
          if (at + kPrefetchRows / 2 < rows.size())
            prefetch_person(benefits.person[rows[at + kPrefetchRows / 2]]);
          const uint32_t row = rows[at];
          const uint32_t person = benefits.person[row];
          // Evaluated on the last day of the row's overlap with the period (as PersonPass).
          const DayNumber first = std::max(benefits.from[row], period.first_day);
          const DayNumber last = std::min(benefits.to[row], period.last_day);
          matches[0] = &query.areas.Of(benefits.municipality[row]);
          bool anywhere = !matches[0]->empty();
          for (size_t index = 0; index < breakdown_count; ++index) {
            const ResolvedBreakdown& breakdown = query.breakdowns[index];
            if (!group.applies[index]) {
              matches[index + 1] = &breakdown.map.total_only;
              anywhere = anywhere && !matches[index + 1]->empty();
              continue;
            }
            int value = -1;
            switch (breakdown.kind) {
              case BreakdownKind::kAge:
                value = AgeFromPacked(persons.birth_packed[person], PackedDate(last));
                break;
              case BreakdownKind::kSex:
                value = CodeOf(persons.sex[person]);
                break;
              case BreakdownKind::kOrigin:
                value = CodeOf(persons.origin[person]);
                break;
              case BreakdownKind::kEducation:
                value = CodeOf(persons.education[person]);
                break;
              case BreakdownKind::kDuration:
                value = (last - benefits.own_spell_start[row] + 1) / 7;
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
            matches[index + 1] = &breakdown.map.Of(value);
            if (matches[index + 1]->empty()) {
              anywhere = false;
              // Counted once per measure evaluated, as PersonPass counts.
              if (TakesBands(breakdown.kind))
                accumulators.outside_bands[index] += static_cast<int64_t>(group.measures.size());
            }
          }
          if (!anywhere) continue;

          const uint64_t stamp = generation | person;
          const double weight = static_cast<double>(last - first + 1) *
                                static_cast<double>(benefits.degree_millionths[row]);
          for (const size_t measure : group.measures) {
            const bool persons_statistic = query.measures[measure].statistic == Statistic::kPersons;
            const size_t base = measure * query.stride[0] + period_index * query.stride[1];
            ForEachCellOf(base, active_matches, strides, [&](size_t cell) {
              if (!persons_statistic) {  // fte, share_of_population's numerator
                numerator[cell] += weight;
              } else if (stamps[cell] != stamp) {
                // A person's rows of the period are adjacent (GatherPeriod): their earlier rows
                // in this cell were the last to stamp it.
                stamps[cell] = stamp;
                numerator[cell] += 1;
              }
            });
          }
        }
      }
    }
  }
}

}  // namespace jobindsigt::engine
