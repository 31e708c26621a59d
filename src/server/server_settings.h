#pragma once
// Settings of `jobindsigt serve`, each with a documented default (docs/server.md). Read from
// an optional TOML file (`--config`) and then command-line flags; every value is checked.

#include <cstddef>
#include <filesystem>
#include <string>

namespace jobindsigt::server {

struct ServerSettings {
  std::string bind_address = "127.0.0.1";
  int port = 8080;
  // Connections served at once: cpp-httplib gives each keep-alive connection a thread.
  int http_threads = 128;
  int query_slots = 0;  // engine queries at once; 0 = one per core
  int query_queue =
      128;  // queries waiting for a slot before 503 (= http_threads: no 503 by default)
  size_t max_body_bytes = size_t{64} * 1024;  // POST bodies: a query is small
  int request_timeout_seconds = 30;           // read/write timeout per request
  size_t max_cells = 250'000;                 // cells per query (engine limit)
  int rate_limit_per_minute = 600;            // per client address; 0 = off
  size_t cache_bytes = 256u << 20;            // answers kept for repeated requests
  int refresh_seconds = 5;                    // how often CURRENT is checked for a new release
  std::filesystem::path static_dir;           // the portal's built files; empty = none
  // Planned release dates (catalog/release_calendar.toml); empty or missing = none planned.
  std::filesystem::path release_calendar;
  bool access_log = true;
};

// Reads `path` (TOML, keys as above). Throws UserError(kBadArgument) naming the file, the key
// and what is allowed, for an unknown key, a wrong type or a value out of range.
ServerSettings LoadServerSettings(const std::filesystem::path& path, ServerSettings defaults);

// Checks ranges (port 1–65535, threads 1–1024, …); throws UserError(kBadArgument).
void CheckServerSettings(const ServerSettings& settings);

}  // namespace jobindsigt::server
