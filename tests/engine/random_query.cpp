#include "random_query.h"

#include <algorithm>
#include <set>

#include "common/period.h"

namespace jobindsigt::test {
namespace {

using engine::AreaLevel;
using engine::BreakdownKind;
using engine::BreakdownRequest;
using engine::Query;
using engine::Statistic;

int Uniform(std::mt19937_64& random, int low, int high) {
  return std::uniform_int_distribution<int>(low, high)(random);
}

bool Chance(std::mt19937_64& random, double probability) {
  return std::bernoulli_distribution(probability)(random);
}

template <typename T>
const T& Pick(std::mt19937_64& random, const std::vector<T>& values) {
  return values[Uniform(random, 0, static_cast<int>(values.size()) - 1)];
}

// `count` distinct values of `values`, in random order.
std::vector<std::string> Subset(std::mt19937_64& random, std::vector<std::string> values,
                                size_t count) {
  std::shuffle(values.begin(), values.end(), random);
  values.resize(std::min(count, values.size()));
  return values;
}

std::string RandomPeriod(std::mt19937_64& random, const QuerySpace& space) {
  const DayNumber first_day = FirstDayOfMonth(space.first_month);
  const MonthIndex month = Uniform(random, space.first_month, MonthOfDay(space.cut_off));
  if (space.single_months_only)
    return PeriodContaining(PeriodType::kMonth, FirstDayOfMonth(month)).id;
  switch (Uniform(random, space.whole_months_only ? 1 : 0, 5)) {
    case 0:
      return PeriodContaining(PeriodType::kWeek, Uniform(random, first_day, space.cut_off)).id;
    case 1:
      return PeriodContaining(PeriodType::kMonth, FirstDayOfMonth(month)).id;
    case 2:
      return PeriodContaining(PeriodType::kQuarter, FirstDayOfMonth(month)).id;
    case 3:
      return PeriodContaining(PeriodType::kYear, FirstDayOfMonth(month)).id;
    case 4:
      return PeriodContaining(PeriodType::kRollingYear, FirstDayOfMonth(month)).id;
    default:
      return PeriodContaining(PeriodType::kYearToDate, FirstDayOfMonth(month)).id;
  }
}

std::vector<std::string> CodesOf(const RefCatalogue& catalogue, const char* list) {
  std::vector<std::string> codes;
  for (const auto& entry : catalogue.codes.Find(list)->codes) codes.push_back(entry.code);
  return codes;
}

std::vector<std::string> RandomBenefits(std::mt19937_64& random, const QuerySpace& space) {
  const auto codes = CodesOf(*space.catalogue, "benefit");
  // The benefits most persons of the synthetic Denmark receive, drawn more often so that
  // most cells hold something.
  static const std::vector<std::string> kCommon = {"ADP", "KTH", "SDP", "FTP", "FLX", "EFT"};
  const int kind = Uniform(random, 0, 9);
  if (kind < 2) return {Pick(random, kCommon)};
  if (kind < 4) return {Pick(random, codes)};
  if (kind < 7) return {Pick(random, space.catalogue->codes.benefit_groups).id};
  return Subset(random, codes, Uniform(random, 2, 4));
}

// The codes of an area level, those holding a municipality with data first.
std::vector<std::string> LevelCodes(AreaLevel level, const QuerySpace& space, bool with_data) {
  std::vector<std::string> codes;
  if (level == AreaLevel::kCluster) {
    for (const auto& [id, members] : space.catalogue->clusters) codes.push_back(id);
    return codes;
  }
  std::set<int> seen;
  for (const auto& municipality : space.catalogue->municipalities) {
    const bool has_data =
        std::find(space.municipalities.begin(), space.municipalities.end(),
                  std::to_string(municipality.code)) != space.municipalities.end();
    if (with_data && !has_data) continue;
    int code = municipality.code;
    if (level == AreaLevel::kRegion) code = municipality.region_code;
    if (level == AreaLevel::kLandsdel) code = municipality.landsdel_code;
    if (level == AreaLevel::kMunicipalityGroup) code = municipality.group_code;
    if (level == AreaLevel::kJobcentre) code = municipality.jobcentre_code;
    if (seen.insert(code).second) codes.push_back(std::to_string(code));
  }
  return codes;
}

engine::AreaRequest RandomAreas(std::mt19937_64& random, const QuerySpace& space) {
  engine::AreaRequest areas;
  std::vector<AreaLevel> levels = {AreaLevel::kCountry,   AreaLevel::kRegion,
                                   AreaLevel::kLandsdel,  AreaLevel::kMunicipalityGroup,
                                   AreaLevel::kJobcentre, AreaLevel::kMunicipality};
  if (space.catalogue->has_clusters) levels.push_back(AreaLevel::kCluster);
  areas.level = Pick(random, levels);
  if (areas.level == AreaLevel::kCountry) {
    if (Chance(random, 0.5)) areas.values = {"DK"};
  } else if (Chance(random, 0.8)) {
    // Mostly values holding data, sometimes one without.
    std::vector<std::string> values =
        Subset(random, LevelCodes(areas.level, space, true), Uniform(random, 1, 3));
    if (Chance(random, 0.3)) {
      const auto other = Pick(random, LevelCodes(areas.level, space, false));
      if (std::find(values.begin(), values.end(), other) == values.end()) values.push_back(other);
    }
    areas.values = values;
  }
  if (Chance(random, 0.3)) {
    std::vector<std::string> pool = space.municipalities;
    for (const char* other : {"101", "147", "751"}) pool.emplace_back(other);
    const int groups = Uniform(random, 1, 2);
    for (int g = 0; g < groups; ++g) {
      areas.groups.push_back(
          {g == 0 ? "Vestegnen" : "Øst og vest", Subset(random, pool, Uniform(random, 1, 3))});
    }
  }
  areas.total = Chance(random, 0.5);
  return areas;
}

// Ordered, non-overlapping bands from `start`, some with gaps, the last one open or not.
std::vector<engine::Band> RandomBands(std::mt19937_64& random, int start, int widest) {
  std::vector<engine::Band> bands;
  const int count = Uniform(random, 1, 4);
  int low = start;
  for (int b = 0; b < count; ++b) {
    const bool last = b + 1 == count;
    if (last && Chance(random, 0.5)) {
      bands.push_back({std::to_string(low) + "-", low, std::nullopt});
      break;
    }
    const int high = low + Uniform(random, 0, widest);
    bands.push_back({std::to_string(low) + "-" + std::to_string(high), low, high});
    low = high + 1 + (Chance(random, 0.3) ? Uniform(random, 1, 5) : 0);
  }
  return bands;
}

BreakdownRequest RandomBreakdown(std::mt19937_64& random, const QuerySpace& space,
                                 BreakdownKind kind) {
  BreakdownRequest request;
  request.by = kind;
  request.total = Chance(random, 0.5);
  switch (kind) {
    case BreakdownKind::kAge:
      request.bands = RandomBands(random, Uniform(random, 0, 45), 20);
      break;
    case BreakdownKind::kDuration:
      request.bands = RandomBands(random, Chance(random, 0.5) ? 0 : Uniform(random, 1, 30), 60);
      break;
    case BreakdownKind::kStatusAfter:
      request.months = Uniform(random, 1, 12);  // the engine takes 1 … 60
      break;
    case BreakdownKind::kSurvivalWeek:
      request.total = false;
      if (Chance(random, 0.8)) {
        std::set<int> weeks;
        const int count = Uniform(random, 1, 6);
        for (int i = 0; i < count; ++i) weeks.insert(Uniform(random, 0, 104));
        request.weeks.assign(weeks.begin(), weeks.end());
      }
      break;
    default: {
      static const std::map<BreakdownKind, const char*> kLists = {
          {BreakdownKind::kSex, "sex"},
          {BreakdownKind::kOrigin, "origin"},
          {BreakdownKind::kEducation, "education"},
          {BreakdownKind::kBenefit, "benefit"},
          {BreakdownKind::kVisitation, "visitation"},
          {BreakdownKind::kUnemploymentFund, "unemployment_fund"},
          {BreakdownKind::kOfferType, "offer_type"},
          {BreakdownKind::kProvider, "provider"}};
      const auto codes = CodesOf(*space.catalogue, kLists.at(kind));
      const bool all = Chance(random, kind == BreakdownKind::kProvider ? 0.1 : 0.4);
      if (!all) {
        request.values = Subset(random, codes, Uniform(random, 0, 4));
        // Named sets of codes, which may overlap the values and each other.
        const int groups =
            request.values.empty() ? Uniform(random, 1, 2) : (Chance(random, 0.25) ? 1 : 0);
        for (int g = 0; g < groups; ++g) {
          request.groups.push_back(
              {g == 0 ? "Gruppe A" : "Gruppe Æ", Subset(random, codes, Uniform(random, 1, 4))});
        }
      }
      break;
    }
  }
  return request;
}

Query Draw(std::mt19937_64& random, const QuerySpace& space, std::vector<Statistic> statistics) {
  Query query;
  if (statistics.empty()) {
    const int count = Uniform(random, 1, 3);
    for (int i = 0; i < count; ++i) {
      const auto statistic =
          static_cast<Statistic>(Uniform(random, 0, engine::kStatisticCount - 1));
      if (std::find(statistics.begin(), statistics.end(), statistic) == statistics.end()) {
        statistics.push_back(statistic);
      }
    }
  }
  for (const Statistic statistic : statistics) {
    engine::MeasureRequest measure;
    measure.id = RefStatisticId(statistic);
    measure.statistic = statistic;
    query.measures.push_back(measure);
  }
  query.benefits = RandomBenefits(random, space);
  const int periods = Uniform(random, 1, 3);
  for (int i = 0; i < periods; ++i) {
    const std::string period = RandomPeriod(random, space);
    if (std::find(query.periods.begin(), query.periods.end(), period) == query.periods.end()) {
      query.periods.push_back(period);
    }
  }
  query.areas = RandomAreas(random, space);

  std::vector<BreakdownKind> kinds;
  const int count = Uniform(random, 0, 9) < 3 ? 0 : Uniform(random, 1, 2);
  for (int i = 0; i < count; ++i) {
    // status_after and survival_week are drawn rarely on their own: they apply to one
    // statistic each, and are added below where a statistic needs them.
    const auto kind = static_cast<BreakdownKind>(Uniform(random, 0, Chance(random, 0.1) ? 11 : 9));
    if (std::find(kinds.begin(), kinds.end(), kind) == kinds.end()) kinds.push_back(kind);
  }
  auto need = [&](Statistic statistic, BreakdownKind kind) {
    if (std::find(statistics.begin(), statistics.end(), statistic) != statistics.end() &&
        std::find(kinds.begin(), kinds.end(), kind) == kinds.end()) {
      kinds.insert(kinds.begin() + Uniform(random, 0, static_cast<int>(kinds.size())), kind);
    }
  };
  need(Statistic::kSurvival, BreakdownKind::kSurvivalWeek);
  need(Statistic::kStatusAfter, BreakdownKind::kStatusAfter);
  for (const BreakdownKind kind : kinds) {
    query.breakdowns.push_back(RandomBreakdown(random, space, kind));
  }
  return query;
}

std::string Quoted(const std::string& text) {
  std::string out = "\"";
  for (const char ch : text) {
    if (ch == '"' || ch == '\\') out += '\\';
    out += ch;
  }
  return out + "\"";
}

std::string List(const std::vector<std::string>& values) {
  std::string out = "[";
  for (size_t i = 0; i < values.size(); ++i) out += (i > 0 ? ", " : "") + Quoted(values[i]);
  return out + "]";
}

std::string Groups(const std::vector<engine::NamedSet>& groups) {
  std::string text = "{";
  for (size_t g = 0; g < groups.size(); ++g) {
    text += (g > 0 ? ", " : "") + Quoted(groups[g].name) + ": " + List(groups[g].members);
  }
  return text + "}";
}

}  // namespace

Query RandomQuery(std::mt19937_64& random, const QuerySpace& space) {
  return RandomQueryOf(random, space, {});
}

Query RandomQueryOf(std::mt19937_64& random, const QuerySpace& space,
                    const std::vector<Statistic>& statistics) {
  while (true) {
    Query query = Draw(random, space, statistics);
    if (CellCount(query, *space.catalogue) <= space.max_cells) return query;
  }
}

size_t CellCount(const Query& query, const RefCatalogue& catalogue) {
  const RefLayout layout = BuildLayout(query, catalogue);
  size_t cells = layout.measures.size() * layout.periods.size() * layout.area.categories.size();
  for (const auto& axis : layout.breakdowns) cells *= axis.categories.size();
  return cells;
}

std::string QueryText(const Query& query) {
  std::vector<std::string> statistics;
  for (const auto& measure : query.measures) statistics.push_back(measure.id);
  std::string text =
      "{\"release\": " + Quoted(query.release) + ", \"statistics\": " + List(statistics) +
      ", \"benefits\": " + List(query.benefits) + ", \"periods\": " + List(query.periods) +
      ", \"areas\": {\"level\": " + Quoted(RefAreaLevelId(query.areas.level));
  if (!query.areas.values.empty()) text += ", \"values\": " + List(query.areas.values);
  if (!query.areas.groups.empty()) text += ", \"groups\": " + Groups(query.areas.groups);
  text += std::string(", \"total\": ") + (query.areas.total ? "true" : "false") + "}";
  text += ", \"breakdowns\": [";
  for (size_t b = 0; b < query.breakdowns.size(); ++b) {
    const BreakdownRequest& breakdown = query.breakdowns[b];
    text += (b > 0 ? ", " : "") + std::string("{\"by\": ") + Quoted(RefBreakdownId(breakdown.by));
    if (!breakdown.bands.empty()) {
      std::vector<std::string> bands;
      for (const auto& band : breakdown.bands) bands.push_back(band.text);
      text += ", \"bands\": " + List(bands);
    }
    if (!breakdown.values.empty()) text += ", \"values\": " + List(breakdown.values);
    if (!breakdown.groups.empty()) text += ", \"groups\": " + Groups(breakdown.groups);
    if (breakdown.by == BreakdownKind::kStatusAfter) {
      text += ", \"months\": " + std::to_string(breakdown.months);
    }
    if (!breakdown.weeks.empty()) {
      text += ", \"weeks\": [";
      for (size_t w = 0; w < breakdown.weeks.size(); ++w) {
        text += (w > 0 ? ", " : "") + std::to_string(breakdown.weeks[w]);
      }
      text += "]";
    }
    text += std::string(", \"total\": ") + (breakdown.total ? "true" : "false") + "}";
  }
  return text + "]}";
}

}  // namespace jobindsigt::test
