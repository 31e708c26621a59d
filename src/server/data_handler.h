#pragma once
// GET and POST /api/v1/data: a query (query parameters or a JSON body) answered in the format
// asked for, with ETag/304, the answer cache, rate limits and the engine's query slots.

#include <httplib.h>

#include <atomic>

#include "engine/engine.h"
#include "server/server_settings.h"
#include "server/server_state.h"

namespace jobindsigt::server {

enum class DataFormat { kJsonStat, kJson, kCsv, kCsvDanish, kXlsx, kPx, kSdmxCsv };

// From ?format= (wins) or the Accept header; nullopt for an unknown format name.
std::optional<DataFormat> ChooseFormat(const std::string& parameter, const std::string& accept);

class DataHandler {
 public:
  struct Context {
    const engine::Engine& engine;
    ResponseCache& cache;
    RateLimiter& limiter;
    QuerySlots& slots;
    AnswersInFlight& in_flight;
    Metrics& metrics;
    const ServerSettings& settings;
    const std::atomic<bool>& ready;
  };
  explicit DataHandler(Context context) : context_(context) {}
  void Handle(const httplib::Request& request, httplib::Response& response);

 private:
  Context context_;
};

}  // namespace jobindsigt::server
