#include "server/server_settings.h"

#include <fmt/format.h>
#include <toml++/toml.h>

#include <set>

#include "common/error.h"

namespace jobindsigt::server {
namespace {

[[noreturn]] void Bad(const std::string& what) {
  throw UserError(ErrorCode::kBadArgument, what);
}

template <typename T>
void Read(const toml::table& table, const std::filesystem::path& path, const char* key, T& target) {
  const toml::node* node = table.get(key);
  if (node == nullptr) return;
  if constexpr (std::is_same_v<T, bool>) {
    if (!node->is_boolean()) Bad(fmt::format("{}: '{}' must be true or false", path.string(), key));
    target = node->value<bool>().value();
  } else if constexpr (std::is_same_v<T, std::string> || std::is_same_v<T, std::filesystem::path>) {
    if (!node->is_string()) Bad(fmt::format("{}: '{}' must be a string", path.string(), key));
    target = node->value<std::string>().value();
  } else {
    if (!node->is_integer() || node->value<int64_t>().value() < 0)
      Bad(fmt::format("{}: '{}' must be a whole number ≥ 0", path.string(), key));
    target = static_cast<T>(node->value<int64_t>().value());
  }
}

void Range(int64_t value, int64_t low, int64_t high, const char* key) {
  if (value < low || value > high)
    Bad(fmt::format("setting '{}' is {}; allowed are {} to {}", key, value, low, high));
}

}  // namespace

ServerSettings LoadServerSettings(const std::filesystem::path& path, ServerSettings settings) {
  toml::table table;
  try {
    table = toml::parse_file(path.string());
  } catch (const toml::parse_error& error) {
    Bad(fmt::format("{}: not a readable TOML settings file: {}", path.string(),
                    error.description()));
  }
  const std::set<std::string, std::less<>> known = {"bind_address",
                                                    "port",
                                                    "http_threads",
                                                    "query_slots",
                                                    "query_queue",
                                                    "max_body_bytes",
                                                    "request_timeout_seconds",
                                                    "max_cells",
                                                    "rate_limit_per_minute",
                                                    "cache_bytes",
                                                    "refresh_seconds",
                                                    "static_dir",
                                                    "release_calendar",
                                                    "access_log"};
  for (const auto& [key, value] : table) {
    if (!known.contains(key.str()))
      Bad(fmt::format("{}: unknown setting '{}' (see docs/server.md)", path.string(), key.str()));
  }
  Read(table, path, "bind_address", settings.bind_address);
  Read(table, path, "port", settings.port);
  Read(table, path, "http_threads", settings.http_threads);
  Read(table, path, "query_slots", settings.query_slots);
  Read(table, path, "query_queue", settings.query_queue);
  Read(table, path, "max_body_bytes", settings.max_body_bytes);
  Read(table, path, "request_timeout_seconds", settings.request_timeout_seconds);
  Read(table, path, "max_cells", settings.max_cells);
  Read(table, path, "rate_limit_per_minute", settings.rate_limit_per_minute);
  Read(table, path, "cache_bytes", settings.cache_bytes);
  Read(table, path, "refresh_seconds", settings.refresh_seconds);
  Read(table, path, "static_dir", settings.static_dir);
  Read(table, path, "release_calendar", settings.release_calendar);
  Read(table, path, "access_log", settings.access_log);
  CheckServerSettings(settings);
  return settings;
}

void CheckServerSettings(const ServerSettings& settings) {
  Range(settings.port, 0, 65535, "port");  // 0: any free port (tests)
  Range(settings.http_threads, 1, 1024, "http_threads");
  Range(settings.query_slots, 0, 256, "query_slots");
  Range(settings.query_queue, 0, 100'000, "query_queue");
  Range(static_cast<int64_t>(settings.max_body_bytes), 256, 16 << 20, "max_body_bytes");
  Range(settings.request_timeout_seconds, 1, 3600, "request_timeout_seconds");
  Range(static_cast<int64_t>(settings.max_cells), 1, 50'000'000, "max_cells");
  Range(settings.rate_limit_per_minute, 0, 1'000'000, "rate_limit_per_minute");
  Range(settings.refresh_seconds, 1, 86400, "refresh_seconds");
  if (settings.bind_address.empty()) Bad("setting 'bind_address' is empty");
  if (!settings.static_dir.empty() && !std::filesystem::is_directory(settings.static_dir))
    Bad(fmt::format("setting 'static_dir': {} is not a folder", settings.static_dir.string()));
}

}  // namespace jobindsigt::server
