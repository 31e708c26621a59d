#pragma once
// What both fuzz targets share: the real catalogue (catalog/, loaded once) and a release that
// holds only what query resolution reads (its id, first month and cut-off day), so that a
// parsed query is checked against the catalogue as the engine checks it, without a store.
//
// The contract under test: the parsers and the resolver either return or throw
// engine::QueryError (a reason and a field for problem+json). Any other exception, a crash or
// a sanitizer report is a finding; ExpectOnlyQueryErrors aborts so that libFuzzer keeps the
// input.

#include <cstdio>
#include <cstdlib>
#include <exception>
#include <memory>
#include <typeinfo>

#include "catalog/code_lists.h"
#include "catalog/measure_catalog.h"
#include "engine/query_error.h"
#include "engine/query_resolver.h"
#include "engine/release_data.h"

namespace jobindsigt::fuzz {

struct Catalogue {
  CodeLists codes;
  engine::AreaCatalog areas;
  MeasureCatalog measures;
  std::shared_ptr<const engine::ReleaseData> release;
  MonthIndex last_month = 0;
};

// The release the fuzzers resolve against: 2019M01 to 2026-09-30, like the server tests' store.
inline const Catalogue& TheCatalogue() {
  static const Catalogue* const catalogue = [] {
    auto* loaded = new Catalogue{LoadCodeLists(JOBINDSIGT_FUZZ_CATALOG_DIR),
                                 engine::LoadAreaCatalog(JOBINDSIGT_FUZZ_CATALOG_DIR),
                                 {},
                                 {},
                                 MakeMonth(2026, 9)};
    loaded->measures = LoadMeasureCatalog(JOBINDSIGT_FUZZ_CATALOG_DIR, loaded->codes);
    auto release = std::make_shared<engine::ReleaseData>();
    release->id = "fuzz";
    release->first_month = MakeMonth(2019, 1);
    release->cut_off_day = LastDayOfMonth(loaded->last_month);
    loaded->release = std::move(release);
    return loaded;
  }();
  return *catalogue;
}

// The engine's default cell limit (EngineSettings::max_cells).
inline constexpr size_t kMaxCells = 250'000;

inline void Resolve(const engine::Query& query) {
  const Catalogue& catalogue = TheCatalogue();
  engine::ResolveQuery(query, catalogue.release,
                       {catalogue.codes, catalogue.areas, catalogue.measures}, kMaxCells);
}

// Runs `body`; a QueryError is the documented answer to bad input, anything else aborts.
template <typename Body>
void ExpectOnlyQueryErrors(Body&& body) {
  try {
    body();
  } catch (const engine::QueryError& error) {
    if (error.reason().empty()) {
      std::fprintf(stderr, "finding: QueryError without a reason: %s\n", error.what());
      std::abort();
    }
  } catch (const std::exception& error) {
    std::fprintf(stderr, "finding: %s escaped: %s\n", typeid(error).name(), error.what());
    std::abort();
  }
}

}  // namespace jobindsigt::fuzz
