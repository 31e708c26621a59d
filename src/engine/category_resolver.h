#pragma once
// The categories of the area dimension and of each breakdown, and which categories each
// value falls in. Part of ResolveQuery (query_resolver.h).

#include <string>
#include <vector>

#include "engine/query_resolver.h"

namespace jobindsigt::engine {

const CodeList& RequireCodeList(const CodeLists& codes, std::string_view id);
std::vector<std::string> CodeIds(const CodeList& list);

// Municipality code → area categories; appends the categories in answer order: the level's
// values, the custom groups, then `_T`.
CategoryMap ResolveAreas(const AreaRequest& request, const AreaCatalog& areas,
                         std::vector<Category>& categories);

// The breakdown at `index` of the request; fills `dimension` (id, labels, categories).
// `default_bands` are used for an age or duration breakdown given without bands.
ResolvedBreakdown ResolveBreakdown(const BreakdownRequest& request, size_t index,
                                   const CodeLists& codes, const std::vector<Band>& default_bands,
                                   Dimension& dimension);

}  // namespace jobindsigt::engine
