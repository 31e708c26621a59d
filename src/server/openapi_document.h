#pragma once
// The OpenAPI 3 document of the API (src/server/openapi.json), compiled in so the server
// needs no resource folder.

#include <string_view>

namespace jobindsigt::server {

std::string_view OpenApiDocument();

}  // namespace jobindsigt::server
