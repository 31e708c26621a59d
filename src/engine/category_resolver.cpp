#include "engine/category_resolver.h"

#include <fmt/format.h>

#include <algorithm>
#include <fstream>
#include <map>
#include <set>

#include "engine/labels.h"
#include "engine/query_error.h"

namespace jobindsigt::engine {
namespace {

constexpr int kMaxStatusAfterMonths = 60;
constexpr int kMaxSurvivalWeek = 520;
constexpr int kMunicipalityCodeLimit = 1000;
// Band values at or past this fall in the open-ended band, if there is one.
constexpr int kBandValueLimit = 1200;

// An area value of a level: its id, labels and member municipalities.
struct AreaValue {
  std::string id;
  Labels labels;
  std::vector<int> members;
};

std::vector<AreaValue> ValuesOfLevel(AreaLevel level, const AreaCatalog& areas) {
  std::map<int, AreaValue> by_code;
  auto add = [&](int code, const std::string& name, int member) {
    auto& value = by_code[code];
    value.id = std::to_string(code);
    value.labels = {name, name};
    value.members.push_back(member);
  };
  std::vector<AreaValue> values;
  switch (level) {
    case AreaLevel::kCountry: {
      AreaValue country{"DK", CountryLabels(), {}};
      for (const auto& municipality : areas.municipalities)
        country.members.push_back(municipality.code);
      values.push_back(std::move(country));
      return values;
    }
    case AreaLevel::kCluster:
      for (const auto& cluster : areas.clusters)
        values.push_back({cluster.code, {cluster.name_da, cluster.name_en}, cluster.members});
      return values;
    case AreaLevel::kRegion:
      for (const auto& m : areas.municipalities) add(m.region_code, m.region_name, m.code);
      break;
    case AreaLevel::kLandsdel:
      for (const auto& m : areas.municipalities) add(m.landsdel_code, m.landsdel_name, m.code);
      break;
    case AreaLevel::kMunicipalityGroup:
      for (const auto& m : areas.municipalities) add(m.group_code, m.group_name, m.code);
      break;
    case AreaLevel::kJobcentre:
      for (const auto& m : areas.municipalities) add(m.jobcentre_code, m.jobcentre_name, m.code);
      break;
    case AreaLevel::kMunicipality:
      for (const auto& m : areas.municipalities) add(m.code, m.name, m.code);
      break;
  }
  for (auto& [code, value] : by_code) values.push_back(std::move(value));
  return values;
}

void CheckGroupName(const std::string& name, const std::string& field,
                    const std::vector<Category>& categories) {
  if (name.empty() || name.size() > 100 || name == kTotalId) {
    throw QueryError("bad_group", field,
                     fmt::format("a group's name must be 1-100 characters and not '{}'; got '{}'",
                                 kTotalId, name));
  }
  for (const auto& category : categories) {
    if (category.id == name)
      throw QueryError("bad_group", field,
                       fmt::format("the name '{}' is already a category of this dimension", name));
  }
}

// Adds `category` to the map for each of `members` (values ≥ 0).
void MapMembers(CategoryMap& map, const std::vector<int>& members, size_t category) {
  for (const int member : members) {
    if (static_cast<size_t>(member) >= map.by_value.size()) map.by_value.resize(member + 1);
    map.by_value[member].push_back(static_cast<uint16_t>(category));
  }
}

// Adds the total category to every value that is in some category.
void AddTotal(CategoryMap& map, size_t total) {
  for (auto& categories : map.by_value) {
    if (!categories.empty()) categories.push_back(static_cast<uint16_t>(total));
  }
  if (!map.beyond.empty()) map.beyond.push_back(static_cast<uint16_t>(total));
  map.total_only = {static_cast<uint16_t>(total)};
}

std::vector<Band> ResolveBands(const BreakdownRequest& request, size_t index,
                               const std::vector<Band>& default_bands) {
  std::vector<Band> bands = request.bands.empty() ? default_bands : request.bands;
  const std::string field = fmt::format("breakdowns[{}].bands", index);
  // Band lists hold values below kBandValueLimit (no age or duration in weeks comes near it):
  // a bound past it would put the values in between in the wrong band.
  for (size_t band = 0; band < bands.size(); ++band) {
    if (bands[band].low >= kBandValueLimit || bands[band].high.value_or(0) >= kBandValueLimit) {
      throw QueryError("bad_band", fmt::format("{}[{}]", field, band),
                       fmt::format("band '{}' is out of range: bounds are whole numbers below {} "
                                   "(years of age, weeks of duration)",
                                   bands[band].text, kBandValueLimit));
    }
  }
  for (size_t band = 1; band < bands.size(); ++band) {
    const Band& before = bands[band - 1];
    if (!before.high || bands[band].low <= *before.high) {
      throw QueryError("overlapping_bands", fmt::format("{}[{}]", field, band),
                       fmt::format("band '{}' overlaps or comes before '{}': bands must be in "
                                   "increasing order without overlap",
                                   bands[band].text, before.text));
    }
  }
  return bands;
}

void ResolveBandBreakdown(const BreakdownRequest& request, size_t index,
                          const std::vector<Band>& default_bands, ResolvedBreakdown& resolved,
                          Dimension& dimension) {
  const auto bands = ResolveBands(request, index, default_bands);
  // Values up to the last band's bound are listed one by one; those past it fall in `beyond`
  // (the open-ended band, or nothing): a list per value up to the limit would be a thousand
  // allocations for every query with an open band.
  int listed = 0;
  for (const Band& band : bands) listed = std::max(listed, band.high.value_or(band.low) + 1);
  resolved.map.by_value.resize(std::min(listed, kBandValueLimit));
  for (size_t band = 0; band < bands.size(); ++band) {
    const int high = std::min(bands[band].high.value_or(kBandValueLimit - 1),
                              static_cast<int>(resolved.map.by_value.size()) - 1);
    for (int value = bands[band].low; value <= high; ++value)
      resolved.map.by_value[value].push_back(static_cast<uint16_t>(band));
    if (!bands[band].high) resolved.map.beyond.push_back(static_cast<uint16_t>(band));
    const std::string unit = request.by == BreakdownKind::kAge ? "år" : "uger";
    const std::string unit_en = request.by == BreakdownKind::kAge ? "years" : "weeks";
    dimension.categories.push_back({bands[band].text, fmt::format("{} {}", bands[band].text, unit),
                                    fmt::format("{} {}", bands[band].text, unit_en)});
  }
}

// Codes of a code list (or the status_after states) as categories: listed values, groups.
void ResolveCodeBreakdown(const BreakdownRequest& request, size_t index,
                          const std::vector<std::string>& ids, const std::vector<Labels>& labels,
                          ResolvedBreakdown& resolved, Dimension& dimension) {
  auto find = [&](const std::string& code, const std::string& field) {
    const auto found = std::find(ids.begin(), ids.end(), code);
    if (found == ids.end()) {
      throw QueryError("unknown_code", field,
                       fmt::format("'{}' is not a code of breakdown '{}': allowed are {}", code,
                                   BreakdownId(request.by), JoinedForMessage(ids)));
    }
    return static_cast<int>(found - ids.begin());
  };
  std::vector<std::string> values = request.values;
  if (values.empty() && request.groups.empty()) values = ids;
  std::set<std::string> seen;
  for (size_t value = 0; value < values.size(); ++value) {
    const std::string field = fmt::format("breakdowns[{}].values[{}]", index, value);
    const int code = find(values[value], field);
    if (!seen.insert(values[value]).second)
      throw QueryError("duplicate_value", field,
                       fmt::format("'{}' is listed twice", values[value]));
    MapMembers(resolved.map, {code}, dimension.categories.size());
    resolved.codes_of_category.push_back({code});
    dimension.categories.push_back({ids[code], labels[code].da, labels[code].en});
  }
  for (size_t group = 0; group < request.groups.size(); ++group) {
    const NamedSet& set = request.groups[group];
    const std::string field = fmt::format("breakdowns[{}].groups[{}]", index, group);
    CheckGroupName(set.name, field, dimension.categories);
    std::vector<int> members;
    for (size_t member = 0; member < set.members.size(); ++member)
      members.push_back(find(set.members[member], fmt::format("{}.members[{}]", field, member)));
    if (members.empty())
      throw QueryError("bad_group", field, fmt::format("group '{}' has no members", set.name));
    MapMembers(resolved.map, members, dimension.categories.size());
    resolved.codes_of_category.push_back(members);
    dimension.categories.push_back({set.name, set.name, set.name});
  }
}

std::vector<int> ResolveSurvivalWeeks(const BreakdownRequest& request, size_t index) {
  std::vector<int> weeks = request.weeks;
  if (weeks.empty()) {
    for (int week = 0; week <= 104; ++week) weeks.push_back(week);
  }
  for (size_t position = 0; position < weeks.size(); ++position) {
    if (weeks[position] < 0 || weeks[position] > kMaxSurvivalWeek ||
        (position > 0 && weeks[position] <= weeks[position - 1])) {
      throw QueryError("bad_option", fmt::format("breakdowns[{}].weeks[{}]", index, position),
                       fmt::format("survival weeks must be increasing whole numbers from 0 to "
                                   "{}; got {}",
                                   kMaxSurvivalWeek, weeks[position]));
    }
  }
  return weeks;
}

const char* ListOfBreakdown(BreakdownKind kind) {
  switch (kind) {
    case BreakdownKind::kSex:
      return "sex";
    case BreakdownKind::kOrigin:
      return "origin";
    case BreakdownKind::kEducation:
      return "education";
    case BreakdownKind::kBenefit:
      return "benefit";
    case BreakdownKind::kVisitation:
      return "visitation";
    case BreakdownKind::kUnemploymentFund:
      return "unemployment_fund";
    case BreakdownKind::kOfferType:
      return "offer_type";
    case BreakdownKind::kProvider:
      return "provider";
    default:
      return nullptr;
  }
}

Labels BreakdownLabels(BreakdownKind kind) {
  switch (kind) {
    case BreakdownKind::kAge:
      return {"Alder", "Age"};
    case BreakdownKind::kSex:
      return {"Køn", "Sex"};
    case BreakdownKind::kOrigin:
      return {"Herkomst", "Origin"};
    case BreakdownKind::kEducation:
      return {"Uddannelse", "Education"};
    case BreakdownKind::kDuration:
      return {"Varighed (uger)", "Duration (weeks)"};
    case BreakdownKind::kBenefit:
      return {"Ydelse", "Benefit"};
    case BreakdownKind::kVisitation:
      return {"Visitationsgruppe", "Visitation group"};
    case BreakdownKind::kUnemploymentFund:
      return {"A-kasse", "Unemployment fund"};
    case BreakdownKind::kOfferType:
      return {"Tilbudstype", "Offer type"};
    case BreakdownKind::kProvider:
      return {"Aktør", "Provider"};
    case BreakdownKind::kStatusAfter:
      return {"Status efter forløbet", "Status after the spell"};
    case BreakdownKind::kSurvivalWeek:
      return {"Uger siden start", "Weeks since start"};
  }
  return {"", ""};
}

void RejectOptions(const BreakdownRequest& request, size_t index, bool bands, bool values,
                   bool weeks) {
  auto reject = [&](const char* option) {
    throw QueryError("bad_option", fmt::format("breakdowns[{}].{}", index, option),
                     fmt::format("breakdown '{}' takes no '{}'", BreakdownId(request.by), option));
  };
  if (!bands && !request.bands.empty()) reject("bands");
  if (!values && (!request.values.empty() || !request.groups.empty())) reject("values");
  if (!weeks && !request.weeks.empty()) reject("weeks");
  if (request.by != BreakdownKind::kStatusAfter && request.months != 0) reject("months");
}

}  // namespace

const CodeList& RequireCodeList(const CodeLists& codes, std::string_view id) {
  const CodeList* list = codes.Find(id);
  if (list == nullptr) {
    throw UserError(ErrorCode::kBadCatalog,
                    fmt::format("the catalogue has no code list '{}', which queries need", id));
  }
  return *list;
}

std::vector<std::string> CodeIds(const CodeList& list) {
  std::vector<std::string> ids;
  for (const auto& entry : list.codes) ids.push_back(entry.code);
  return ids;
}

CategoryMap ResolveAreas(const AreaRequest& request, const AreaCatalog& areas,
                         std::vector<Category>& categories) {
  CategoryMap map;
  map.by_value.resize(kMunicipalityCodeLimit);
  if (request.level == AreaLevel::kCluster && areas.clusters.empty()) {
    throw QueryError("unknown_area_level", "areas.level",
                     "the catalogue defines no clusters (catalog/areas/clusters.csv)");
  }
  const auto level_values = ValuesOfLevel(request.level, areas);
  auto add = [&](const std::string& id, const Labels& labels, const std::vector<int>& members) {
    MapMembers(map, members, categories.size());
    categories.push_back({id, labels.da, labels.en});
  };
  if (request.values.empty() && (!request.values_given || request.groups.empty())) {
    for (const auto& value : level_values) add(value.id, value.labels, value.members);
  }
  std::set<std::string> seen;
  for (size_t index = 0; index < request.values.size(); ++index) {
    const std::string field = fmt::format("areas.values[{}]", index);
    const auto found =
        std::find_if(level_values.begin(), level_values.end(),
                     [&](const AreaValue& v) { return v.id == request.values[index]; });
    if (found == level_values.end()) {
      std::vector<std::string> ids;
      ids.reserve(level_values.size());
      for (const auto& value : level_values) ids.push_back(value.id);
      throw QueryError("unknown_area", field,
                       fmt::format("'{}' is not a {} code: allowed are {}", request.values[index],
                                   AreaLevelId(request.level), JoinedForMessage(ids)));
    }
    if (!seen.insert(found->id).second)
      throw QueryError("duplicate_value", field, fmt::format("'{}' is listed twice", found->id));
    add(found->id, found->labels, found->members);
  }
  // Only groups look their members up (most queries have none).
  const auto municipalities = request.groups.empty()
                                  ? std::vector<AreaValue>{}
                                  : ValuesOfLevel(AreaLevel::kMunicipality, areas);
  for (size_t group = 0; group < request.groups.size(); ++group) {
    const NamedSet& set = request.groups[group];
    const std::string field = fmt::format("areas.groups[{}]", group);
    CheckGroupName(set.name, field, categories);
    std::vector<int> members;
    for (size_t member = 0; member < set.members.size(); ++member) {
      const auto found =
          std::find_if(municipalities.begin(), municipalities.end(),
                       [&](const AreaValue& v) { return v.id == set.members[member]; });
      if (found == municipalities.end()) {
        throw QueryError("unknown_area", fmt::format("{}.members[{}]", field, member),
                         fmt::format("'{}' is not a municipality code", set.members[member]));
      }
      members.push_back(found->members.front());
    }
    if (members.empty())
      throw QueryError("bad_group", field, fmt::format("group '{}' has no members", set.name));
    add(set.name, {set.name, set.name}, members);
  }
  if (request.total) {
    const Labels total = TotalLabels();
    categories.push_back({kTotalId, total.da, total.en});
    for (auto& of_value : map.by_value) {
      std::sort(of_value.begin(), of_value.end());
      of_value.erase(std::unique(of_value.begin(), of_value.end()), of_value.end());
    }
    AddTotal(map, categories.size() - 1);
  }
  return map;
}

ResolvedBreakdown ResolveBreakdown(const BreakdownRequest& request, size_t index,
                                   const CodeLists& codes, const std::vector<Band>& default_bands,
                                   Dimension& dimension) {
  ResolvedBreakdown resolved;
  resolved.kind = request.by;
  const Labels labels = BreakdownLabels(request.by);
  dimension.id = std::string(BreakdownId(request.by));
  dimension.label_da = labels.da;
  dimension.label_en = labels.en;
  switch (request.by) {
    case BreakdownKind::kAge:
    case BreakdownKind::kDuration:
      RejectOptions(request, index, true, false, false);
      ResolveBandBreakdown(request, index, default_bands, resolved, dimension);
      break;
    case BreakdownKind::kSurvivalWeek:
      RejectOptions(request, index, false, false, true);
      if (request.total) {
        throw QueryError("bad_option", fmt::format("breakdowns[{}].total", index),
                         "survival weeks have no total: each week is its own share");
      }
      resolved.weeks = ResolveSurvivalWeeks(request, index);
      for (const int week : resolved.weeks) {
        dimension.categories.push_back(
            {std::to_string(week), fmt::format("{} uger", week), fmt::format("{} weeks", week)});
      }
      break;
    case BreakdownKind::kStatusAfter: {
      RejectOptions(request, index, false, true, false);
      if (request.months < 1 || request.months > kMaxStatusAfterMonths) {
        throw QueryError("bad_option", fmt::format("breakdowns[{}].months", index),
                         fmt::format("status_after needs 'months' from 1 to {}; got {}",
                                     kMaxStatusAfterMonths, request.months));
      }
      resolved.months = request.months;
      std::vector<std::string> ids = {"benefit", "employed", "education", "other"};
      std::vector<Labels> state_labels;
      state_labels.reserve(ids.size());
      for (int state = 0; state < 4; ++state) state_labels.push_back(StatusAfterLabels(state));
      ResolveCodeBreakdown(request, index, ids, state_labels, resolved, dimension);
      break;
    }
    default: {
      RejectOptions(request, index, false, true, false);
      const CodeList& list = RequireCodeList(codes, ListOfBreakdown(request.by));
      std::vector<Labels> code_labels;
      for (const auto& entry : list.codes) code_labels.push_back({entry.name_da, entry.name_en});
      ResolveCodeBreakdown(request, index, CodeIds(list), code_labels, resolved, dimension);
      break;
    }
  }
  if (request.total) {
    const Labels total = TotalLabels();
    dimension.categories.push_back({kTotalId, total.da, total.en});
    for (auto& of_value : resolved.map.by_value) {
      std::sort(of_value.begin(), of_value.end());
      of_value.erase(std::unique(of_value.begin(), of_value.end()), of_value.end());
    }
    resolved.total_index = static_cast<int>(dimension.categories.size() - 1);
    AddTotal(resolved.map, dimension.categories.size() - 1);
    std::vector<int> all;
    for (const auto& codes_of : resolved.codes_of_category)
      all.insert(all.end(), codes_of.begin(), codes_of.end());
    std::sort(all.begin(), all.end());
    all.erase(std::unique(all.begin(), all.end()), all.end());
    resolved.codes_of_category.push_back(all);
  }
  resolved.category_count = dimension.categories.size();
  return resolved;
}

AreaCatalog LoadAreaCatalog(const std::filesystem::path& catalog_dir) {
  AreaCatalog catalog;
  catalog.municipalities = LoadMunicipalities(catalog_dir);
  const auto path = catalog_dir / "areas" / "clusters.csv";
  std::ifstream input(path);
  if (!input) return catalog;
  std::string line;
  std::getline(input, line);
  constexpr std::string_view kHeader = "cluster_code,name_da,name_en,municipality_code";
  if (line != kHeader) {
    throw UserError(ErrorCode::kBadCatalog,
                    fmt::format("{}: header is '{}', expected '{}'", path.string(), line, kHeader));
  }
  std::map<std::string, size_t> index_of;
  for (int number = 2; std::getline(input, line); ++number) {
    if (line.empty()) continue;
    std::vector<std::string> fields(1);
    for (const char ch : line) {
      if (ch == ',') {
        fields.emplace_back();
      } else {
        fields.back() += ch;
      }
    }
    const auto member = std::find_if(
        catalog.municipalities.begin(), catalog.municipalities.end(), [&](const Municipality& m) {
          return fields.size() == 4 && std::to_string(m.code) == fields[3];
        });
    if (fields.size() != 4 || fields[0].empty() || member == catalog.municipalities.end()) {
      throw UserError(ErrorCode::kBadCatalog,
                      fmt::format("{} line {}: expected cluster_code,name_da,name_en,"
                                  "municipality_code with a known municipality; got '{}'",
                                  path.string(), number, line));
    }
    auto [entry, added] = index_of.emplace(fields[0], catalog.clusters.size());
    if (added) catalog.clusters.push_back({fields[0], fields[1], fields[2], {}});
    catalog.clusters[entry->second].members.push_back(member->code);
  }
  return catalog;
}

}  // namespace jobindsigt::engine
