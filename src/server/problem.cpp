#include "server/problem.h"

#include <nlohmann/json.hpp>
#include <set>

namespace jobindsigt::server {

int StatusForReason(const std::string& reason) {
  static const std::set<std::string> kMalformed = {"malformed_request", "unknown_field",
                                                   "wrong_type",        "missing_field",
                                                   "too_long",          "unknown_parameter"};
  if (kMalformed.contains(reason)) return 400;
  if (reason == "unknown_release") return 404;
  return 422;
}

std::string ProblemJson(const Problem& problem, const std::string& instance) {
  const char* title = "Bad request";
  switch (problem.status) {
    case 404:
      title = "Not found";
      break;
    case 405:
      title = "Method not allowed";
      break;
    case 413:
      title = "Request too large";
      break;
    case 415:
      title = "Unsupported media type";
      break;
    case 422:
      title = "The query cannot be answered";
      break;
    case 429:
      title = "Too many requests";
      break;
    case 503:
      title = "Service unavailable";
      break;
    case 500:
      title = "Internal error";
      break;
    default:
      break;
  }
  nlohmann::ordered_json body = {{"type", "/docs/api#" + problem.reason},
                                 {"title", title},
                                 {"status", problem.status},
                                 {"reason", problem.reason},
                                 {"detail", problem.detail},
                                 {"instance", instance}};
  if (!problem.parameter.empty()) body["parameter"] = problem.parameter;
  return body.dump();
}

}  // namespace jobindsigt::server
