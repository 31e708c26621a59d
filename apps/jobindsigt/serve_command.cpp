// `jobindsigt serve --store DIR [--port 8080] [--bind ADDRESS] [--config FILE]
// [--static DIR]`: the HTTP API and the portal (docs/server.md).

#include <fmt/format.h>

#include <chrono>
#include <thread>

#include "apps/jobindsigt/commands.h"
#include "apps/jobindsigt/stop_flag.h"
#include "engine/engine.h"
#include "server/http_server.h"

namespace jobindsigt::cli {
namespace {

struct ServeFlags {
  std::string store;
  std::string config;
  std::string catalog;
  std::optional<int> port;
  std::optional<std::string> bind;
  std::optional<std::string> static_dir;
  int threads = 0;
};

int RunServe(const ServeFlags& flags) {
  server::ServerSettings settings;
  if (!flags.config.empty()) settings = server::LoadServerSettings(flags.config, settings);
  if (flags.port) settings.port = *flags.port;
  if (flags.bind) settings.bind_address = *flags.bind;
  if (flags.static_dir) settings.static_dir = *flags.static_dir;
  if (settings.release_calendar.empty())
    settings.release_calendar =
        std::filesystem::path(CatalogDir(flags.catalog)) / "release_calendar.toml";
  server::CheckServerSettings(settings);
  engine::EngineSettings engine_settings;
  engine_settings.max_cells = settings.max_cells;
  engine_settings.threads = flags.threads;
  std::shared_ptr<const engine::Engine> engine =
      engine::Engine::Open(flags.store, CatalogDir(flags.catalog), engine_settings);
  server::HttpServer http(engine, flags.store, settings);
  const int port = http.Bind();
  fmt::print("Jobindsigt serves {} on http://{}:{}/ (API: /api/v1/, stop with Ctrl-C)\n",
             flags.store, settings.bind_address == "0.0.0.0" ? "localhost" : settings.bind_address,
             port);
  std::fflush(stdout);
  // Signals only set the stop flag; this watcher turns it into a clean shutdown.
  std::jthread watcher([&http](const std::stop_token& token) {
    while (!token.stop_requested() && !StopFlag().load())
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    http.Stop();
  });
  http.Serve();
  watcher.request_stop();
  return 0;
}

}  // namespace

void AddServeCommand(CLI::App& app, Action& action) {
  auto flags = std::make_shared<ServeFlags>();
  CLI::App* command =
      app.add_subcommand("serve", "Serve the API and the portal from a store's releases");
  command->add_option("--store", flags->store, "The store folder written by 'ingest'")->required();
  command->add_option("--port", flags->port, "TCP port (default 8080; 0 = any free port)")
      ->check(CLI::Range(0, 65535));
  command->add_option("--bind", flags->bind, "Address to listen on (default 127.0.0.1)");
  command->add_option("--config", flags->config, "Settings file (TOML, docs/server.md)")
      ->check(CLI::ExistingFile);
  command->add_option("--static", flags->static_dir, "The portal's built files (web/dist)")
      ->check(CLI::ExistingDirectory);
  command->add_option("--catalog", flags->catalog, "The catalogue folder");
  command->add_option("--threads", flags->threads, "Engine threads per query (0 = one per core)")
      ->check(CLI::Range(0, 256));
  command->callback([flags, &action] { action = [flags] { return RunServe(*flags); }; });
}

}  // namespace jobindsigt::cli
