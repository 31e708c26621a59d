#include "reference_layout.h"

#include <algorithm>
#include <fstream>
#include <map>
#include <sstream>
#include <stdexcept>

namespace jobindsigt::test {
namespace {

using engine::AreaLevel;
using engine::BreakdownKind;
using engine::Statistic;

std::vector<std::string> SplitComma(const std::string& line) {
  std::vector<std::string> fields;
  std::string field;
  std::istringstream stream(line);
  while (std::getline(stream, field, ',')) fields.push_back(field);
  return fields;
}

// catalog/areas/clusters.csv is not written yet; its layout is guessed from the
// municipalities file: a cluster id column and a municipality code column.
void LoadClusters(const std::filesystem::path& path, RefCatalogue& catalogue) {
  std::ifstream input(path);
  if (!input) return;
  std::string line;
  std::getline(input, line);
  const auto header = SplitComma(line);
  auto column = [&](std::initializer_list<const char*> names) -> std::optional<size_t> {
    for (const char* name : names) {
      const auto found = std::find(header.begin(), header.end(), name);
      if (found != header.end()) return found - header.begin();
    }
    return std::nullopt;
  };
  const auto cluster = column({"cluster_code", "cluster_id", "cluster"});
  const auto municipality = column({"municipality_code", "municipality"});
  if (!cluster || !municipality) return;
  std::map<std::string, std::set<int>> members;
  std::vector<std::string> order;
  while (std::getline(input, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty()) continue;
    const auto fields = SplitComma(line);
    const std::string& id = fields.at(*cluster);
    if (members.find(id) == members.end()) order.push_back(id);
    members[id].insert(std::stoi(fields.at(*municipality)));
  }
  for (const auto& id : order) catalogue.clusters.emplace_back(id, members[id]);
  catalogue.has_clusters = true;
}

int AreaCodeOf(AreaLevel level, const Municipality& municipality) {
  switch (level) {
    case AreaLevel::kRegion:
      return municipality.region_code;
    case AreaLevel::kLandsdel:
      return municipality.landsdel_code;
    case AreaLevel::kMunicipalityGroup:
      return municipality.group_code;
    case AreaLevel::kJobcentre:
      return municipality.jobcentre_code;
    case AreaLevel::kMunicipality:
      return municipality.code;
    case AreaLevel::kCountry:
    case AreaLevel::kCluster:
      break;
  }
  return 0;
}

// Every value of an area level with its municipalities, codes in ascending order.
std::vector<std::pair<std::string, std::set<int>>> LevelValues(AreaLevel level,
                                                               const RefCatalogue& catalogue) {
  if (level == AreaLevel::kCluster) {
    if (!catalogue.has_clusters) throw std::invalid_argument("no cluster catalogue");
    return catalogue.clusters;
  }
  std::map<int, std::set<int>> by_code;
  for (const auto& municipality : catalogue.municipalities) {
    by_code[AreaCodeOf(level, municipality)].insert(municipality.code);
  }
  if (level == AreaLevel::kCountry) return {{"DK", by_code[0]}};
  std::vector<std::pair<std::string, std::set<int>>> values;
  for (const auto& [code, members] : by_code) values.emplace_back(std::to_string(code), members);
  return values;
}

RefAxis BuildArea(const engine::AreaRequest& request, const RefCatalogue& catalogue) {
  RefAxis axis;
  axis.id = "area";
  const auto all = LevelValues(request.level, catalogue);
  RefCategory total{engine::kTotalId, true, {}, {}, {}, 0};
  auto add = [&](const std::string& id, const std::set<int>& members) {
    axis.categories.push_back({id, false, members, {}, {}, 0});
    total.municipalities.insert(members.begin(), members.end());
  };
  // docs/measures.md: "Without `values`, every value of the level", groups or not.
  if (request.values.empty()) {
    for (const auto& [id, members] : all) add(id, members);
  }
  for (const auto& value : request.values) {
    const auto found = std::find_if(all.begin(), all.end(),
                                    [&](const auto& entry) { return entry.first == value; });
    if (found == all.end()) throw std::invalid_argument("unknown area value " + value);
    add(found->first, found->second);
  }
  for (const auto& group : request.groups) {
    std::set<int> members;
    for (const auto& code : group.members) members.insert(std::stoi(code));
    add(group.name, members);
  }
  if (request.total) axis.categories.push_back(total);
  return axis;
}

const char* CodeListOf(BreakdownKind kind) {
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

RefAxis BuildBreakdown(const engine::BreakdownRequest& request, const RefCatalogue& catalogue) {
  RefAxis axis;
  axis.id = RefBreakdownId(request.by);
  axis.kind = request.by;
  axis.months = request.months;
  RefCategory total{engine::kTotalId, true, {}, {}, {}, 0};
  switch (request.by) {
    case BreakdownKind::kAge:
    case BreakdownKind::kDuration:
      for (const auto& band : request.bands) {
        const auto range = RefParseBand(band.text);
        axis.categories.push_back({band.text, false, {}, {range}, {}, 0});
        total.bands.push_back(range);
      }
      break;
    case BreakdownKind::kStatusAfter:
      for (const char* status : {"benefit", "employed", "education", "other"}) {
        axis.categories.push_back({status, false, {}, {}, {status}, 0});
        total.codes.insert(status);
      }
      break;
    case BreakdownKind::kSurvivalWeek: {
      std::vector<int> weeks = request.weeks;
      if (weeks.empty()) {
        for (int k = 0; k <= 104; ++k) weeks.push_back(k);
      }
      for (const int k : weeks)
        axis.categories.push_back({std::to_string(k), false, {}, {}, {}, k});
      break;
    }
    default: {
      const CodeList* list = catalogue.codes.Find(CodeListOf(request.by));
      if (list == nullptr) throw std::invalid_argument("no code list for " + axis.id);
      // Listed values, then the named sets of codes; neither: every code of the list.
      std::vector<std::string> values = request.values;
      if (values.empty() && request.groups.empty()) {
        for (const auto& entry : list->codes) values.push_back(entry.code);
      }
      for (const auto& value : values) {
        if (!list->Find(value)) throw std::invalid_argument("unknown code " + value);
        axis.categories.push_back({value, false, {}, {}, {value}, 0});
        total.codes.insert(value);
      }
      for (const auto& group : request.groups) {
        for (const auto& member : group.members) {
          if (!list->Find(member)) throw std::invalid_argument("unknown code " + member);
        }
        std::set<std::string> members(group.members.begin(), group.members.end());
        axis.categories.push_back({group.name, false, {}, {}, members, 0});
        total.codes.insert(members.begin(), members.end());
      }
      break;
    }
  }
  if (request.total) {
    if (request.by == BreakdownKind::kSurvivalWeek) {
      throw std::invalid_argument("a total of survival weeks has no meaning");
    }
    axis.categories.push_back(total);
  }
  return axis;
}

std::set<std::string> GroupOf(const std::vector<std::string>& benefits,
                              const RefCatalogue& catalogue) {
  if (benefits.size() == 1) {
    for (const auto& group : catalogue.codes.benefit_groups) {
      if (group.id == benefits[0]) return {group.members.begin(), group.members.end()};
    }
  }
  const CodeList* list = catalogue.codes.Find("benefit");
  for (const auto& code : benefits) {
    if (!list->Find(code)) throw std::invalid_argument("unknown benefit " + code);
  }
  return {benefits.begin(), benefits.end()};
}

}  // namespace

RefCatalogue LoadRefCatalogue(const std::filesystem::path& catalog_dir) {
  RefCatalogue catalogue;
  catalogue.municipalities = LoadMunicipalities(catalog_dir);
  catalogue.codes = LoadCodeLists(catalog_dir);
  LoadClusters(catalog_dir / "areas" / "clusters.csv", catalogue);
  return catalogue;
}

RefLayout BuildLayout(const engine::Query& query, const RefCatalogue& catalogue) {
  RefLayout layout;
  for (const auto& measure : query.measures) {
    layout.measures.push_back(
        {measure.id, measure.statistic,
         GroupOf(measure.benefits.empty() ? query.benefits : measure.benefits, catalogue)});
  }
  for (const auto& text : query.periods) {
    const auto period = ParsePeriod(text);
    if (!period) throw std::invalid_argument("not a period: " + text);
    layout.periods.push_back(*period);
  }
  layout.area = BuildArea(query.areas, catalogue);
  for (const auto& breakdown : query.breakdowns) {
    layout.breakdowns.push_back(BuildBreakdown(breakdown, catalogue));
  }
  return layout;
}

std::pair<int, int> RefParseBand(const std::string& text) {
  const size_t dash = text.find('-');
  auto number = [&](const std::string& digits) {
    if (digits.empty() || digits.size() > 4 ||
        !std::all_of(digits.begin(), digits.end(), [](char ch) { return ch >= '0' && ch <= '9'; }))
      throw std::invalid_argument("not a band: " + text);
    return std::stoi(digits);
  };
  if (dash == std::string::npos) throw std::invalid_argument("not a band: " + text);
  const int low = number(text.substr(0, dash));
  const std::string rest = text.substr(dash + 1);
  const int high = rest.empty() ? INT_MAX : number(rest);
  if (high < low) throw std::invalid_argument("not a band: " + text);
  return {low, high};
}

std::string RefStatisticId(Statistic statistic) {
  static const char* const kIds[] = {"persons",           "fte",
                                     "persons_start",     "persons_end",
                                     "spells_started",    "persons_started",
                                     "spells_ended",      "duration_ended",
                                     "survival",          "status_after",
                                     "activated_persons", "activated_fte",
                                     "activation_rate",   "meetings_due",
                                     "meetings_timely",   "timeliness",
                                     "meetings_held",     "no_shows",
                                     "expenditure_gross", "expenditure_net",
                                     "population",        "share_of_population"};
  return kIds[static_cast<int>(statistic)];
}

std::string RefBreakdownId(BreakdownKind kind) {
  static const char* const kIds[] = {"age",        "sex",      "origin",       "education",
                                     "duration",   "benefit",  "visitation",   "unemployment_fund",
                                     "offer_type", "provider", "status_after", "survival_week"};
  return kIds[static_cast<int>(kind)];
}

std::string RefAreaLevelId(AreaLevel level) {
  static const char* const kIds[] = {"country",   "region",       "landsdel", "municipality_group",
                                     "jobcentre", "municipality", "cluster"};
  return kIds[static_cast<int>(level)];
}

bool RefApplies(Statistic statistic, BreakdownKind kind) {
  const bool expenditure =
      statistic == Statistic::kExpenditureGross || statistic == Statistic::kExpenditureNet;
  const bool population = statistic == Statistic::kPopulation;
  const bool share = statistic == Statistic::kShareOfPopulation;
  const bool benefit_records = !expenditure && !population && !share;
  const bool activation = statistic == Statistic::kActivatedPersons ||
                          statistic == Statistic::kActivatedFte ||
                          statistic == Statistic::kActivationRate;
  switch (kind) {
    case BreakdownKind::kAge:
    case BreakdownKind::kSex:
      return true;
    case BreakdownKind::kOrigin:
    case BreakdownKind::kEducation:
      return !share;
    case BreakdownKind::kDuration:
    case BreakdownKind::kVisitation:
    case BreakdownKind::kUnemploymentFund:
      return benefit_records;
    case BreakdownKind::kBenefit:
      return benefit_records || expenditure;
    case BreakdownKind::kOfferType:
    case BreakdownKind::kProvider:
      return activation;
    case BreakdownKind::kStatusAfter:
      return statistic == Statistic::kStatusAfter;
    case BreakdownKind::kSurvivalWeek:
      return statistic == Statistic::kSurvival;
  }
  return false;
}

}  // namespace jobindsigt::test
