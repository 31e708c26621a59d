#pragma once
// JSON documents of the catalogue and release API (docs/api.md): subjects, topics and
// measure groups for the Databank menu, measures with both levels of documentation, areas,
// code lists, releases with their notes mapped onto measures, limits, and a DCAT-style feed.

#include <nlohmann/json.hpp>
#include <string>

#include "engine/engine.h"
#include "engine/query_resolver.h"
#include "server/server_settings.h"
#include "store/store.h"

namespace jobindsigt::server {

using Json = nlohmann::ordered_json;

Json MenuJson(const MeasureCatalog& catalog);
// Every measure (summary fields); `subject` or `group` filter when not empty.
Json MeasuresJson(const MeasureCatalog& catalog, const std::string& subject,
                  const std::string& group);
// One measure in full: fields, documentation, what changed in each release, update plan.
// nullopt for an unknown id.
std::optional<Json> MeasureJson(const MeasureCatalog& catalog, const std::string& id,
                                const engine::ReleaseInfo& latest, const store::Store& store);
Json AreasJson(const engine::AreaCatalog& areas);
std::optional<Json> CodeListJson(const CodeLists& codes, const std::string& list);
Json ReleasesJson(const store::Store& store);
// The release's summary and its notes per benefit and per measure; nullopt when unknown.
std::optional<Json> ReleaseJson(const store::Store& store, const std::string& id,
                                const MeasureCatalog& catalog);
Json ConfigJson(const ServerSettings& settings);
Json DcatJson(const MeasureCatalog& catalog, const engine::ReleaseInfo& latest,
              const std::string& base_url);

}  // namespace jobindsigt::server
