#pragma once
// Checks a Query against the catalogue and a release and turns it into what the evaluator
// needs: each measure's group as a set of benefit codes, the periods as day intervals, which
// categories each municipality, code or band value falls in, and the answer's layout. Every
// error is a QueryError naming the field of the request and what is allowed.

#include <cstdint>
#include <vector>

#include "catalog/code_lists.h"
#include "catalog/measure_catalog.h"
#include "catalog/municipalities.h"
#include "engine/cube.h"
#include "engine/query.h"
#include "engine/release_data.h"

namespace jobindsigt::engine {

struct AreaCatalog {
  std::vector<Municipality> municipalities;
  struct Cluster {
    std::string code;
    std::string name_da;
    std::string name_en;
    std::vector<int> members;
  };
  std::vector<Cluster> clusters;  // empty when the catalogue has no clusters.csv
};

// Reads catalog/areas/municipalities.csv and, when present, catalog/areas/clusters.csv.
AreaCatalog LoadAreaCatalog(const std::filesystem::path& catalog_dir);

struct ResolvedMeasure {
  Statistic statistic = Statistic::kPersons;
  uint64_t benefit_mask = 0;  // bit i = benefit code i of the code list
};

struct ResolvedPeriod {
  Period period;
  bool preliminary = false;  // contains the cut-off day
};

// Which categories of one dimension a value falls in (its own, a band, a group, the total).
struct CategoryMap {
  std::vector<std::vector<uint16_t>> by_value;  // value → categories
  std::vector<uint16_t> beyond;      // values ≥ by_value.size(): an open-ended band, total
  std::vector<uint16_t> total_only;  // just the total, when there is one
  // The distinct non-empty lists ("classes"), numbered by IndexClasses: values with the same
  // categories share a class. The month pass sums by class and turns classes into cells once.
  std::vector<int32_t> class_of_value;  // by value: its class, -1 = no category
  int32_t beyond_class = -1;            // the class of `beyond`
  std::vector<int32_t> class_value;     // by class: a value holding it (-1: `beyond`)

  const std::vector<uint16_t>& Of(int value) const {
    static const std::vector<uint16_t> kNone;
    if (value < 0) return kNone;
    if (static_cast<size_t>(value) >= by_value.size()) return beyond;
    return by_value[value];
  }
  int32_t ClassOf(int value) const {
    if (value < 0) return -1;
    return static_cast<size_t>(value) < class_of_value.size() ? class_of_value[value]
                                                              : beyond_class;
  }
  const std::vector<uint16_t>& ClassList(int32_t of) const {
    const int32_t value = class_value[of];
    return value < 0 ? beyond : by_value[value];
  }
  size_t class_count() const { return class_value.size(); }
};

// Numbers the classes of `map` (after its lists are final).
void IndexClasses(CategoryMap& map);

struct ResolvedBreakdown {
  BreakdownKind kind = BreakdownKind::kSex;
  size_t category_count = 0;
  int total_index = -1;  // -1 when the query did not ask for the total
  // Age in years, duration in weeks, code indexes, status_after states (0 benefit, 1
  // employed, 2 education, 3 other) → categories. Survival weeks use `weeks`.
  CategoryMap map;
  std::vector<int> weeks;  // survival_week: k per category (the total is not allowed)
  int months = 0;          // status_after
  // offer_type, provider: the codes each category stands for (the total: all listed).
  std::vector<std::vector<int>> codes_of_category;
};

struct ResolvedQuery {
  std::shared_ptr<const ReleaseData> release;
  std::vector<ResolvedMeasure> measures;
  std::vector<ResolvedPeriod> periods;
  CategoryMap areas;  // municipality code → area categories
  size_t area_count = 0;
  std::vector<ResolvedBreakdown> breakdowns;
  Cube layout;                 // dimensions only, no values yet
  std::vector<size_t> stride;  // per dimension
  size_t cells = 0;
  // Period indexes by first day, and the longest period: a record finds the periods it
  // overlaps by a binary search instead of trying each (long series have hundreds).
  std::vector<uint32_t> period_order;
  int longest_period_days = 0;
  size_t offer_type_count = 0;  // codes in the catalogue's lists, for the offer filters
  size_t provider_count = 0;
};

enum class StatusAfterState : uint8_t { kBenefit = 0, kEmployed = 1, kEducation = 2, kOther = 3 };

// Whether breakdown `kind` applies to `statistic` (docs/measures.md, "Not applicable").
bool BreakdownApplies(BreakdownKind kind, Statistic statistic);

// What a query is checked against.
struct QueryCatalog {
  const CodeLists& codes;
  const AreaCatalog& areas;
  const MeasureCatalog& measures;
};

ResolvedQuery ResolveQuery(const Query& query, std::shared_ptr<const ReleaseData> release,
                           const QueryCatalog& catalog, size_t max_cells);

}  // namespace jobindsigt::engine
