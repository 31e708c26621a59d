#include "server/data_request.h"

#include <fmt/format.h>

#include <charconv>
#include <set>

#include "engine/query_error.h"

namespace jobindsigt::server {
namespace {

using engine::QueryError;

constexpr int kMaxLatest = 520;

std::vector<std::string> SplitComma(std::string_view text) {
  std::vector<std::string> parts;
  size_t start = 0;
  while (start <= text.size()) {
    const size_t comma = text.find(',', start);
    const size_t end = comma == std::string_view::npos ? text.size() : comma;
    parts.emplace_back(text.substr(start, end - start));
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }
  return parts;
}

// "name:rest" → {name, rest}; no colon → {text, ""}.
std::pair<std::string, std::string> SplitColon(std::string_view text) {
  const size_t colon = text.find(':');
  if (colon == std::string_view::npos) return {std::string(text), ""};
  return {std::string(text.substr(0, colon)), std::string(text.substr(colon + 1))};
}

std::vector<std::string> ValuesOf(const QueryParameters& parameters, const std::string& name) {
  std::vector<std::string> values;
  const auto [first, last] = parameters.equal_range(name);
  for (auto it = first; it != last; ++it) {
    for (auto& part : SplitComma(it->second)) {
      if (!part.empty()) values.push_back(std::move(part));
    }
  }
  return values;
}

bool Flag(const QueryParameters& parameters, const std::string& name) {
  const auto found = parameters.find(name);
  if (found == parameters.end()) return false;
  if (found->second == "true" || found->second == "1") return true;
  if (found->second == "false" || found->second == "0") return false;
  throw QueryError("wrong_type", name, fmt::format("'{}' is not true or false", found->second));
}

engine::BreakdownRequest Breakdown(const std::string& text, size_t index) {
  const std::string field = fmt::format("breakdown[{}]", index);
  const auto [id, rest] = SplitColon(text);
  const auto kind = engine::ParseBreakdown(id);
  if (!kind) {
    throw QueryError(
        "unknown_breakdown", field,
        fmt::format("'{}' is not a breakdown: allowed are age, sex, origin, education, "
                    "duration, benefit, visitation, unemployment_fund, offer_type, "
                    "provider, status_after, survival_week",
                    id));
  }
  engine::BreakdownRequest breakdown;
  breakdown.by = *kind;
  if (rest.empty()) return breakdown;
  const auto parts = SplitComma(rest);
  if (engine::TakesBands(*kind)) {
    for (const auto& part : parts) {
      const auto band = engine::ParseBand(part);
      if (!band) {
        throw QueryError(
            "bad_band", field,
            fmt::format("'{}' is not a band: write low-high or low-, e.g. 16-24 or 60-", part));
      }
      breakdown.bands.push_back(*band);
    }
  } else if (*kind == engine::BreakdownKind::kStatusAfter ||
             *kind == engine::BreakdownKind::kSurvivalWeek) {
    for (const auto& part : parts) {
      int number = 0;
      const auto [end, error] = std::from_chars(part.data(), part.data() + part.size(), number);
      if (error != std::errc() || end != part.data() + part.size()) {
        throw QueryError(
            "wrong_type", field,
            fmt::format("'{}' is not a whole number of {}", part,
                        *kind == engine::BreakdownKind::kStatusAfter ? "months" : "weeks"));
      }
      if (*kind == engine::BreakdownKind::kStatusAfter) {
        breakdown.months = number;
      } else {
        breakdown.weeks.push_back(number);
      }
    }
  } else {
    breakdown.values = parts;
  }
  return breakdown;
}

}  // namespace

std::optional<std::vector<std::string>> ExpandLatest(std::string_view text, MonthIndex last_month) {
  if (!text.starts_with("latest:")) return std::nullopt;
  std::string_view count_text = text.substr(7);
  char unit = 'M';
  if (!count_text.empty() && (count_text.back() < '0' || count_text.back() > '9')) {
    unit = count_text.back();
    count_text.remove_suffix(1);
  }
  int count = 0;
  const auto [end, error] =
      std::from_chars(count_text.data(), count_text.data() + count_text.size(), count);
  if (error != std::errc() || end != count_text.data() + count_text.size() || count < 1 ||
      count > kMaxLatest || (unit != 'M' && unit != 'Q' && unit != 'Y' && unit != 'W'))
    return std::nullopt;
  std::vector<Period> periods;
  const DayNumber last_day = LastDayOfMonth(last_month);
  Period period = unit == 'W'   ? PeriodContaining(PeriodType::kWeek, last_day)
                  : unit == 'Q' ? PeriodContaining(PeriodType::kQuarter, last_day)
                  : unit == 'Y' ? PeriodContaining(PeriodType::kYear, last_day)
                                : PeriodContaining(PeriodType::kMonth, last_day);
  // A week or quarter that runs past the release's last day is not complete: step back.
  if (period.last_day > last_day && unit != 'Y') period = PreviousPeriod(period);
  for (int index = 0; index < count; ++index) {
    periods.push_back(period);
    period = PreviousPeriod(period);
  }
  std::vector<std::string> ids;
  for (auto it = periods.rbegin(); it != periods.rend(); ++it) ids.push_back(it->id);
  return ids;
}

engine::Query QueryFromParameters(const QueryParameters& parameters, MonthIndex last_month) {
  static const std::set<std::string> kKnown = {
      "measure",        "statistic",        "benefits",      "period", "area",
      "areaGroup",      "areaTotal",        "breakdown",     "total",  "release",
      kFormatParameter, kLanguageParameter, kLabelsParameter};
  for (const auto& [name, value] : parameters) {
    if (!kKnown.contains(name)) {
      throw QueryError("unknown_parameter", name,
                       fmt::format("unknown parameter '{}'; allowed are measure, statistic, "
                                   "benefits, period, area, areaGroup, areaTotal, breakdown, "
                                   "total, release, format, lang, labels",
                                   name));
    }
  }
  engine::Query query;
  if (const auto release = parameters.find("release"); release != parameters.end())
    query.release = release->second;
  for (const auto& id : ValuesOf(parameters, "measure"))
    query.measures.push_back({id, {}, {}, true});
  for (const auto& id : ValuesOf(parameters, "statistic")) {
    const auto statistic = engine::ParseStatistic(id);
    if (!statistic) {
      throw QueryError("unknown_statistic", "statistic",
                       fmt::format("'{}' is not a statistic (see docs/query.md)", id));
    }
    query.measures.push_back({id, *statistic, {}, false});
  }
  query.benefits = ValuesOf(parameters, "benefits");
  for (const auto& text : ValuesOf(parameters, "period")) {
    if (const auto latest = ExpandLatest(text, last_month)) {
      query.periods.insert(query.periods.end(), latest->begin(), latest->end());
    } else if (text.starts_with("latest")) {
      throw QueryError("bad_period", "period",
                       fmt::format("'{}': write latest:N (months), latest:NQ, latest:NY or "
                                   "latest:NW with N from 1 to {}",
                                   text, kMaxLatest));
    } else {
      query.periods.push_back(text);
    }
  }
  if (const auto area = parameters.find("area"); area != parameters.end()) {
    const auto [level, values] = SplitColon(area->second);
    const auto parsed = engine::ParseAreaLevel(level);
    if (!parsed) {
      throw QueryError("unknown_area_level", "area",
                       fmt::format("'{}' is not an area level: allowed are country, region, "
                                   "landsdel, municipality_group, jobcentre, municipality, cluster",
                                   level));
    }
    query.areas.level = *parsed;
    if (!values.empty()) {
      query.areas.values = SplitComma(values);
      query.areas.values_given = true;
    }
  }
  const auto [first_group, last_group] = parameters.equal_range("areaGroup");
  for (auto it = first_group; it != last_group; ++it) {
    const auto [name, members] = SplitColon(it->second);
    query.areas.groups.push_back({name, SplitComma(members)});
  }
  query.areas.total = Flag(parameters, "areaTotal");
  const auto [first_breakdown, last_breakdown] = parameters.equal_range("breakdown");
  for (auto it = first_breakdown; it != last_breakdown; ++it)
    query.breakdowns.push_back(Breakdown(it->second, query.breakdowns.size()));
  for (const auto& id : ValuesOf(parameters, "total")) {
    if (id == "area") {
      query.areas.total = true;
      continue;
    }
    bool found = false;
    for (auto& breakdown : query.breakdowns) {
      if (engine::BreakdownId(breakdown.by) == id) breakdown.total = found = true;
    }
    if (!found) {
      throw QueryError("bad_option", "total",
                       fmt::format("'{}' is neither 'area' nor one of the query's breakdowns", id));
    }
  }
  return query;
}

}  // namespace jobindsigt::server
