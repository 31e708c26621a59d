// The reference evaluator's cells: each item goes into every category whose set holds its
// value (the cartesian product over the dimensions), and each cell's value is the
// statistic's definition over the items it received.

#include <map>
#include <stdexcept>

#include "reference_evaluator.h"
#include "reference_items.h"

namespace jobindsigt::test {

using engine::BreakdownKind;
using engine::CellStatus;
using engine::Statistic;

namespace {

// The reference keeps its own statistic kinds (not engine::IsExpenditure): it shares no
// rule with the engine beyond parsing.
bool PaidOut(Statistic statistic) {
  return statistic == Statistic::kExpenditureGross || statistic == Statistic::kExpenditureNet;
}

// S(k) = 100 × Π_{j<k} (1 − e_j ÷ r_j) over the cell's spells; `defined` is false when the
// cell has no spell, or when no spell is at risk in some week j < k before S reached 0.
double KaplanMeier(const std::vector<std::pair<int, bool>>& spells, int k, bool& defined) {
  defined = !spells.empty();
  if (!defined) return 0;
  std::vector<int64_t> with_weeks(k + 1, 0);  // spells with T = j (j ≤ k)
  std::vector<int64_t> events(k + 1, 0);      // ended spells with T = j
  int64_t longer = 0;                         // spells with T > k
  for (const auto& [weeks, ended] : spells) {
    if (weeks > k) {
      ++longer;
      continue;
    }
    ++with_weeks[weeks];
    if (ended) ++events[weeks];
  }
  std::vector<int64_t> at_risk(k + 2, 0);  // r_j = spells with T ≥ j
  at_risk[k + 1] = longer;
  for (int j = k; j >= 0; --j) at_risk[j] = at_risk[j + 1] + with_weeks[j];
  double survival = 100;
  for (int j = 0; j < k; ++j) {
    if (survival == 0) break;  // once every spell has ended, S stays 0
    if (at_risk[j] == 0) {
      defined = false;
      return 0;
    }
    survival *= 1.0 - static_cast<double>(events[j]) / static_cast<double>(at_risk[j]);
  }
  return survival;
}

// The categories of `axis` that hold the item.
std::vector<size_t> Matches(const RefAxis& axis, Statistic statistic, const Item& item,
                            const RefPerson& person) {
  std::vector<size_t> matches;
  auto each = [&](auto holds) {
    for (size_t c = 0; c < axis.categories.size(); ++c) {
      if (holds(axis.categories[c])) matches.push_back(c);
    }
    return matches;
  };
  auto code = [&](const std::string& value) {
    return each([&](const RefCategory& category) { return category.codes.count(value) != 0; });
  };
  if (!axis.kind) {
    return each([&](const RefCategory& category) {
      return category.municipalities.count(item.municipality) != 0;
    });
  }
  // A breakdown that does not apply: the item is only in its total, which is the statistic
  // without the breakdown.
  if (!RefApplies(statistic, *axis.kind)) {
    if (const auto total = axis.TotalIndex()) matches.push_back(*total);
    return matches;
  }
  switch (*axis.kind) {
    case BreakdownKind::kAge: {
      const int age = WholeYears(person.birth, item.day);
      return each([&](const RefCategory& category) { return category.HoldsValue(age); });
    }
    case BreakdownKind::kDuration:
      return each([&](const RefCategory& category) { return category.HoldsValue(item.duration); });
    case BreakdownKind::kSex:
      return code(person.sex);
    case BreakdownKind::kOrigin:
      return code(person.origin);
    case BreakdownKind::kEducation:
      return code(person.education);
    case BreakdownKind::kBenefit:
      return code(item.benefit);
    case BreakdownKind::kVisitation:
      return code(item.visitation);
    case BreakdownKind::kUnemploymentFund:
      return code(item.fund);
    case BreakdownKind::kStatusAfter:
      // A spell left out is counted in `left_out` of every status category.
      if (item.status.empty()) return each([](const RefCategory&) { return true; });
      return code(item.status);
    case BreakdownKind::kOfferType:
    case BreakdownKind::kProvider:
    case BreakdownKind::kSurvivalWeek:
      // The item is in every category; what it adds depends on the category.
      return each([](const RefCategory&) { return true; });
  }
  return matches;
}

}  // namespace

RefCube ReferenceEvaluator::Evaluate(const engine::Query& query) const {
  const RefLayout layout = BuildLayout(query, catalogue_);
  RefCube cube;
  RefDimension statistic{"statistic", {}};
  for (const auto& measure : layout.measures) statistic.categories.push_back(measure.id);
  RefDimension period{"period", {}};
  for (const auto& p : layout.periods) period.categories.push_back(p.id);
  cube.dimensions = {statistic, period};
  std::vector<const RefAxis*> axes = {&layout.area};
  for (const auto& axis : layout.breakdowns) axes.push_back(&axis);
  size_t block_size = 1;
  for (const RefAxis* axis : axes) {
    RefDimension dimension{axis->id, {}};
    for (const auto& category : axis->categories) dimension.categories.push_back(category.id);
    cube.dimensions.push_back(dimension);
    block_size *= axis->categories.size();
  }
  cube.cells.resize(layout.measures.size() * layout.periods.size() * block_size);
  cube.outside_bands.assign(layout.breakdowns.size(), 0);
  for (size_t m = 0; m < layout.measures.size(); ++m) {
    for (size_t p = 0; p < layout.periods.size(); ++p) EvaluateBlock(layout, m, p, cube);
  }
  return cube;
}

void ReferenceEvaluator::EvaluateBlock(const RefLayout& layout, size_t measure, size_t period,
                                       RefCube& cube) const {
  std::vector<RefCell>& cells = cube.cells;
  Block block;
  block.statistic = layout.measures[measure].statistic;
  block.group = &layout.measures[measure].group;
  block.period = layout.periods[period];
  const Statistic statistic = block.statistic;
  std::vector<const RefAxis*> axes = {&layout.area};
  std::optional<size_t> offer_axis, provider_axis, week_axis, status_axis;
  for (const auto& axis : layout.breakdowns) {
    if (axis.kind == BreakdownKind::kOfferType) offer_axis = axes.size();
    if (axis.kind == BreakdownKind::kProvider) provider_axis = axes.size();
    if (axis.kind == BreakdownKind::kSurvivalWeek) week_axis = axes.size();
    if (axis.kind == BreakdownKind::kStatusAfter) {
      status_axis = axes.size();
      block.months = axis.months;
    }
    axes.push_back(&axis);
  }
  if (statistic == Statistic::kSurvival && !week_axis) {
    throw std::invalid_argument("survival needs the survival_week breakdown");
  }
  if (statistic == Statistic::kStatusAfter && !status_axis) {
    throw std::invalid_argument("status_after needs the status_after breakdown");
  }
  size_t block_size = 1;
  for (const RefAxis* axis : axes) block_size *= axis->categories.size();
  const size_t offset = (measure * layout.periods.size() + period) * block_size;
  auto coordinates_of = [&](size_t index) {
    std::vector<size_t> coordinates(axes.size());
    for (size_t a = axes.size(); a-- > 0;) {
      coordinates[a] = index % axes[a]->categories.size();
      index /= axes[a]->categories.size();
    }
    return coordinates;
  };

  FillItems(block);
  std::vector<Accumulator> cell(block_size);
  for (const Item& item : block.items) {
    const RefPerson& person = data_.persons.at(item.person);
    std::vector<std::vector<size_t>> matches;
    bool anywhere = true;
    for (size_t a = 0; a < axes.size(); ++a) {
      const RefAxis& axis = *axes[a];
      matches.push_back(Matches(axis, statistic, item, person));
      anywhere = anywhere && !matches.back().empty();
      const bool bands = axis.kind == BreakdownKind::kAge || axis.kind == BreakdownKind::kDuration;
      if (bands && matches.back().empty() && RefApplies(statistic, *axis.kind)) {
        ++cube.outside_bands[a - 1];
      }
    }
    if (!anywhere) continue;
    std::map<std::pair<size_t, size_t>, int> activated;  // (offer, provider category) -> days
    std::vector<size_t> at(axes.size(), 0);              // the odometer over `matches`
    while (true) {
      size_t index = 0;
      std::vector<size_t> coordinates(axes.size());
      for (size_t a = 0; a < axes.size(); ++a) {
        coordinates[a] = matches[a][at[a]];
        index = index * axes[a]->categories.size() + coordinates[a];
      }
      Accumulator& into = cell[index];
      const double days = item.to - item.from + 1;
      switch (statistic) {
        case Statistic::kPersons:
        case Statistic::kPersonsStart:
        case Statistic::kPersonsEnd:
        case Statistic::kPersonsStarted:
          into.persons.insert(item.person);
          break;
        case Statistic::kFte:
          into.sum += days * item.degree;
          break;
        case Statistic::kShareOfPopulation:
          if (item.resident) {
            into.denominator += 1;
          } else {
            into.sum += days * item.degree;
          }
          break;
        case Statistic::kActivatedPersons:
        case Statistic::kActivatedFte:
        case Statistic::kActivationRate: {
          const size_t offer = offer_axis ? coordinates[*offer_axis] : 0;
          const size_t provider = provider_axis ? coordinates[*provider_axis] : 0;
          auto found = activated.find({offer, provider});
          if (found == activated.end()) {
            const auto* types = offer_axis ? &axes[*offer_axis]->categories[offer].codes : nullptr;
            const auto* providers =
                provider_axis ? &axes[*provider_axis]->categories[provider].codes : nullptr;
            found = activated
                        .emplace(std::make_pair(offer, provider),
                                 ActivatedDays(item.person, item.from, item.to, types, providers))
                        .first;
          }
          if (found->second > 0) into.persons.insert(item.person);
          into.sum += found->second * item.degree;
          into.denominator += days * item.degree;
          break;
        }
        case Statistic::kSpellsStarted:
        case Statistic::kSpellsEnded:
        case Statistic::kMeetingsDue:
        case Statistic::kMeetingsHeld:
        case Statistic::kNoShows:
        case Statistic::kPopulation:
          ++into.count;
          break;
        case Statistic::kMeetingsTimely:
        case Statistic::kTimeliness:
          ++into.count;
          into.timely += item.timely ? 1 : 0;
          break;
        case Statistic::kDurationEnded:
          ++into.count;
          into.sum += item.weeks;
          break;
        case Statistic::kSurvival:
          into.survival.emplace_back(item.survival_weeks, item.ended);
          break;
        case Statistic::kStatusAfter:
          if (item.status.empty()) {
            ++into.left_out;
          } else {
            ++into.count;
          }
          break;
        case Statistic::kExpenditureGross:
        case Statistic::kExpenditureNet:
          into.cents += item.cents;
          break;
      }
      size_t a = axes.size();
      while (a > 0 && ++at[a - 1] == matches[a - 1].size()) at[--a] = 0;
      if (a == 0) break;
    }
  }

  const Period& p = block.period;
  const double period_days = p.days();
  const bool preliminary = p.first_day <= data_.cut_off && data_.cut_off <= p.last_day;
  for (size_t index = 0; index < block_size; ++index) {
    const std::vector<size_t> coordinates = coordinates_of(index);
    const Accumulator& in = cell[index];
    RefCell& out = cells[offset + index];
    bool applies = !(PaidOut(statistic) && p.type == PeriodType::kWeek);
    for (size_t a = 1; a < axes.size(); ++a) {
      if (!RefApplies(statistic, *axes[a]->kind) && !axes[a]->categories[coordinates[a]].total) {
        applies = false;
      }
    }
    if (!applies) {
      out = {std::nan(""), CellStatus::kNotApplicable, 0};
      continue;
    }
    bool defined = true;
    double value = 0;
    switch (statistic) {
      case Statistic::kPersons:
      case Statistic::kPersonsStart:
      case Statistic::kPersonsEnd:
      case Statistic::kPersonsStarted:
      case Statistic::kActivatedPersons:
        value = static_cast<double>(in.persons.size());
        break;
      case Statistic::kFte:
      case Statistic::kActivatedFte:
        value = in.sum / period_days;
        break;
      case Statistic::kActivationRate:
        defined = in.denominator > 0;
        if (defined) value = (in.sum / period_days) / (in.denominator / period_days) * 100;
        break;
      case Statistic::kShareOfPopulation:
        defined = in.denominator > 0;
        if (defined) value = (in.sum / period_days) / in.denominator * 100;
        break;
      case Statistic::kSpellsStarted:
      case Statistic::kSpellsEnded:
      case Statistic::kMeetingsDue:
      case Statistic::kMeetingsHeld:
      case Statistic::kNoShows:
      case Statistic::kPopulation:
      case Statistic::kStatusAfter:
        value = static_cast<double>(in.count);
        break;
      case Statistic::kMeetingsTimely:
        value = static_cast<double>(in.timely);
        break;
      case Statistic::kTimeliness:
        defined = in.count > 0;
        if (defined) value = static_cast<double>(in.timely) / static_cast<double>(in.count) * 100;
        break;
      case Statistic::kDurationEnded:
        defined = in.count > 0;
        if (defined) value = in.sum / static_cast<double>(in.count);
        break;
      case Statistic::kSurvival:
        value = KaplanMeier(in.survival, axes[*week_axis]->categories[coordinates[*week_axis]].week,
                            defined);
        break;
      case Statistic::kExpenditureGross:
      case Statistic::kExpenditureNet:
        value = static_cast<double>(in.cents) / 100.0;
        break;
    }
    out.left_out = statistic == Statistic::kStatusAfter ? in.left_out : 0;
    if (!defined) {
      out.value = std::nan("");
      out.status = CellStatus::kNoDenominator;
    } else {
      out.value = value;
      out.status = preliminary ? CellStatus::kPreliminary : CellStatus::kOk;
    }
  }
}

}  // namespace jobindsigt::test
