#include "server/query_request.h"

#include <fmt/format.h>

#include <nlohmann/json.hpp>
#include <set>

#include "engine/query_error.h"

namespace jobindsigt::server {
namespace {

using Json = nlohmann::ordered_json;
using engine::QueryError;

constexpr size_t kMaxListLength = 10'000;

std::string TypeName(const Json& value) {
  return value.type_name();
}

void ExpectKeys(const Json& object, const std::string& field,
                const std::set<std::string>& allowed) {
  for (const auto& [key, value] : object.items()) {
    if (!allowed.contains(key)) {
      std::string names;
      for (const auto& name : allowed) names.append(names.empty() ? "" : ", ").append(name);
      throw QueryError("unknown_field", field.empty() ? key : fmt::format("{}.{}", field, key),
                       fmt::format("unknown field '{}'; allowed here: {}", key, names));
    }
  }
}

const Json& RequireObject(const Json& value, const std::string& field) {
  if (!value.is_object()) {
    throw QueryError("wrong_type", field,
                     fmt::format("expected an object, got {}", TypeName(value)));
  }
  return value;
}

std::string String(const Json& value, const std::string& field) {
  if (!value.is_string()) {
    throw QueryError("wrong_type", field,
                     fmt::format("expected a string, got {}", TypeName(value)));
  }
  return value.get<std::string>();
}

bool Boolean(const Json& value, const std::string& field) {
  if (!value.is_boolean()) {
    throw QueryError("wrong_type", field,
                     fmt::format("expected true or false, got {}", TypeName(value)));
  }
  return value.get<bool>();
}

int Integer(const Json& value, const std::string& field) {
  // A number above INT64_MAX is stored unsigned: get<int64_t>() would wrap it to a negative.
  const bool in_range = value.is_number_unsigned()
                            ? value.get<uint64_t>() <= 1'000'000
                            : value.is_number_integer() && value.get<int64_t>() >= -1'000'000 &&
                                  value.get<int64_t>() <= 1'000'000;
  if (!in_range) {
    throw QueryError("wrong_type", field,
                     fmt::format("expected a whole number, got {}", value.dump()));
  }
  return static_cast<int>(value.get<int64_t>());
}

// A list of strings; a single string is taken as a list of one.
std::vector<std::string> Strings(const Json& value, const std::string& field) {
  if (value.is_string()) return {value.get<std::string>()};
  if (!value.is_array()) {
    throw QueryError("wrong_type", field,
                     fmt::format("expected a list of strings, got {}", TypeName(value)));
  }
  if (value.size() > kMaxListLength) {
    throw QueryError(
        "too_long", field,
        fmt::format("{} entries; at most {} are allowed", value.size(), kMaxListLength));
  }
  std::vector<std::string> strings;
  for (size_t index = 0; index < value.size(); ++index)
    strings.push_back(String(value[index], fmt::format("{}[{}]", field, index)));
  return strings;
}

// Groups as {"name": [members]} (in the given order) or [{"name": …, "members": […]}].
std::vector<engine::NamedSet> Groups(const Json& value, const std::string& field) {
  std::vector<engine::NamedSet> groups;
  if (value.is_object()) {
    for (const auto& [name, members] : value.items())
      groups.push_back({name, Strings(members, fmt::format("{}.{}", field, name))});
    return groups;
  }
  if (!value.is_array()) {
    throw QueryError("wrong_type", field,
                     "expected an object of named lists or a list of {name, members}");
  }
  for (size_t index = 0; index < value.size(); ++index) {
    const std::string item = fmt::format("{}[{}]", field, index);
    RequireObject(value[index], item);
    ExpectKeys(value[index], item, {"name", "members"});
    if (!value[index].contains("name") || !value[index].contains("members"))
      throw QueryError("missing_field", item, "a group needs 'name' and 'members'");
    groups.push_back({String(value[index]["name"], item + ".name"),
                      Strings(value[index]["members"], item + ".members")});
  }
  return groups;
}

engine::AreaRequest Areas(const Json& value) {
  RequireObject(value, "areas");
  ExpectKeys(value, "areas", {"level", "values", "groups", "total"});
  engine::AreaRequest areas;
  if (value.contains("level")) {
    const std::string level = String(value["level"], "areas.level");
    const auto parsed = engine::ParseAreaLevel(level);
    if (!parsed) {
      throw QueryError("unknown_area_level", "areas.level",
                       fmt::format("'{}' is not an area level: allowed are country, region, "
                                   "landsdel, municipality_group, jobcentre, municipality, "
                                   "cluster",
                                   level));
    }
    areas.level = *parsed;
  }
  if (value.contains("values")) {
    areas.values = Strings(value["values"], "areas.values");
    areas.values_given = true;
  }
  if (value.contains("groups")) areas.groups = Groups(value["groups"], "areas.groups");
  if (value.contains("total")) areas.total = Boolean(value["total"], "areas.total");
  return areas;
}

engine::BreakdownRequest Breakdown(const Json& value, size_t index) {
  const std::string field = fmt::format("breakdowns[{}]", index);
  engine::BreakdownRequest breakdown;
  const Json object = value.is_string() ? Json{{"by", value}} : value;
  RequireObject(object, field);
  ExpectKeys(object, field, {"by", "bands", "values", "groups", "months", "weeks", "total"});
  if (!object.contains("by")) throw QueryError("missing_field", field + ".by", "give 'by'");
  const std::string by = String(object["by"], field + ".by");
  const auto kind = engine::ParseBreakdown(by);
  if (!kind) {
    throw QueryError("unknown_breakdown", field + ".by",
                     fmt::format("'{}' is not a breakdown: allowed are age, sex, origin, "
                                 "education, duration, benefit, visitation, unemployment_fund, "
                                 "offer_type, provider, status_after, survival_week",
                                 by));
  }
  breakdown.by = *kind;
  if (object.contains("bands")) {
    const auto texts = Strings(object["bands"], field + ".bands");
    for (size_t band = 0; band < texts.size(); ++band) {
      const auto parsed = engine::ParseBand(texts[band]);
      if (!parsed) {
        throw QueryError("bad_band", fmt::format("{}.bands[{}]", field, band),
                         fmt::format("'{}' is not a band: write 'low-high' (both included) or "
                                     "'low-' with whole numbers, e.g. '16-24' or '60-'",
                                     texts[band]));
      }
      breakdown.bands.push_back(*parsed);
    }
  }
  if (object.contains("values")) breakdown.values = Strings(object["values"], field + ".values");
  if (object.contains("groups")) breakdown.groups = Groups(object["groups"], field + ".groups");
  if (object.contains("months")) breakdown.months = Integer(object["months"], field + ".months");
  if (object.contains("weeks")) {
    const Json& weeks = object["weeks"];
    if (!weeks.is_array())
      throw QueryError("wrong_type", field + ".weeks", "expected a list of whole numbers");
    for (size_t week = 0; week < weeks.size() && week <= kMaxListLength; ++week)
      breakdown.weeks.push_back(Integer(weeks[week], fmt::format("{}.weeks[{}]", field, week)));
  }
  if (object.contains("total")) breakdown.total = Boolean(object["total"], field + ".total");
  return breakdown;
}

}  // namespace

engine::Query ParseQueryRequest(std::string_view json) {
  Json root;
  try {
    root = Json::parse(json);
  } catch (const Json::exception& error) {
    // Not only parse_error: a number beyond double's range ("1e400") is out_of_range.406.
    throw QueryError("malformed_request", "",
                     fmt::format("the request is not valid JSON: {}", error.what()));
  }
  RequireObject(root, "");
  ExpectKeys(root, "",
             {"release", "statistics", "measures", "benefits", "periods", "areas", "breakdowns"});
  engine::Query query;
  if (root.contains("release")) query.release = String(root["release"], "release");
  if (root.contains("statistics")) {
    const auto ids = Strings(root["statistics"], "statistics");
    for (size_t index = 0; index < ids.size(); ++index) {
      const auto statistic = engine::ParseStatistic(ids[index]);
      if (!statistic) {
        throw QueryError("unknown_statistic", fmt::format("statistics[{}]", index),
                         fmt::format("'{}' is not a statistic: allowed are persons, fte, "
                                     "persons_start, persons_end, spells_started, "
                                     "persons_started, spells_ended, duration_ended, survival, "
                                     "status_after, activated_persons, activated_fte, "
                                     "activation_rate, meetings_due, meetings_timely, "
                                     "timeliness, meetings_held, no_shows, expenditure_gross, "
                                     "expenditure_net, population, share_of_population",
                                     ids[index]));
      }
      query.measures.push_back({ids[index], *statistic, {}, false});
    }
  }
  if (root.contains("measures")) {
    for (const auto& id : Strings(root["measures"], "measures"))
      query.measures.push_back({id, engine::Statistic::kPersons, {}, true});
  }
  if (root.contains("benefits")) query.benefits = Strings(root["benefits"], "benefits");
  if (root.contains("periods")) query.periods = Strings(root["periods"], "periods");
  if (root.contains("areas")) query.areas = Areas(root["areas"]);
  if (root.contains("breakdowns")) {
    const Json& breakdowns = root["breakdowns"];
    if (!breakdowns.is_array())
      throw QueryError("wrong_type", "breakdowns", "expected a list of breakdowns");
    for (size_t index = 0; index < breakdowns.size(); ++index)
      query.breakdowns.push_back(Breakdown(breakdowns[index], index));
  }
  return query;
}

}  // namespace jobindsigt::server
