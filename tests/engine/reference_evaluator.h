#pragma once
// The independent reference evaluator of the differential tests (issue 4, "Correctness"):
// deliberately simple and written straight from docs/measures.md. It reads the source CSV
// files itself (reference_data.h), builds spells per person by the four-week rule, lists the
// items a statistic counts (contributions, spells, meetings, payments, residents) with their
// values, and puts each item in every category whose set holds its value; each cell's value
// is then the statistic's definition over its items (persons as explicit sets, activated
// days counted day by day). It shares no code with src/engine or src/ingest beyond the query
// and cube models, periods, dates and the catalogue readers.

#include <cmath>
#include <filesystem>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "engine/cube.h"
#include "engine/query.h"
#include "reference_data.h"
#include "reference_layout.h"

namespace jobindsigt::test {

struct RefCell {
  double value = std::nan("");
  engine::CellStatus status = engine::CellStatus::kOk;
  int64_t left_out = 0;  // status_after: ended spells whose month k lies after the cut-off
};

struct RefDimension {
  std::string id;
  std::vector<std::string> categories;
};

// The answer as the reference sees it: dimensions and cells laid out as the engine's Cube
// (row-major, last dimension fastest).
struct RefCube {
  std::vector<RefDimension> dimensions;
  std::vector<RefCell> cells;
  // Per breakdown in request order (0 for those without bands): the items of every
  // statistic and period whose value lies in none of the bands, wherever their area.
  std::vector<int64_t> outside_bands;
};

// One spell of a person in a group; records are indexes into SourceData::benefits.
struct RefSpell {
  int64_t person = 0;
  DayNumber start = 0;
  DayNumber end = 0;
  size_t first_record = 0;
  size_t end_record = 0;
  bool ended = false;
};

class ReferenceEvaluator {
 public:
  ReferenceEvaluator(const std::filesystem::path& sources,
                     const std::filesystem::path& catalog_dir);

  // Throws std::invalid_argument for a query it cannot place (unknown code, bad band, …).
  RefCube Evaluate(const engine::Query& query) const;

  const SourceData& data() const { return data_; }
  const RefCatalogue& catalogue() const { return catalogue_; }
  // The spells of every person in the group `codes`, by the four-week rule.
  const std::vector<RefSpell>& Spells(const std::set<std::string>& codes) const;

 private:
  struct GroupSpells {
    std::vector<RefSpell> spells;
    std::map<size_t, size_t> spell_of_record;  // benefit record -> its spell
  };
  const GroupSpells& SpellsOf(const std::set<std::string>& codes) const;
  struct Block;  // the items of one statistic and period (reference_evaluator.cpp)
  void FillItems(Block& block) const;
  void EvaluateBlock(const RefLayout& layout, size_t measure, size_t period, RefCube& cube) const;
  // The person's record in `codes` covering `day` with the smallest from (ties: smallest
  // record_id), if any.
  std::optional<size_t> CoveringRecord(int64_t person, const std::set<std::string>& codes,
                                       DayNumber day) const;
  // status_after: the person's status in `month`, first match wins.
  std::string StatusIn(int64_t person, MonthIndex month) const;
  // Days of [from, to] on which the person is in an offer whose type is in `types` and whose
  // provider is in `providers` (nullptr: any), counted day by day.
  int ActivatedDays(int64_t person, DayNumber from, DayNumber to,
                    const std::set<std::string>* types,
                    const std::set<std::string>* providers) const;

  SourceData data_;
  RefCatalogue catalogue_;
  std::map<int64_t, std::vector<size_t>> benefits_of_;        // person -> benefit records
  std::map<std::string, std::vector<size_t>> benefits_with_;  // code -> benefit records
  std::map<int64_t, std::vector<size_t>> offers_of_;
  std::map<int64_t, std::vector<size_t>> enrolments_of_;
  mutable std::map<std::set<std::string>, GroupSpells> spells_;
};

}  // namespace jobindsigt::test
