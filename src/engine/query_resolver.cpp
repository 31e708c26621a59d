#include "engine/query_resolver.h"

#include <fmt/format.h>

#include <algorithm>
#include <cassert>
#include <fstream>
#include <set>

#include "engine/category_resolver.h"
#include "engine/labels.h"
#include "engine/query_error.h"

namespace jobindsigt::engine {
namespace {

constexpr size_t kMaxBreakdowns = 6;

uint64_t ResolveBenefits(const std::vector<std::string>& benefits, const std::string& field,
                         const CodeLists& codes) {
  const CodeList& list = RequireCodeList(codes, "benefit");
  if (benefits.size() == 1) {
    for (const auto& group : codes.benefit_groups) {
      if (group.id != benefits.front()) continue;
      uint64_t mask = 0;
      for (const auto& member : group.members) mask |= uint64_t{1} << *list.Find(member);
      return mask;
    }
  }
  uint64_t mask = 0;
  for (size_t index = 0; index < benefits.size(); ++index) {
    const auto found = list.Find(benefits[index]);
    if (!found) {
      std::vector<std::string> groups;
      for (const auto& group : codes.benefit_groups) groups.push_back(group.id);
      throw QueryError(
          "unknown_benefit", fmt::format("{}[{}]", field, index),
          fmt::format("'{}' is neither a benefit code ({}) nor, alone, a benefit "
                      "group ({})",
                      benefits[index], JoinedForMessage(CodeIds(list)), JoinedForMessage(groups)));
    }
    mask |= uint64_t{1} << *found;
  }
  return mask;
}

std::vector<ResolvedMeasure> ResolveMeasures(const Query& query, const QueryCatalog& catalog,
                                             std::vector<Category>& categories) {
  const CodeLists& codes = catalog.codes;
  if (query.measures.empty()) {
    throw QueryError("missing_field", "statistics",
                     "the query names no statistic or measure: give at least one");
  }
  std::vector<ResolvedMeasure> measures;
  std::set<std::string> seen;
  for (size_t index = 0; index < query.measures.size(); ++index) {
    const MeasureRequest& request = query.measures[index];
    if (!seen.insert(request.id).second) {
      throw QueryError("duplicate_value", fmt::format("statistics[{}]", index),
                       fmt::format("'{}' is asked for twice", request.id));
    }
    if (request.from_catalogue) {
      const MeasureDefinition* definition = catalog.measures.Find(request.id);
      if (definition == nullptr) {
        throw QueryError("unknown_measure", fmt::format("measures[{}]", index),
                         fmt::format("'{}' is not a measure of the catalogue (see "
                                     "catalog/measures/ or the catalogue API)",
                                     request.id));
      }
      measures.push_back(
          {definition->statistic, ResolveBenefits(definition->benefit_codes, "measures", codes)});
      categories.push_back({request.id, definition->name_da, definition->name_en});
      continue;
    }
    ResolvedMeasure measure{request.statistic, 0};
    const bool own = !request.benefits.empty();
    const auto& benefits = own ? request.benefits : query.benefits;
    if (!benefits.empty()) {
      measure.benefit_mask = ResolveBenefits(
          benefits, own ? fmt::format("measures[{}].benefits", index) : "benefits", codes);
    } else if (request.statistic != Statistic::kPopulation) {
      throw QueryError("missing_field", "benefits",
                       fmt::format("statistic '{}' counts benefit recipients: give benefit "
                                   "codes or a benefit group in 'benefits'",
                                   StatisticId(request.statistic)));
    }
    measures.push_back(measure);
    const Labels labels = StatisticLabels(request.statistic);
    categories.push_back({request.id, labels.da, labels.en});
  }
  return measures;
}

std::vector<ResolvedPeriod> ResolvePeriods(const Query& query, const ReleaseData& release,
                                           std::vector<Category>& categories) {
  if (query.periods.empty())
    throw QueryError("missing_field", "periods", "the query names no period: give at least one");
  const DayNumber first_day = FirstDayOfMonth(release.first_month);
  std::vector<ResolvedPeriod> periods;
  std::set<std::string> seen;
  for (size_t index = 0; index < query.periods.size(); ++index) {
    const std::string field = fmt::format("periods[{}]", index);
    const auto period = ParsePeriod(query.periods[index]);
    if (!period) {
      throw QueryError("bad_period", field,
                       fmt::format("'{}' is not a period: expected a year (2024), quarter "
                                   "(2024Q1), month (2024M01), ISO week (2024W05), rolling year "
                                   "(2024M06R12) or year to date (2024M06YTD)",
                                   query.periods[index]));
    }
    if (period->first_day > release.cut_off_day || period->last_day < first_day) {
      throw QueryError(
          "period_outside_release", field,
          fmt::format("{} lies outside release {}, which covers {} to {}", period->id, release.id,
                      FormatIsoDate(first_day), FormatIsoDate(release.cut_off_day)));
    }
    if (!seen.insert(period->id).second) {
      throw QueryError("duplicate_value", field,
                       fmt::format("period {} is asked for twice", period->id));
    }
    const bool preliminary =
        period->first_day <= release.cut_off_day && release.cut_off_day <= period->last_day;
    periods.push_back({*period, preliminary});
    categories.push_back({period->id, period->id, period->id});
  }
  return periods;
}

// Bands for an age or duration breakdown given without bands: the first catalogue measure's
// band set, else the catalogue's default set.
std::vector<Band> DefaultBands(const Query& query, const QueryCatalog& catalog,
                               BreakdownKind kind) {
  if (!TakesBands(kind)) return {};
  for (const MeasureRequest& request : query.measures) {
    if (!request.from_catalogue) continue;
    const MeasureDefinition* definition = catalog.measures.Find(request.id);
    if (definition == nullptr) continue;
    const std::string& set_id =
        kind == BreakdownKind::kAge ? definition->age_bands : definition->duration_bands;
    if (const BandSet* set = catalog.measures.FindBandSet(set_id)) return set->bands;
    break;
  }
  for (const BandSet& set : catalog.measures.band_sets) {
    if (set.breakdown == kind && set.is_default) return set.bands;
  }
  throw UserError(ErrorCode::kBadCatalog,
                  fmt::format("the catalogue has no default band set for '{}'", BreakdownId(kind)));
}

}  // namespace

bool BreakdownApplies(BreakdownKind kind, Statistic statistic) {
  const bool population = IsPopulation(statistic);
  const bool expenditure = IsExpenditure(statistic);
  switch (kind) {
    case BreakdownKind::kAge:
    case BreakdownKind::kSex:
      return true;
    case BreakdownKind::kOrigin:
    case BreakdownKind::kEducation:
      return statistic != Statistic::kShareOfPopulation;
    case BreakdownKind::kDuration:
    case BreakdownKind::kVisitation:
    case BreakdownKind::kUnemploymentFund:
      return !population && !expenditure;
    case BreakdownKind::kBenefit:
      return !population;
    case BreakdownKind::kOfferType:
    case BreakdownKind::kProvider:
      return IsActivation(statistic);
    case BreakdownKind::kStatusAfter:
      return statistic == Statistic::kStatusAfter;
    case BreakdownKind::kSurvivalWeek:
      return statistic == Statistic::kSurvival;
  }
  return false;
}

void IndexClasses(CategoryMap& map) {
  map.class_of_value.assign(map.by_value.size(), -1);
  map.class_value.clear();
  // Few classes (bands, areas), and neighbouring values mostly share one: each list is compared
  // with the previous value's, then with the classes so far.
  auto class_of = [&](const std::vector<uint16_t>& list, int32_t value, int32_t previous) {
    if (list.empty()) return int32_t{-1};
    if (previous >= 0 && map.ClassList(previous) == list) return previous;
    for (size_t known = 0; known < map.class_value.size(); ++known) {
      if (map.ClassList(static_cast<int32_t>(known)) == list) return static_cast<int32_t>(known);
    }
    map.class_value.push_back(value);
    return static_cast<int32_t>(map.class_value.size() - 1);
  };
  int32_t previous = -1;
  for (size_t value = 0; value < map.by_value.size(); ++value) {
    const int32_t found = class_of(map.by_value[value], static_cast<int32_t>(value), previous);
    map.class_of_value[value] = found;
    if (found >= 0) previous = found;
  }
  map.beyond_class = class_of(map.beyond, -1, previous);
}

ResolvedQuery ResolveQuery(const Query& query, std::shared_ptr<const ReleaseData> release,
                           const QueryCatalog& catalog, size_t max_cells) {
  const CodeLists& codes = catalog.codes;
  ResolvedQuery resolved;
  resolved.release = std::move(release);
  Cube& layout = resolved.layout;
  layout.release_id = resolved.release->id;
  layout.cut_off_day = resolved.release->cut_off_day;

  Dimension statistic{"statistic", "Måling", "Measure", {}};
  resolved.measures = ResolveMeasures(query, catalog, statistic.categories);
  layout.dimensions.push_back(std::move(statistic));

  Dimension period{"period", "Periode", "Period", {}};
  resolved.periods = ResolvePeriods(query, *resolved.release, period.categories);
  layout.dimensions.push_back(std::move(period));

  Dimension area{"area", "Område", "Area", {}};
  resolved.areas = ResolveAreas(query.areas, catalog.areas, area.categories);
  resolved.area_count = area.categories.size();
  layout.dimensions.push_back(std::move(area));

  if (query.breakdowns.size() > kMaxBreakdowns) {
    throw QueryError("too_many_breakdowns", "breakdowns",
                     fmt::format("{} breakdowns asked for; at most {} are allowed",
                                 query.breakdowns.size(), kMaxBreakdowns));
  }
  std::set<BreakdownKind> kinds;
  for (size_t index = 0; index < query.breakdowns.size(); ++index) {
    const BreakdownRequest& request = query.breakdowns[index];
    if (!kinds.insert(request.by).second) {
      throw QueryError("duplicate_value", fmt::format("breakdowns[{}].by", index),
                       fmt::format("breakdown '{}' is asked for twice", BreakdownId(request.by)));
    }
    Dimension dimension;
    resolved.breakdowns.push_back(ResolveBreakdown(
        request, index, codes, DefaultBands(query, catalog, request.by), dimension));
    layout.dimensions.push_back(std::move(dimension));
  }

  for (size_t index = 0; index < resolved.measures.size(); ++index) {
    const Statistic kind = resolved.measures[index].statistic;
    const BreakdownKind needed =
        kind == Statistic::kSurvival ? BreakdownKind::kSurvivalWeek : BreakdownKind::kStatusAfter;
    if ((kind == Statistic::kSurvival || kind == Statistic::kStatusAfter) &&
        !kinds.contains(needed)) {
      throw QueryError("missing_breakdown", "breakdowns",
                       fmt::format("statistic '{}' needs the breakdown '{}'", StatisticId(kind),
                                   BreakdownId(needed)));
    }
  }

  // Cells, checked against the limit before anything is allocated for them.
  resolved.cells = 1;
  for (const auto& dimension : layout.dimensions) {
    const size_t size = dimension.categories.size();
    assert(size > 0);
    if (resolved.cells > max_cells / size) {
      throw QueryError("too_many_cells", "",
                       fmt::format("the query would give more than {} cells (the limit per "
                                   "query): choose fewer periods, areas or breakdown values",
                                   max_cells));
    }
    resolved.cells *= size;
  }
  for (uint32_t index = 0; index < resolved.periods.size(); ++index) {
    resolved.period_order.push_back(index);
    resolved.longest_period_days =
        std::max(resolved.longest_period_days, resolved.periods[index].period.days());
  }
  std::stable_sort(
      resolved.period_order.begin(), resolved.period_order.end(), [&](uint32_t a, uint32_t b) {
        return resolved.periods[a].period.first_day < resolved.periods[b].period.first_day;
      });
  resolved.offer_type_count = RequireCodeList(codes, "offer_type").codes.size();
  resolved.provider_count = RequireCodeList(codes, "provider").codes.size();
  IndexClasses(resolved.areas);
  for (ResolvedBreakdown& breakdown : resolved.breakdowns) IndexClasses(breakdown.map);
  resolved.stride.assign(layout.dimensions.size(), 1);
  for (size_t dimension = layout.dimensions.size(); dimension-- > 1;) {
    resolved.stride[dimension - 1] =
        resolved.stride[dimension] * layout.dimensions[dimension].categories.size();
  }
  return resolved;
}

}  // namespace jobindsigt::engine
