#pragma once
// The JSON form of the query (docs/query.md): parsed strictly, so that a misspelt key or a
// value of the wrong type is an error naming the field, never silently ignored.

#include <string_view>

#include "engine/query.h"

namespace jobindsigt::server {

// Throws engine::QueryError with reason `malformed_request` (not JSON), `unknown_field`,
// `wrong_type`, `missing_field`, or the model's reasons (unknown_statistic, unknown_breakdown,
// bad_band, …), each naming the field as a path ("breakdowns[1].bands[0]").
engine::Query ParseQueryRequest(std::string_view json);

}  // namespace jobindsigt::server
