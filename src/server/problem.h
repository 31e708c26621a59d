#pragma once
// Errors as RFC 7807 problem details (application/problem+json): a stable `reason`, the
// offending `parameter` (a query parameter or a path into a JSON body), a `detail` a person
// can act on, and the HTTP status.

#include <string>

namespace jobindsigt::server {

struct Problem {
  int status = 400;
  std::string reason;     // stable code: unknown_measure, too_many_cells, …
  std::string parameter;  // what was wrong; may be empty
  std::string detail;
};

// The HTTP status for an engine::QueryError reason: 400 for a request that is not well
// formed, 404 for an unknown release, 422 for a well-formed query that cannot be answered.
int StatusForReason(const std::string& reason);

// The problem+json body; `instance` is the request path.
std::string ProblemJson(const Problem& problem, const std::string& instance);

}  // namespace jobindsigt::server
