#include "server/http_server.h"

#include <fmt/chrono.h>
#include <fmt/format.h>
#include <httplib.h>
#include <sys/socket.h>

#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <fstream>
#include <mutex>
#include <optional>
#include <sstream>
#include <string>
#include <unordered_map>

#include "common/error.h"
#include "server/api_catalogue.h"
#include "server/data_handler.h"
#include "server/openapi_document.h"
#include "server/problem.h"
#include "server/release_calendar.h"
#include "server/server_state.h"

namespace jobindsigt::server {
namespace {

constexpr int kListenBacklog = 1024;  // connections waiting to be accepted

// An Accept-Encoding value without its "br" entries ("br;q=1.0, gzip" → "gzip").
std::string WithoutBrotli(const std::string& accept_encoding) {
  std::string kept;
  size_t start = 0;
  while (start <= accept_encoding.size()) {
    size_t end = accept_encoding.find(',', start);
    if (end == std::string::npos) end = accept_encoding.size();
    std::string item = accept_encoding.substr(start, end - start);
    const size_t begin = item.find_first_not_of(" \t");
    item = begin == std::string::npos ? "" : item.substr(begin);
    const std::string coding = item.substr(0, item.find_first_of(" \t;"));
    if (!item.empty() && coding != "br") kept += (kept.empty() ? "" : ", ") + item;
    start = end + 1;
  }
  return kept;
}

}  // namespace

struct HttpServer::State {
  std::shared_ptr<const engine::Engine> engine;
  store::Store store;
  ServerSettings settings;
  std::vector<PlannedRelease> calendar;
  httplib::Server http;
  ResponseCache cache;
  RateLimiter limiter;
  QuerySlots slots;
  AnswersInFlight in_flight;
  Metrics metrics;
  std::atomic<bool> ready{false};
  int listen_socket = -1;  // a file descriptor
  std::atomic<bool> stopping{false};
  std::mutex refresh_mutex;
  std::condition_variable refresh_wake;
  std::jthread refresher;

  State(std::shared_ptr<const engine::Engine> engine_in, const std::filesystem::path& store_dir,
        ServerSettings settings_in)
      : engine(std::move(engine_in)),
        store(store::Store::Open(store_dir)),
        settings(std::move(settings_in)),
        calendar(LoadReleaseCalendar(settings.release_calendar)),
        cache(settings.cache_bytes),
        limiter(settings.rate_limit_per_minute),
        slots(settings.query_slots > 0
                  ? settings.query_slots
                  : std::max(1, static_cast<int>(std::thread::hardware_concurrency())),
              settings.query_queue) {}

  void SendJson(httplib::Response& response, const Json& body) {
    response.set_content(body.dump(), "application/json");
    response.set_header("Cache-Control", "public, max-age=60");
  }

  void SendProblem(const httplib::Request& request, httplib::Response& response,
                   const Problem& problem) {
    response.status = problem.status;
    response.set_content(ProblemJson(problem, request.path), "application/problem+json");
    response.set_header("Cache-Control", "no-store");
  }

  engine::ReleaseInfo Latest() { return engine->Release("latest"); }

  // Catalogue and release answers depend only on the catalogue (fixed while serving) and the
  // store's releases, so each is computed once per current release: reading the release
  // summaries behind /measures/{id} or /releases/{id} takes milliseconds, a lookup
  // microseconds (bench/load_bench.sh). Kept for the current release only, and bounded.
  std::mutex memo_mutex;
  std::string memo_release;
  std::unordered_map<std::string, std::string> memo;
  static constexpr size_t kMemoEntries = 4096;

  // Sends the body for this request's target, computed by `compute` (a std::optional<Json>)
  // at most once per current release. False when `compute` found nothing (nothing is kept).
  template <typename Compute>
  bool SendMemoised(const httplib::Request& request, httplib::Response& response,
                    Compute&& compute) {
    std::string release;
    if (ready) release = Latest().id;
    if (release.empty()) {  // still loading: answer without keeping it
      const std::optional<Json> body = compute();
      if (body) SendJson(response, *body);
      return body.has_value();
    }
    {
      const std::lock_guard lock(memo_mutex);
      if (memo_release != release) {
        memo.clear();
        memo_release = release;
      }
      if (const auto found = memo.find(request.target); found != memo.end()) {
        response.set_content(found->second, "application/json");
        response.set_header("Cache-Control", "public, max-age=60");
        return true;
      }
    }
    const std::optional<Json> body = compute();
    if (!body) return false;
    std::string text = body->dump();
    response.set_content(text, "application/json");
    response.set_header("Cache-Control", "public, max-age=60");
    const std::lock_guard lock(memo_mutex);
    if (memo_release == release && memo.size() < kMemoEntries)
      memo.emplace(request.target, std::move(text));
    return true;
  }

  void Refresh() {
    while (!stopping) {
      try {
        engine->RefreshLatest();
        ready = true;
      } catch (const std::exception& error) {
        fmt::print(stderr, "jobindsigt serve: cannot load the current release: {}\n", error.what());
      }
      std::unique_lock lock(refresh_mutex);
      refresh_wake.wait_for(lock, std::chrono::seconds(settings.refresh_seconds),
                            [&] { return stopping.load(); });
    }
  }

  void AddRoutes();
  void AddCatalogueRoutes();
  void AddOperationsRoutes();
  void AddHandlers();
};

void HttpServer::State::AddCatalogueRoutes() {
  // The catalogue's answers change only with the catalogue and the release: each is made once
  // per release and target (SendMemoised), not for every request.
  http.Get("/api/v1/menu", [&](const httplib::Request& request, httplib::Response& response) {
    SendMemoised(request, response,
                 [&] { return std::optional<Json>(MenuJson(engine->measures())); });
  });
  http.Get("/api/v1/measures", [&](const httplib::Request& request, httplib::Response& response) {
    SendMemoised(request, response, [&] {
      return std::optional<Json>(MeasuresJson(engine->measures(),
                                              request.get_param_value("subject"),
                                              request.get_param_value("group")));
    });
  });
  http.Get(R"(/api/v1/measures/([a-z0-9_]{1,80}))", [&](const httplib::Request& request,
                                                        httplib::Response& response) {
    const std::string id = request.matches[1];
    if (!SendMemoised(request, response,
                      [&] { return MeasureJson(engine->measures(), id, Latest(), store); })) {
      SendProblem(
          request, response,
          {404, "unknown_measure", "id", fmt::format("no measure '{}' in the catalogue", id)});
    }
  });
  http.Get("/api/v1/areas", [&](const httplib::Request& request, httplib::Response& response) {
    SendMemoised(request, response,
                 [&] { return std::optional<Json>(AreasJson(engine->areas())); });
  });
  http.Get(R"(/api/v1/codes/([a-z_]{1,40}))", [&](const httplib::Request& request,
                                                  httplib::Response& response) {
    if (!SendMemoised(request, response,
                      [&] { return CodeListJson(engine->codes(), request.matches[1]); }))
      SendProblem(request, response, {404, "unknown_code_list", "list", "no such code list"});
  });
  http.Get("/api/v1/releases", [&](const httplib::Request& request, httplib::Response& response) {
    SendMemoised(request, response, [&] { return std::optional<Json>(ReleasesJson(store)); });
  });
  http.Get(R"(/api/v1/releases/([a-z0-9]{1,20}))",
           [&](const httplib::Request& request, httplib::Response& response) {
             const std::string id = request.matches[1];
             if (!SendMemoised(request, response,
                               [&] { return ReleaseJson(store, id, engine->measures()); })) {
               SendProblem(request, response,
                           {404, "unknown_release", "id", fmt::format("no release '{}'", id)});
             }
           });
  http.Get("/api/v1/calendar", [&](const httplib::Request& request, httplib::Response& response) {
    SendMemoised(request, response,
                 [&] { return std::optional<Json>(CalendarJson(calendar, store)); });
  });
  http.Get("/api/v1/config", [&](const httplib::Request&, httplib::Response& response) {
    SendJson(response, ConfigJson(settings));
  });
  http.Get("/api/v1/catalog.jsonld",
           [&](const httplib::Request& request, httplib::Response& response) {
             const std::string host = request.get_header_value("Host");
             SendJson(response, DcatJson(engine->measures(), Latest(), "http://" + host));
             response.set_header("Content-Type", "application/ld+json");
           });
  http.Get("/api/v1/openapi.json", [&](const httplib::Request&, httplib::Response& response) {
    response.set_content(std::string(OpenApiDocument()), "application/json");
  });
}

void HttpServer::State::AddOperationsRoutes() {
  http.Get("/healthz", [](const httplib::Request&, httplib::Response& response) {
    response.set_content("ok\n", "text/plain");
  });
  http.Get("/readyz", [&](const httplib::Request&, httplib::Response& response) {
    if (!ready) {
      response.status = 503;
      response.set_content("loading the current release\n", "text/plain");
      return;
    }
    response.set_content("ready\n", "text/plain");
  });
  http.Get("/metrics", [&](const httplib::Request&, httplib::Response& response) {
    std::string release = "none";
    if (ready) release = Latest().id;
    response.set_content(metrics.Exposition(release, static_cast<int64_t>(settings.cache_bytes)),
                         "text/plain; version=0.0.4");
  });
}

void HttpServer::State::AddRoutes() {
  AddCatalogueRoutes();
  AddOperationsRoutes();
  DataHandler::Context context{*engine, cache, limiter, slots, in_flight, metrics, settings, ready};
  auto data = [context](const httplib::Request& request, httplib::Response& response) {
    DataHandler(context).Handle(request, response);
  };
  http.Get("/api/v1/data", data);
  http.Post("/api/v1/data", data);
  if (!settings.static_dir.empty()) http.set_mount_point("/", settings.static_dir.string());
}

void HttpServer::State::AddHandlers() {
  // Debian's cpp-httplib compresses with Brotli whenever the client accepts it, at Brotli's
  // default quality 11: 25–50 ms for a 6 kB data answer and far more for large ones. Every
  // browser accepts br, so the portal's tables waited on compression (gzip at zlib's default
  // level takes well under a millisecond for the same answer). "br" is taken out of
  // Accept-Encoding before routing, and the library then chooses gzip.
  http.set_pre_routing_handler([](const httplib::Request& request, httplib::Response&) {
    // The library hands over the request it owns and will read the header from afterwards.
    auto& headers = const_cast<httplib::Request&>(request).headers;
    const auto [first, last] = headers.equal_range("Accept-Encoding");
    for (auto header = first; header != last; ++header)
      header->second = WithoutBrotli(header->second);
    return httplib::Server::HandlerResponse::Unhandled;
  });
  http.set_exception_handler(
      [&](const httplib::Request& request, httplib::Response& response, std::exception_ptr error) {
        std::string what = "unknown";
        try {
          std::rethrow_exception(std::move(error));
        } catch (const std::exception& exception) {
          what = exception.what();
        } catch (...) {
        }
        fmt::print(stderr, "jobindsigt serve: error in {} {}: {}\n", request.method, request.path,
                   what);
        SendProblem(request, response,
                    {500, "internal_error", "", "the server failed to answer; it has been logged"});
      });
  http.set_error_handler([&](const httplib::Request& request, httplib::Response& response) {
    if (!response.body.empty()) return;
    // The portal is a single page: its own paths are answered with index.html.
    if (response.status == 404 && request.method == "GET" && !settings.static_dir.empty() &&
        !request.path.starts_with("/api/")) {
      std::ifstream index(settings.static_dir / "index.html", std::ios::binary);
      if (index) {
        std::ostringstream text;
        text << index.rdbuf();
        response.status = 200;
        response.set_content(text.str(), "text/html; charset=utf-8");
        return;
      }
    }
    const int status = response.status;
    const std::string reason = status == 404   ? "not_found"
                               : status == 413 ? "body_too_large"
                               : status == 405 ? "method_not_allowed"
                                               : "bad_request";
    const std::string detail =
        status == 404 ? "no such resource; the API is described at /api/v1/openapi.json"
        : status == 413
            ? fmt::format("the request body is larger than {} bytes", settings.max_body_bytes)
            : "the request could not be read";
    SendProblem(request, response, {status, reason, "", detail});
  });
  http.set_logger([&](const httplib::Request& request, const httplib::Response& response) {
    if (!settings.access_log) return;
    const std::string timing = response.get_header_value("Server-Timing");
    fmt::print(stderr, "{:%Y-%m-%dT%H:%M:%S}Z {} {} {} {} {}{}{}\n",
               fmt::gmtime(std::chrono::system_clock::to_time_t(std::chrono::system_clock::now())),
               request.remote_addr, request.method, request.target, response.status,
               response.body.size(), timing.empty() ? "" : " ", timing);
  });
  http.set_payload_max_length(settings.max_body_bytes);
  http.set_read_timeout(settings.request_timeout_seconds, 0);
  http.set_write_timeout(settings.request_timeout_seconds, 0);
  http.set_keep_alive_max_count(1000);
  // The listening socket, to widen its backlog once bound (HttpServer::Bind).
  http.set_socket_options([this](socket_t socket) {
    httplib::default_socket_options(socket);
    listen_socket = socket;
  });
  // Small answers (health, 304s) would otherwise wait for the peer's delayed ACK (~40 ms).
  http.set_tcp_nodelay(true);
  const auto threads = static_cast<size_t>(settings.http_threads);
  http.new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
}

HttpServer::HttpServer(std::shared_ptr<const engine::Engine> engine,
                       const std::filesystem::path& store, ServerSettings settings)
    : state_(std::make_unique<State>(std::move(engine), store, std::move(settings))) {
  CheckServerSettings(state_->settings);
  state_->AddHandlers();
  state_->AddRoutes();
}

HttpServer::~HttpServer() {
  Stop();
}

int HttpServer::Bind() {
  const auto& settings = state_->settings;
  const int port = settings.port == 0 ? state_->http.bind_to_any_port(settings.bind_address)
                   : state_->http.bind_to_port(settings.bind_address, settings.port) ? settings.port
                                                                                     : -1;
  if (port <= 0) {
    throw UserError(ErrorCode::kBadArgument,
                    fmt::format("cannot listen on {}:{}: the port is taken or the address is not "
                                "this machine's (choose another with --port or --bind)",
                                settings.bind_address, settings.port));
  }
  // cpp-httplib (Debian's shared library) listens with a backlog of 5 connections: a burst
  // of new connections (a load test's 100, browsers opening several each) overflowed it, and
  // the refused attempts were retried by the clients' kernels only after 1, 3 and 7 s (seen
  // as multi-second tails and timeouts in bench/load_bench.sh). Listening again on the bound
  // socket widens the backlog (Linux caps it at net.core.somaxconn).
  if (state_->listen_socket >= 0) ::listen(state_->listen_socket, kListenBacklog);
  return port;
}

void HttpServer::Serve() {
  state_->refresher = std::jthread([this] { state_->Refresh(); });
  state_->http.listen_after_bind();
}

void HttpServer::Stop() {
  if (!state_) return;
  state_->stopping = true;
  state_->refresh_wake.notify_all();
  state_->http.stop();
  if (state_->refresher.joinable()) state_->refresher.join();
}

}  // namespace jobindsigt::server
