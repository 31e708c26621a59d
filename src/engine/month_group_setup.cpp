// MonthGroup's setting up for a query and for each shard, and its end (month_group.h): run
// once per query or shard, apart from the visit of the rows (month_group.cpp).
#include <algorithm>
#include <bit>
#include <limits>
#include <vector>

#include "engine/cell_odometer.h"
#include "engine/month_group.h"

namespace jobindsigt::engine {

namespace {

// ByDay::same_class_until of `map`'s classes.
std::vector<int32_t> SameClassUntilOf(const CategoryMap& map) {
  const std::vector<int32_t>& class_of = map.class_of_value;
  std::vector<int32_t> until(class_of.size());
  for (size_t value = class_of.size(); value-- > 0;) {
    const bool next_same = value + 1 < class_of.size() ? class_of[value + 1] == class_of[value]
                                                       : map.beyond_class == class_of[value];
    if (!next_same) {
      until[value] = static_cast<int32_t>(value);
    } else {
      until[value] =
          value + 1 < class_of.size() ? until[value + 1] : std::numeric_limits<int32_t>::max();
    }
  }
  return until;
}

}  // namespace

MonthGroup::MonthGroup(const MonthPassShared& shared, const MeasureGroup& group,
                       std::vector<uint32_t> row_periods, bool leaves_wanted, bool spans_wanted,
                       MonthGroupBuffers& buffers)
    : shared_(shared),
      query_(shared.query),
      accumulators_(shared.accumulators),
      group_(group),
      buffers_(buffers),
      breakdown_count_(shared.query.breakdowns.size()),
      dimensions_(shared.query.breakdowns.size() + 1),
      row_periods_(std::move(row_periods)),
      months_(MonthsOfPeriods(shared.query, row_periods_)),
      strides_(std::span<const size_t>(shared.query.stride).subspan(2)),
      cut_off_month_(MonthOfDay(shared.query.release->cut_off_day)) {
  // When there are not many more leaves than cells, contributions are summed by leaf and the
  // leaves turned into cells at the end; each person's leaves are collected while their rows
  // pass (the rows are in person order), and a person with one leaf in a period — nearly
  // everyone — is one count there. Otherwise every contribution goes to its cells at once.
  classes_[0] = &shared_.area_classes;
  for (size_t index = 0; index < breakdown_count_; ++index)
    classes_[index + 1] =
        group_.applies[index] ? &shared_.breakdown_classes[index] : &shared_.total_classes[index];
  for (size_t dimension = dimensions_; dimension-- > 0;) {
    leaf_stride_[dimension] = leaves_per_period_;
    leaves_per_period_ *= std::max<size_t>(classes_[dimension]->size(), 1);
  }
  leaf_count_ = leaves_per_period_ * row_periods_.size();
  by_leaf_ = leaves_wanted && leaf_count_ <= std::max<size_t>(query_.cells, size_t{1} << 16);
  slot_of_period_.assign(query_.periods.size(), 0);
  for (size_t slot = 0; slot < row_periods_.size(); ++slot)
    slot_of_period_[row_periods_[slot]] = static_cast<uint32_t>(slot);
  for (const size_t measure : group_.measures)
    counts_persons_ = counts_persons_ || CountsDistinctPersons(query_.measures[measure].statistic);
  if (by_leaf_) {
    buffers_.leaf_persons.assign(counts_persons_ ? leaf_count_ : 0, 0);
    buffers_.leaf_weight.assign(group_.weighted ? leaf_count_ : 0, 0.0);
    buffers_.leaf_events.assign(group_.counted ? leaf_count_ : 0, 0);
    buffers_.leaf_full_weight.assign(group_.full_weighted ? leaf_count_ : 0, 0.0);
  }
  buffers_.person_leaves.clear();
  buffers_.slot_leaf.assign(row_periods_.size(), kNoLeaf);

  size_t by_day_count = 0;
  for (size_t index = 0; index < breakdown_count_; ++index) {
    const BreakdownKind kind = query_.breakdowns[index].kind;
    if (group_.applies[index] && (kind == BreakdownKind::kAge || kind == BreakdownKind::kDuration ||
                                  kind == BreakdownKind::kStatusAfter))
      by_day_list_[by_day_count++] = {index, kind, &shared_.breakdown_classes[index],
                                      leaf_stride_[index + 1],
                                      SameClassUntilOf(query_.breakdowns[index].map)};
  }
  by_day_ = std::span<const ByDay>(by_day_list_.data(), by_day_count);
  fixed_stride_ = leaf_stride_;
  for (const ByDay& day_class : by_day_) fixed_stride_[day_class.index + 1] = 0;

  // Tables of single months counting persons (on a day or over the month) and full-time
  // days take a row's months as spans (MonthSpans): the same contributions, without one
  // per month. Age and duration change with the day, but only upwards, so a row's months
  // fall into a few runs of one class each.
  bool single_months = true;
  for (const uint32_t period_index : row_periods_) {
    const Period& period = query_.periods[period_index].period;
    single_months = single_months && period.first_month() == period.last_month();
  }
  const size_t window_months = static_cast<size_t>(months_.last - months_.first) + 1;
  by_span_ = spans_wanted && by_leaf_ && single_months && !group_.counted && !group_.survival &&
             !group_.full_weighted &&
             (group_.rule == MonthRule::kDays ||
              (!group_.weighted &&
               (group_.rule == MonthRule::kFirstDay || group_.rule == MonthRule::kLastDay))) &&
             (window_months + 1) * leaves_per_period_ <= 4 * leaf_count_ + (size_t{1} << 16);
  for (const ByDay& day_class : by_day_)
    by_span_ = by_span_ && (day_class.kind == BreakdownKind::kAge ||
                            day_class.kind == BreakdownKind::kDuration);
  if (by_span_) {
    buffers_.spans.Reset(window_months, leaves_per_period_, counts_persons_, group_.weighted);
    asked_before_.push_back(0);
    for (size_t month = 0; month < window_months; ++month) {
      month_days_.push_back(months_.starts[month + 1] - months_.starts[month]);
      asked_before_.push_back(asked_before_.back() + (months_.periods[month].empty() ? 0 : 1));
    }
  }

  // The spell rules count a row only when it is its spell's first (or ended end) record,
  // and only in the periods holding that day. The group's spells: the rows' own-code spells
  // for one benefit, else built per person. (An ended spell's start only for its duration:
  // spells_ended alone does not read it.)
  by_event_ = group_.rule == MonthRule::kSpellStart || group_.rule == MonthRule::kSpellEnd;
  spell_starts_needed_ = group_.rule == MonthRule::kSpellEnd && group_.weighted;
  for (const ByDay& day_class : by_day_)
    spell_starts_needed_ = spell_starts_needed_ || day_class.kind == BreakdownKind::kDuration;
  several_codes_ = std::popcount(group_.mask) > 1;
  spells_person_ = std::numeric_limits<uint32_t>::max();
}

RowChoice MonthGroup::Rows() const {
  // A group spell's first (end) record is also its own-code spell's: its gap from the earlier
  // rows of the group is one from those of its code too, and the latest `to` of a group spell
  // is the latest of the own-code spell holding it. So the rows' bits hold every candidate
  // where the group's own are not there.
  switch (group_.rule) {
    case MonthRule::kSpellStart:
      return {true, group_spells_ != nullptr ? &group_spells_->first : &benefits_->spell_first,
              nullptr};
    case MonthRule::kSpellEnd:
      return {false, group_spells_ != nullptr ? &group_spells_->end : &benefits_->spell_end,
              nullptr};
    default:
      return {};
  }
}

bool MonthGroup::SharesRowClassesWith(const MonthGroup& other) const {
  return !by_event_ && !other.by_event_ && group_.applies == other.group_.applies &&
         by_leaf_ == other.by_leaf_ && fixed_stride_ == other.fixed_stride_;
}

void MonthGroup::StartShard() {
  benefits_ = shared_.rows;
  persons_ = &shared_.shard->persons;
  offers_ = &shared_.shard->offers;
  // A catalogue group's spells were found at load; another set of codes builds each
  // person's as their rows come.
  group_spells_ = several_codes_ ? benefits_->GroupSpellsOf(group_.mask) : nullptr;
  spells_per_person_ =
      several_codes_ && group_spells_ == nullptr && (by_event_ || spell_starts_needed_);
}

// A person's number is theirs within the shard only: the next shard's first person is a new
// one whatever their number.
void MonthGroup::EndShard() {
  constexpr uint32_t kNone = std::numeric_limits<uint32_t>::max();
  spells_person_ = kNone;
  if (!by_leaf_) return;
  if (by_span_) {
    buffers_.spans.EndPerson([this](uint32_t person, uint32_t month, uint32_t leaf) {
      CountSharedMonth(person, month, leaf);
    });
  }
  if (counts_persons_) FlushPerson();
  leaves_person_ = kNone;
}

void MonthGroup::Finish() {
  if (!by_leaf_) return;
  if (by_span_) {
    buffers_.spans.ForEach(
        month_days_, [&](size_t month, size_t leaf, int64_t persons_here, int64_t weight_here) {
          for (const uint32_t period_index : months_.periods[month]) {
            const size_t at = slot_of_period_[period_index] * leaves_per_period_ + leaf;
            if (counts_persons_) buffers_.leaf_persons[at] += static_cast<uint32_t>(persons_here);
            if (group_.weighted) buffers_.leaf_weight[at] += static_cast<double>(weight_here);
          }
        });
  }
  // Each leaf's sums into its cells, in leaf order (integers: the same in any order).
  const std::span<const std::vector<uint16_t>* const> active(matches_.data(), dimensions_);
  for (size_t leaf = 0; leaf < leaf_count_; ++leaf) {
    const uint32_t persons_here = counts_persons_ ? buffers_.leaf_persons[leaf] : 0;
    const double weight_here = group_.weighted ? buffers_.leaf_weight[leaf] : 0.0;
    const uint32_t events_here = group_.counted ? buffers_.leaf_events[leaf] : 0;
    const double full_weight_here = group_.full_weighted ? buffers_.leaf_full_weight[leaf] : 0.0;
    if (persons_here == 0 && weight_here == 0.0 && events_here == 0 && full_weight_here == 0.0)
      continue;
    SetMatches(ClassesOfLeaf(leaf));
    const uint32_t period_index = row_periods_[leaf / leaves_per_period_];
    for (const size_t measure : group_.measures) {
      const Statistic statistic = query_.measures[measure].statistic;
      double add = weight_here;
      if (CountsDistinctPersons(statistic)) {
        add = static_cast<double>(persons_here);
      } else if (CountsEvents(statistic) && statistic != Statistic::kDurationEnded) {
        add = static_cast<double>(events_here);
      } else if (group_.rule == MonthRule::kOfferDays && !IsActivation(statistic)) {
        add = full_weight_here;  // fte beside the activation measures
      }
      const double below = statistic == Statistic::kDurationEnded    ? events_here
                           : statistic == Statistic::kActivationRate ? full_weight_here
                                                                     : 0.0;
      if (add == 0.0 && below == 0.0) continue;
      ForEachCellOf(PeriodBase(measure, period_index), active, strides_, [&](size_t cell) {
        accumulators_.numerator[cell] += add;
        if (below != 0.0) accumulators_.denominator[cell] += below;
      });
    }
  }
}

}  // namespace jobindsigt::engine
