#pragma once
// The data API's GET form: query parameters onto the engine's query (docs/api.md). Every
// parameter is checked; an error names the parameter, the value and what is allowed.

#include <map>
#include <string>
#include <vector>

#include "engine/query.h"

namespace jobindsigt::server {

// Parameters as received, in order; a name may repeat.
using QueryParameters = std::multimap<std::string, std::string>;

// The parameters that are not part of the query itself.
inline constexpr const char* kFormatParameter = "format";
inline constexpr const char* kLanguageParameter = "lang";
inline constexpr const char* kLabelsParameter = "labels";

// Throws engine::QueryError (reason, parameter name as field). `last_month` is the cut-off
// month of the release asked for: `latest:N` periods count back from it.
engine::Query QueryFromParameters(const QueryParameters& parameters, MonthIndex last_month);

// `latest:12` (months), `latest:4Q`, `latest:3Y`, `latest:8W`: the N latest periods of the type
// ending with the release's last month (weeks: the last full ISO week); nullopt when `text` is
// not of that form.
std::optional<std::vector<std::string>> ExpandLatest(std::string_view text, MonthIndex last_month);

}  // namespace jobindsigt::server
