#pragma once
// `jobindsigt serve`: the HTTP/1.1 server (cpp-httplib from Debian) for the REST API
// (docs/api.md), the portal's static files, health, readiness and metrics. A background thread
// follows the store's CURRENT release; queries keep the release they started with.

#include <atomic>
#include <filesystem>
#include <memory>
#include <thread>

#include "engine/engine.h"
#include "server/server_settings.h"

namespace jobindsigt::server {

class HttpServer {
 public:
  HttpServer(std::shared_ptr<const engine::Engine> engine, const std::filesystem::path& store,
             ServerSettings settings);
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // Binds the address and port (port 0: any free port); returns the port. Throws
  // UserError(kBadArgument) when it cannot bind.
  int Bind();
  // Serves until Stop() (from any thread or a signal watcher). Loads the current release in
  // the background first; /readyz answers 503 until it is in.
  void Serve();
  void Stop();

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace jobindsigt::server
