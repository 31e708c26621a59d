#pragma once
// One measure group's share of the month pass (month_pass.cpp): the periods it is answered
// for from the rows, its leaves and sums, and what it makes of each benefit row it is shown.
// Groups of the same codes and months are shown the same gathered rows in one visit
// (VisitRows), so a row's columns are fetched once for all of them: persons and
// persons_started of one table, or persons on the first and on the last day, do not gather and
// read the same rows twice (docs/decisions/0015-engine-groups-share-one-visit.md). Internal
// to the month pass.

#include <algorithm>
#include <array>
#include <cstdint>
#include <limits>
#include <span>
#include <vector>

#include "engine/month_rows.h"
#include "engine/month_rules.h"
#include "engine/month_spans.h"

namespace jobindsigt::engine {

// What the groups of one worker's share of a query share (MonthPass, month_pass.h): the
// query's classes, and the shard being visited with its stamp generation.
struct MonthPassShared {
  const ResolvedQuery& query;
  Accumulators& accumulators;
  std::vector<uint64_t>& stamps;         // distinct-person stamps by cell (generation | person)
  const Shard* shard = nullptr;          // the one being visited
  const BenefitColumns* rows = nullptr;  // its rows visited: benefits, or runs (MonthPass)
  uint64_t generation = 0;               // its stamps' (a new one per shard: persons are per shard)
  DimensionClasses area_classes;
  std::vector<DimensionClasses> breakdown_classes;  // by breakdown: its classes
  std::vector<DimensionClasses> total_classes;      // by breakdown: its total alone
};

// No leaf (MonthGroupBuffers::slot_leaf of a period where the person has none yet).
inline constexpr uint32_t kNoLeaf = std::numeric_limits<uint32_t>::max();

// The buffers a group's evaluation reuses from query to query (one set per group of a
// thread's evaluation). The sums by leaf add up over the shards a worker takes.
struct MonthGroupBuffers {
  std::vector<uint32_t> leaf_persons;
  std::vector<double> leaf_weight;
  std::vector<uint32_t> leaf_events;
  std::vector<double> leaf_full_weight;  // activation_rate's denominator
  std::vector<uint32_t> person_leaves;   // the current person's
  std::vector<uint32_t> slot_leaf;       // by period slot: the current person's leaf there
                                         // (the last met), or kNoLeaf
  MonthSpans spans;
  GroupSpells spells;
};

// How the rows shown to a set of groups are gathered (GatherRows' choices).
struct RowChoice {
  bool beginning_only = false;
  const std::vector<uint64_t>* only = nullptr;
  const std::vector<uint64_t>* or_only = nullptr;
};

class MonthGroup {
 public:
  // `row_periods`: the periods of the query the group is answered for from the rows.
  MonthGroup(const MonthPassShared& shared, const MeasureGroup& group,
             std::vector<uint32_t> row_periods, bool leaves_wanted, bool spans_wanted,
             MonthGroupBuffers& buffers);
  MonthGroup(const MonthGroup&) = delete;
  MonthGroup& operator=(const MonthGroup&) = delete;

  const MeasureGroup& group() const { return group_; }
  const std::vector<uint32_t>& row_periods() const { return row_periods_; }
  const PeriodMonths& months() const { return months_; }
  // The rows this group counts: every row overlapping its months, or for a spell rule only
  // its first (end) records. A group shown more rows passes over the others.
  RowChoice Rows() const;
  // Whether the group finds the end of each spell started from the row's code, own-code
  // spell start and the end bits from it on (SpellEndOf, survival of one code): fetched ahead.
  bool ReadsOwnSpellEnds() const { return group_.survival && !several_codes_; }
  // Whether the group builds each person's spells of several codes (GroupSpells): a set of
  // codes that is no catalogue group (those have theirs from the load, GroupSpellBits).
  bool BuildsSpells() const { return spells_per_person_; }
  // Whether a breakdown by the status after the spell applies (StatusAfter per contribution).
  bool ReadsStatusAfter() const {
    return std::any_of(by_day_.begin(), by_day_.end(), [](const ByDay& day_class) {
      return day_class.kind == BreakdownKind::kStatusAfter;
    });
  }

  // Before a shard's rows: reads that shard's columns (shared.shard).
  void StartShard();
  // Counts `row` (of `person`), one of the rows gathered for the group, ascending.
  void Visit(uint32_t row, uint32_t person);
  // Whether a row's classes (area, attributes: RowClasses) are the same for this group as
  // for `other`, which then counts every row shown to it (no spell rule).
  bool SharesRowClassesWith(const MonthGroup& other) const;
  // Visit for each of `groups`, which share their row classes, found once.
  static void VisitSharingClasses(std::span<MonthGroup* const> groups, uint32_t row,
                                  uint32_t person);
  // After a shard's rows: counts its last person. The sums by leaf wait for Finish.
  void EndShard();
  // Once every shard is visited: adds the sums by leaf to the accumulators. Persons are
  // counted within their shard, so the sums of all the worker's shards are turned into cells
  // together, once (not once per shard).
  void Finish();

 private:
  // A row's classes that do not change with the day (its area, codes and the person's
  // attributes), found once per row; age and duration are of each contribution's last day.
  struct RowClasses {
    std::array<int32_t, 8> of{};
    bool anywhere = true;
    size_t leaf_within_period = 0;  // by leaf: the part of the leaf of these classes
    DayNumber spell_start = 0;      // of the row's spell in the group, when needed
    DayNumber spell_end = 0;        // survival: of the spell the row starts
  };
  // The breakdowns that apply and change with the day, with what a contribution needs of
  // them at hand (it runs once per row and period). status_after's breakdown is the
  // person's situation k months after the end month.
  struct ByDay {
    size_t index = 0;                          // the breakdown's
    BreakdownKind kind = BreakdownKind::kAge;  // kAge, kDuration or kStatusAfter
    const DimensionClasses* classes = nullptr;
    size_t leaf_stride = 0;
    // By value v: the last value up to which every value from v on has v's class (the end of
    // its band), so that a run of months whose values stay within it is one class.
    std::vector<int32_t> same_class_until;
    int32_t SameClassUntil(int value) const {
      if (value < 0) return -1;  // no category, as every value below 0
      return static_cast<size_t>(value) < same_class_until.size()
                 ? same_class_until[static_cast<size_t>(value)]
                 : std::numeric_limits<int32_t>::max();  // the open end's class
    }
  };

  void SetMatches(const std::array<int32_t, 8>& of);
  size_t PeriodBase(size_t measure, uint32_t period_index) const {
    return measure * query_.stride[0] + period_index * query_.stride[1];
  }
  void CountPerson(uint32_t person, uint32_t period_index, const std::array<int32_t, 8>& of);
  std::array<int32_t, 8> ClassesOfLeaf(size_t leaf) const;
  void FlushPerson();
  RowClasses ClassesOfRow(uint32_t row, uint32_t person) const;
  RowClasses ClassesWithSpell(uint32_t row, uint32_t person) const;
  RowClasses WithSpell(RowClasses found, uint32_t row) const;  // `found` with its spell start
  // Visit, with the row's classes found by another group when `shared` is not null.
  void VisitWith(uint32_t row, uint32_t person, const RowClasses* shared);
  DayNumber SpellEndOf(uint32_t row, uint32_t person) const;
  void Contribute(uint32_t row, uint32_t person, uint32_t period_index,
                  const RowClasses& row_classes);
  void CountSharedMonth(uint32_t person, uint32_t month, uint32_t leaf);
  void ContributeSpans(uint32_t row, uint32_t person, const RowClasses& row_classes,
                       MonthIndex first, MonthIndex last);
  // The person's situation (a StatusAfterState) the status_after breakdown `index` names
  // after the month of `day` (`row`'s), or kTooLate when that month is after the cut-off.
  static constexpr int kTooLate = -2;
  int StatusAfter(uint32_t row, uint32_t person, DayNumber day, size_t index) const;
  // The values of the by-day breakdowns on `day`.
  void ValuesOn(uint32_t person, DayNumber spell_start, DayNumber day,
                std::array<int, 8>& into) const;

  const MonthPassShared& shared_;
  const ResolvedQuery& query_;
  const BenefitColumns* benefits_ = nullptr;  // the shard's (StartShard)
  const PersonColumns* persons_ = nullptr;
  const OfferColumns* offers_ = nullptr;
  const GroupSpellBits* group_spells_ = nullptr;  // the shard's, for a catalogue group
  Accumulators& accumulators_;
  const MeasureGroup& group_;
  MonthGroupBuffers& buffers_;
  size_t breakdown_count_ = 0;
  size_t dimensions_ = 0;  // area, then each breakdown
  std::vector<uint32_t> row_periods_;
  PeriodMonths months_;

  std::array<const std::vector<uint16_t>*, 8> matches_{};
  std::span<const size_t> strides_;
  MonthIndex cut_off_month_ = 0;  // the release's cut-off day's

  // The leaves: a contribution is its period (by place in row_periods_) and the class of
  // each dimension.
  std::array<const DimensionClasses*, 8> classes_{};
  std::array<size_t, 8> leaf_stride_{};
  std::array<size_t, 8> fixed_stride_{};  // leaf_stride_ with 0 for the classes by day
  size_t leaves_per_period_ = 1;
  size_t leaf_count_ = 0;
  bool by_leaf_ = false;
  std::vector<uint32_t> slot_of_period_;
  bool counts_persons_ = false;
  uint32_t leaves_person_ = 0;
  bool leaves_one_per_period_ = true;

  std::array<ByDay, 8> by_day_list_{};
  std::span<const ByDay> by_day_;

  bool by_span_ = false;
  std::vector<int64_t> month_days_;     // [month − first]
  std::vector<uint32_t> asked_before_;  // [month − first]: the asked months before it

  bool by_event_ = false;
  bool spell_starts_needed_ = false;
  bool several_codes_ = false;
  bool spells_per_person_ = false;  // built per person (GroupSpells), not group_spells_'
  uint32_t spells_person_ = 0;
};

// Shows `rows` (gathered for all of `groups`: the union of what each counts, ascending) to
// each of `groups`, fetching ahead the columns they read.
void VisitRows(const MonthPassShared& shared, std::span<MonthGroup* const> groups,
               std::span<const uint32_t> rows);

}  // namespace jobindsigt::engine
