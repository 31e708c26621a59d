#pragma once
// The reference evaluator's reading of a query's layout: the answer's dimensions and their
// categories as docs/measures.md describes them, each category with the set of values it
// holds (municipalities, band ranges, codes). Built from the query and the catalogue alone.

#include <climits>
#include <filesystem>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "catalog/code_lists.h"
#include "catalog/municipalities.h"
#include "common/period.h"
#include "engine/cube.h"
#include "engine/query.h"

namespace jobindsigt::test {

struct RefCategory {
  std::string id;
  bool total = false;
  std::set<int> municipalities;            // area: the municipalities it holds
  std::vector<std::pair<int, int>> bands;  // age, duration: [low, high] ranges it holds
  std::set<std::string> codes;             // code breakdowns and status_after classes
  int week = 0;                            // survival_week: k

  bool HoldsValue(int value) const {
    for (const auto& [low, high] : bands) {
      if (value >= low && value <= high) return true;
    }
    return false;
  }
};

struct RefAxis {
  std::string id;                             // "area" or the breakdown id
  std::optional<engine::BreakdownKind> kind;  // nullopt for the area
  std::vector<RefCategory> categories;
  int months = 0;  // status_after: k
  std::optional<size_t> TotalIndex() const {
    for (size_t i = 0; i < categories.size(); ++i) {
      if (categories[i].total) return i;
    }
    return std::nullopt;
  }
};

struct RefMeasure {
  std::string id;
  engine::Statistic statistic = engine::Statistic::kPersons;
  std::set<std::string> group;  // the benefit codes of G
};

struct RefLayout {
  std::vector<RefMeasure> measures;
  std::vector<Period> periods;
  RefAxis area;
  std::vector<RefAxis> breakdowns;
};

// The catalogue as the reference reads it.
struct RefCatalogue {
  std::vector<Municipality> municipalities;
  CodeLists codes;
  // cluster id -> municipality codes, from catalog/areas/clusters.csv when it exists.
  std::vector<std::pair<std::string, std::set<int>>> clusters;
  bool has_clusters = false;
};

RefCatalogue LoadRefCatalogue(const std::filesystem::path& catalog_dir);

// Throws std::invalid_argument for a query the reference cannot place (unknown code, …).
RefLayout BuildLayout(const engine::Query& query, const RefCatalogue& catalogue);

// The reference's own spelling of the ids of docs/measures.md.
std::string RefStatisticId(engine::Statistic statistic);
std::string RefBreakdownId(engine::BreakdownKind kind);
std::string RefAreaLevelId(engine::AreaLevel level);

// Parses a band text of docs/measures.md (`16-24`, `50-`) into [low, high]; INT_MAX for an
// open end. Throws std::invalid_argument for anything else.
std::pair<int, int> RefParseBand(const std::string& text);

// Whether `kind` applies to `statistic` (the table of docs/measures.md).
bool RefApplies(engine::Statistic statistic, engine::BreakdownKind kind);

}  // namespace jobindsigt::test
