// The HTTP API as a client meets it: answers equal the engine's, ETag and 304, every kind of
// bad request answered with problem+json and the right status, limits, health and metrics,
// and a newly published release picked up without a restart.
#include <gtest/gtest.h>
#include <httplib.h>

#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>

#include "engine/engine.h"
#include "ingest_fixture.h"
#include "server/http_server.h"

namespace jobindsigt::test {
namespace {

using Json = nlohmann::json;

// A store of the tiny data set up to 2026-09, and a server on a free loopback port.
class ServerTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    folder_ = new fs::path(ScratchFolder("server"));
    auto options = Options(TinySources(), *folder_ / "store");
    options.until = MakeMonth(2026, 9);
    std::atomic<bool> stop{false};
    ASSERT_EQ(ingest::Ingest(options, stop).status, "published");
    engine_ = engine::Engine::Open(*folder_ / "store", JOBINDSIGT_TEST_CATALOG_DIR).release();
    server::ServerSettings settings;
    settings.port = 0;
    settings.rate_limit_per_minute = 0;
    settings.refresh_seconds = 1;
    settings.access_log = false;
    settings.max_body_bytes = 4096;
    StartServer(settings);
  }

  static void StartServer(const server::ServerSettings& settings) {
    server_ = new server::HttpServer(std::shared_ptr<const engine::Engine>(engine_, [](auto*) {}),
                                     *folder_ / "store", settings);
    port_ = server_->Bind();
    thread_ = new std::thread([] { server_->Serve(); });
    httplib::Client client("127.0.0.1", port_);
    for (int attempt = 0; attempt < 200; ++attempt) {
      if (auto result = client.Get("/readyz"); result && result->status == 200) return;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    FAIL() << "the server did not become ready";
  }

  static void TearDownTestSuite() {
    server_->Stop();
    thread_->join();
    delete thread_;
    delete server_;
    delete engine_;
    fs::remove_all(*folder_);
    delete folder_;
  }

  static httplib::Client Client() { return httplib::Client("127.0.0.1", port_); }

  static Json Problem(const httplib::Result& result, int status) {
    EXPECT_TRUE(result);
    if (!result) return {};
    EXPECT_EQ(result->status, status) << result->body;
    EXPECT_EQ(result->get_header_value("Content-Type"), "application/problem+json");
    const Json body = Json::parse(result->body);
    EXPECT_EQ(body["status"], status);
    EXPECT_FALSE(body["detail"].get<std::string>().empty());
    return body;
  }

  static inline fs::path* folder_ = nullptr;
  static inline engine::Engine* engine_ = nullptr;
  static inline server::HttpServer* server_ = nullptr;
  static inline std::thread* thread_ = nullptr;
  static inline int port_ = 0;
};

TEST_F(ServerTest, DataAnswerEqualsTheEngine) {
  auto client = Client();
  const auto result = client.Get(
      "/api/v1/data?statistic=persons,fte&benefits=sickness&period=2026M08,2026Q2"
      "&area=municipality&areaTotal=true&breakdown=age:16-29,30-49,50-&total=age");
  ASSERT_TRUE(result);
  ASSERT_EQ(result->status, 200) << result->body;
  const Json dataset = Json::parse(result->body);
  EXPECT_EQ(dataset["class"], "dataset");
  EXPECT_EQ(dataset["id"], Json({"statistic", "period", "area", "age"}));

  engine::Query query;
  query.measures = {{"persons", engine::Statistic::kPersons, {}},
                    {"fte", engine::Statistic::kFte, {}}};
  query.benefits = {"sickness"};
  query.periods = {"2026M08", "2026Q2"};
  query.areas.level = engine::AreaLevel::kMunicipality;
  query.areas.total = true;
  query.breakdowns = {
      {engine::BreakdownKind::kAge,
       {*engine::ParseBand("16-29"), *engine::ParseBand("30-49"), *engine::ParseBand("50-")},
       {},
       {},
       0,
       {},
       true}};
  const engine::Cube cube = engine_->Run(query);
  ASSERT_EQ(dataset["value"].size(), cube.CellCount());
  double total = 0;
  for (size_t cell = 0; cell < cube.CellCount(); ++cell) {
    EXPECT_DOUBLE_EQ(dataset["value"][cell].get<double>(), cube.values[cell]) << cell;
    total += cube.values[cell];
  }
  EXPECT_GT(total, 0);
}

TEST_F(ServerTest, EtagGivesNotModifiedAndPostEqualsGet) {
  auto client = Client();
  const std::string path = "/api/v1/data?measure=sdp_persons&period=latest:3&format=csv";
  const auto first = client.Get(path);
  ASSERT_TRUE(first);
  ASSERT_EQ(first->status, 200) << first->body;
  const std::string etag = first->get_header_value("ETag");
  ASSERT_FALSE(etag.empty());
  EXPECT_NE(first->get_header_value("Content-Disposition").find("attachment"), std::string::npos);
  const auto again = client.Get(path, {{"If-None-Match", etag}});
  ASSERT_TRUE(again);
  EXPECT_EQ(again->status, 304);
  EXPECT_TRUE(again->body.empty());

  const auto posted =
      client.Post("/api/v1/data?format=csv",
                  R"({"measures":["sdp_persons"],"periods":["2026M07","2026M08","2026M09"]})",
                  "application/json");
  ASSERT_TRUE(posted);
  ASSERT_EQ(posted->status, 200) << posted->body;
  EXPECT_EQ(posted->body, first->body);  // latest:3 = the three months before the cut-off
}

// Server-Timing says where an answer came from: the engine the first time (with its queue
// wait and engine time), the answer cache after that.
TEST_F(ServerTest, ServerTimingSaysEngineThenCache) {
  auto client = Client();
  const std::string path = "/api/v1/data?measure=kth_persons&period=latest:2&area=region";
  const auto first = client.Get(path);
  ASSERT_TRUE(first);
  ASSERT_EQ(first->status, 200) << first->body;
  const std::string computed = first->get_header_value("Server-Timing");
  EXPECT_TRUE(computed.starts_with("total;dur=")) << computed;
  EXPECT_NE(computed.find("answer;desc=engine"), std::string::npos) << computed;
  EXPECT_NE(computed.find("queue;dur="), std::string::npos) << computed;
  EXPECT_NE(computed.find("engine;dur="), std::string::npos) << computed;
  const auto second = client.Get(path);
  ASSERT_TRUE(second);
  ASSERT_EQ(second->status, 200);
  EXPECT_EQ(second->body, first->body);
  const std::string cached = second->get_header_value("Server-Timing");
  EXPECT_NE(cached.find("answer;desc=cache"), std::string::npos) << cached;
  EXPECT_EQ(cached.find("engine;dur="), std::string::npos) << cached;
}

// Browsers accept br, and Brotli at the library's quality costs tens of milliseconds per
// answer: the server answers them with gzip instead.
TEST_F(ServerTest, BrowsersGetGzipNotBrotli) {
  auto client = Client();
  client.set_decompress(false);
  const std::string path = "/api/v1/data?measure=sdp_persons&period=latest:3";
  const auto browser = client.Get(path, {{"Accept-Encoding", "gzip, deflate, br, zstd"}});
  ASSERT_TRUE(browser);
  ASSERT_EQ(browser->status, 200);
  EXPECT_EQ(browser->get_header_value("Content-Encoding"), "gzip");
  const auto brotli_only = client.Get(path, {{"Accept-Encoding", "br;q=1.0"}});
  ASSERT_TRUE(brotli_only);
  ASSERT_EQ(brotli_only->status, 200);
  EXPECT_EQ(brotli_only->get_header_value("Content-Encoding"), "");
  EXPECT_EQ(brotli_only->body.front(), '{');  // plain JSON
}

TEST_F(ServerTest, BadRequestsGetProblemDetailsNamingTheParameter) {
  auto client = Client();
  Json body = Problem(client.Get("/api/v1/data?measure=nope&period=2026M01"), 422);
  EXPECT_EQ(body["reason"], "unknown_measure");
  EXPECT_EQ(body["parameter"], "measures[0]");
  body = Problem(client.Get("/api/v1/data?measure=sdp_persons&period=2031M01"), 422);
  EXPECT_EQ(body["reason"], "period_outside_release");
  body = Problem(client.Get("/api/v1/data?measure=sdp_persons&period=2026M01&colour=red"), 400);
  EXPECT_EQ(body["reason"], "unknown_parameter");
  EXPECT_EQ(body["parameter"], "colour");
  body = Problem(client.Get("/api/v1/data?measure=sdp_persons&period=2026M01&format=pdf"), 400);
  EXPECT_EQ(body["reason"], "unknown_format");
  body = Problem(client.Get("/api/v1/data?measure=sdp_persons&period=2026M01&release=r999"), 404);
  EXPECT_EQ(body["reason"], "unknown_release");
  body = Problem(
      client.Get("/api/v1/data?measure=sdp_persons&period=2026M01&breakdown=age:30-40,35-"), 422);
  EXPECT_EQ(body["reason"], "overlapping_bands");
  body = Problem(client.Post("/api/v1/data", "{not json", "application/json"), 400);
  EXPECT_EQ(body["reason"], "malformed_request");
  body = Problem(client.Post("/api/v1/data", R"({"statistics":["persons"]})", "text/plain"), 415);
  EXPECT_EQ(body["reason"], "unsupported_media_type");
  body = Problem(client.Post("/api/v1/data", std::string(10000, ' '), "application/json"), 413);
  EXPECT_EQ(body["reason"], "body_too_large");
  body = Problem(client.Get("/api/v1/nothing/here"), 404);
  EXPECT_EQ(body["reason"], "not_found");
  body = Problem(client.Get("/../../etc/passwd"), 404);
  EXPECT_EQ(body["detail"].get<std::string>().find("root"), std::string::npos);
  body = Problem(client.Get("/api/v1/measures/nope"), 404);
  EXPECT_EQ(body["reason"], "unknown_measure");
}

// Each kind of bad JSON query gets its stable reason and names the offending field.
TEST_F(ServerTest, EveryBadQueryNamesItsReasonAndField) {
  struct Case {
    const char* body;
    int status;
    const char* reason;
    const char* field;
  };
  const Case cases[] = {
      {R"({"statistics":["people"],"benefits":"all","periods":["2026M01"]})", 422,
       "unknown_statistic", "statistics[0]"},
      {R"({"statistics":["persons"],"benefits":["XX"],"periods":["2026M01"]})", 422,
       "unknown_benefit", "benefits[0]"},
      {R"({"statistics":["persons"],"benefits":"all","periods":["2026M13"]})", 422, "bad_period",
       "periods[0]"},
      {R"({"statistics":["persons"],"benefits":"all","periods":["2026M01"],"colour":1})", 400,
       "unknown_field", "colour"},
      {R"({"statistics":"persons","benefits":"all","periods":"2026M01","areas":[]})", 400,
       "wrong_type", "areas"},
      {R"({"statistics":["persons"],"benefits":"all"})", 400, "missing_field", "periods"},
      {R"({"statistics":["persons"],"benefits":"all","periods":["2026M01"],
           "areas":{"level":"parish"}})",
       422, "unknown_area_level", "areas.level"},
      {R"({"statistics":["persons"],"benefits":"all","periods":["2026M01"],
           "areas":{"level":"region","values":["99"]}})",
       422, "unknown_area", "areas.values[0]"},
      {R"({"statistics":["persons"],"benefits":"all","periods":["2026M01"],
           "breakdowns":[{"by":"colour"}]})",
       422, "unknown_breakdown", "breakdowns[0].by"},
      {R"({"statistics":["persons"],"benefits":"all","periods":["2026M01"],
           "breakdowns":[{"by":"age","bands":["30-20"]}]})",
       422, "bad_band", "breakdowns[0].bands[0]"},
      {R"({"statistics":["persons"],"benefits":"all","periods":["2026M01"],
           "breakdowns":[{"by":"duration","bands":["0-51","1300-"]}]})",
       422, "bad_band", "breakdowns[0].bands[1]"},
      {R"({"statistics":["persons"],"benefits":"all","periods":["2026M01"],
           "breakdowns":[{"by":"sex","values":["X"]}]})",
       422, "unknown_code", "breakdowns[0].values[0]"},
      {R"({"statistics":["persons"],"benefits":"all","periods":["2026M01"],
           "areas":{"groups":{"_T":["151"]}}})",
       422, "bad_group", "areas.groups[0]"},
      {R"({"statistics":["survival"],"benefits":"all","periods":["2026M01"]})", 422,
       "missing_breakdown", "breakdowns"},
      {R"({"statistics":["persons"],"benefits":"all","periods":["2026M01"],
           "breakdowns":[{"by":"status_after","months":0}]})",
       422, "bad_option", "breakdowns[0].months"},
      {R"({"statistics":["persons","fte"],"benefits":"all","periods":["2025W01","2025W02",
           "2025W03","2025W04"],"areas":{"level":"municipality","total":true},
           "breakdowns":[{"by":"age","bands":["0-9","10-19","20-29","30-39","40-49","50-"]},
           {"by":"duration","bands":["0-1","2-3","4-5","6-7","8-9","10-"]},
           {"by":"survival_week"}]})",
       422, "too_many_cells", ""},
  };
  auto client = Client();
  for (const Case& test : cases) {
    SCOPED_TRACE(test.body);
    const Json body =
        Problem(client.Post("/api/v1/data", test.body, "application/json"), test.status);
    EXPECT_EQ(body.value("reason", ""), test.reason);
    EXPECT_EQ(body.value("parameter", ""), test.field);
  }
}

TEST_F(ServerTest, CatalogueAndOperations) {
  auto client = Client();
  auto result = client.Get("/api/v1/measures/sdp_persons");
  ASSERT_TRUE(result);
  ASSERT_EQ(result->status, 200);
  const Json measure = Json::parse(result->body);
  EXPECT_EQ(measure["statistic"], "persons");
  EXPECT_FALSE(measure["technical"]["da"].get<std::string>().empty());
  EXPECT_FALSE(measure["releases"].empty());
  result = client.Get("/api/v1/menu");
  ASSERT_TRUE(result);
  EXPECT_FALSE(Json::parse(result->body)["groups"].empty());
  result = client.Get("/api/v1/openapi.json");
  ASSERT_TRUE(result);
  EXPECT_EQ(Json::parse(result->body)["openapi"], "3.0.3");
  result = client.Get("/healthz");
  ASSERT_TRUE(result);
  EXPECT_EQ(result->status, 200);
  // A data request of this test's own, so that /metrics has one to count whatever ran before.
  result = client.Get("/api/v1/data?measure=sdp_persons&period=latest:1");
  ASSERT_TRUE(result);
  result = client.Get("/metrics");
  ASSERT_TRUE(result);
  EXPECT_NE(result->body.find("jobindsigt_http_requests_total{route=\"data\""), std::string::npos);
  result = client.Get("/api/v1/releases/latest");
  ASSERT_TRUE(result);
  const Json release = Json::parse(result->body);
  EXPECT_EQ(release["cut_off_day"], "2026-09-30");
  EXPECT_FALSE(release["notes_by_measure"].empty());

  // The catalogue's answers are kept per release and request target: each filter gets its own
  // answer, the same every time, and an unknown code list is still a 404 when asked again.
  std::map<std::string, std::string> bodies;
  for (int round = 0; round < 2; ++round) {
    for (const char* target :
         {"/api/v1/measures?subject=insured", "/api/v1/measures?subject=sickness", "/api/v1/areas",
          "/api/v1/codes/sex"}) {
      result = client.Get(target);
      ASSERT_TRUE(result);
      ASSERT_EQ(result->status, 200) << target << ": " << result->body;
      if (round == 0) {
        bodies[target] = result->body;
      } else {
        EXPECT_EQ(result->body, bodies[target]) << target;
      }
    }
    result = client.Get("/api/v1/codes/no_such_list");
    ASSERT_TRUE(result);
    EXPECT_EQ(result->status, 404);
  }
  EXPECT_NE(bodies["/api/v1/measures?subject=insured"],
            bodies["/api/v1/measures?subject=sickness"]);
}

// Runs last in this suite (gtest keeps declaration order): it publishes a new release.
TEST_F(ServerTest, NewReleaseIsServedWithoutRestart) {
  std::atomic<bool> stop{false};
  ASSERT_EQ(ingest::Ingest(Options(TinySources(), *folder_ / "store"), stop).status, "published");
  auto client = Client();
  std::string cut_off;
  for (int attempt = 0; attempt < 100 && cut_off != "2026-10-31"; ++attempt) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    const auto result = client.Get("/api/v1/data?measure=sdp_persons&period=latest:1");
    ASSERT_TRUE(result);
    ASSERT_EQ(result->status, 200) << result->body;
    cut_off = Json::parse(result->body)["extension"]["cut_off_day"];
  }
  EXPECT_EQ(cut_off, "2026-10-31");
}

}  // namespace
}  // namespace jobindsigt::test
