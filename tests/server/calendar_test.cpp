// The release calendar: catalog/release_calendar.toml read with clear errors, and
// GET /api/v1/calendar setting the planned days beside the releases actually published.
#include <gtest/gtest.h>
#include <httplib.h>

#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>
#include <thread>

#include "common/error.h"
#include "engine/engine.h"
#include "ingest_fixture.h"
#include "server/http_server.h"
#include "server/release_calendar.h"

namespace jobindsigt::test {
namespace {

using Json = nlohmann::json;

TEST(ReleaseCalendarTest, TheCatalogueCalendarLoadsSortedWithEveryDayAfterItsMonth) {
  const auto calendar =
      server::LoadReleaseCalendar(fs::path(JOBINDSIGT_TEST_CATALOG_DIR) / "release_calendar.toml");
  ASSERT_FALSE(calendar.empty());
  for (size_t i = 0; i < calendar.size(); ++i) {
    EXPECT_GT(calendar[i].planned, LastDayOfMonth(calendar[i].covers));
    if (i > 0) {
      EXPECT_EQ(calendar[i].covers, calendar[i - 1].covers + 1) << "a month is missing";
    }
  }
  // The rule of the file: the third Thursday of the following month.
  const auto october = std::find_if(calendar.begin(), calendar.end(), [](const auto& entry) {
    return entry.covers == MakeMonth(2026, 10);
  });
  ASSERT_NE(october, calendar.end());
  EXPECT_EQ(FormatIsoDate(october->planned), "2026-11-19");
}

TEST(ReleaseCalendarTest, AMissingFileIsAnEmptyCalendar) {
  EXPECT_TRUE(server::LoadReleaseCalendar("/nonexistent/release_calendar.toml").empty());
  EXPECT_TRUE(server::LoadReleaseCalendar("").empty());
}

TEST(ReleaseCalendarTest, AMalformedFileIsRefusedNamingFileLineAndField) {
  const fs::path folder = ScratchFolder("calendar_bad");
  const fs::path file = folder / "release_calendar.toml";
  struct Case {
    std::string text;
    std::string expected;  // part of the message besides the file name
  };
  const std::vector<Case> cases = {
      {"[[release]]\ncovers = \"2026-10\"\nplanned = \"2026-11-31\"\n",
       "line 1: [[release]] field 'planned' must be a day"},
      {"[[release]]\ncovers = \"2026-13\"\nplanned = \"2026-11-19\"\n",
       "field 'covers' must be a month"},
      {"[[release]]\nplanned = \"2026-11-19\"\n", "field 'covers' is missing"},
      {"[[release]]\ncovers = \"2026-10\"\n", "field 'planned' is missing"},
      {"[[release]]\ncovers = \"2026-10\"\nplanned = \"2026-10-15\"\n",
       "field 'planned' is 2026-10-15, not after the month 2026-10"},
      {"[[release]]\ncovers = \"2026-10\"\nplanned = 2026-11-19\n\n"
       "[[release]]\ncovers = \"2026-10\"\nplanned = \"2026-11-20\"\n",
       "line 5: [[release]] field 'covers' 2026-10 is listed twice (also at line 1)"},
      {"[[release]]\ncovers = \"2026-10\"\nplaned = \"2026-11-19\"\n",
       "field 'planed' is not known"},
      {"release = \"2026-10\"\n", "'release' must be written as [[release]] tables"},
      {"[[relase]]\ncovers = \"2026-10\"\n", "'relase' is not known"},
      {"[[release]\ncovers = \"2026-10\"\n", "line 1:"},
  };
  for (const auto& test : cases) {
    WriteFile(file, test.text);
    try {
      server::LoadReleaseCalendar(file);
      ADD_FAILURE() << "accepted:\n" << test.text;
    } catch (const UserError& error) {
      const std::string message = error.what();
      EXPECT_EQ(error.code(), ErrorCode::kBadCatalog);
      EXPECT_NE(message.find(file.string()), std::string::npos) << message;
      EXPECT_NE(message.find(test.expected), std::string::npos) << message;
    }
  }
  // Both spellings of a day work: a string and a TOML date.
  WriteFile(file,
            "[[release]]\ncovers = \"2026-11\"\nplanned = 2026-12-17\n\n"
            "[[release]]\ncovers = \"2026-10\"\nplanned = \"2026-11-19\"\n");
  const auto calendar = server::LoadReleaseCalendar(file);
  ASSERT_EQ(calendar.size(), 2u);
  EXPECT_EQ(calendar[0].covers, MakeMonth(2026, 10));  // sorted by month
  EXPECT_EQ(FormatIsoDate(calendar[1].planned), "2026-12-17");
  fs::remove_all(folder);
}

// A store of the tiny data set up to 2026-09 (one release, cut-off 2026-09-30) and a server
// with a calendar for 2026-08 to 2026-10.
class CalendarServerTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    folder_ = new fs::path(ScratchFolder("calendar_server"));
    auto options = Options(TinySources(), *folder_ / "store");
    options.until = MakeMonth(2026, 9);
    std::atomic<bool> stop{false};
    ASSERT_EQ(ingest::Ingest(options, stop).status, "published");
    engine_ = engine::Engine::Open(*folder_ / "store", JOBINDSIGT_TEST_CATALOG_DIR).release();
    WriteFile(*folder_ / "release_calendar.toml",
              "[[release]]\ncovers = \"2026-10\"\nplanned = \"2026-11-19\"\n\n"
              "[[release]]\ncovers = \"2026-08\"\nplanned = \"2026-09-17\"\n\n"
              "[[release]]\ncovers = \"2026-09\"\nplanned = \"2026-10-15\"\n");
    server::ServerSettings settings = Settings();
    settings.release_calendar = *folder_ / "release_calendar.toml";
    server_ = new server::HttpServer(Shared(), *folder_ / "store", settings);
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

  static server::ServerSettings Settings() {
    server::ServerSettings settings;
    settings.port = 0;
    settings.rate_limit_per_minute = 0;
    settings.access_log = false;
    return settings;
  }

  static std::shared_ptr<const engine::Engine> Shared() {
    return std::shared_ptr<const engine::Engine>(engine_, [](auto*) {});
  }

  static Json Get(const std::string& path) {
    httplib::Client client("127.0.0.1", port_);
    const auto result = client.Get(path);
    EXPECT_TRUE(result);
    if (!result) return {};
    EXPECT_EQ(result->status, 200) << result->body;
    EXPECT_EQ(result->get_header_value("Content-Type"), "application/json");
    return Json::parse(result->body);
  }

  static inline fs::path* folder_ = nullptr;
  static inline engine::Engine* engine_ = nullptr;
  static inline server::HttpServer* server_ = nullptr;
  static inline std::thread* thread_ = nullptr;
  static inline int port_ = 0;
};

TEST_F(CalendarServerTest, PlannedDaysStandBesideTheReleasesPublished) {
  const Json calendar = Get("/api/v1/calendar");
  ASSERT_TRUE(calendar.is_array());
  ASSERT_EQ(calendar.size(), 3u);
  const Json releases = Get("/api/v1/releases");
  ASSERT_EQ(releases.size(), 1u);
  const std::string id = releases[0]["id"];
  const std::string created = releases[0]["created_utc"];

  EXPECT_EQ(calendar[0], (Json{{"covers", "2026-08"},
                               {"planned", "2026-09-17"},
                               {"release", nullptr},
                               {"published", nullptr}}));
  // The release with cut-off day 2026-09-30 belongs to the month 2026-09.
  EXPECT_EQ(calendar[1], (Json{{"covers", "2026-09"},
                               {"planned", "2026-10-15"},
                               {"release", id},
                               {"published", created.substr(0, 10)}}));
  EXPECT_EQ(calendar[2]["covers"], "2026-10");
  EXPECT_TRUE(calendar[2]["release"].is_null());
  EXPECT_TRUE(calendar[2]["published"].is_null());
}

TEST_F(CalendarServerTest, WithoutACalendarFileTheListIsEmpty) {
  server::ServerSettings settings = Settings();
  settings.release_calendar = *folder_ / "no_such_calendar.toml";
  server::HttpServer other(Shared(), *folder_ / "store", settings);
  const int port = other.Bind();
  std::thread serving([&] { other.Serve(); });
  httplib::Client client("127.0.0.1", port);
  int status = 0;
  std::string body;
  for (int attempt = 0; attempt < 200 && status == 0; ++attempt) {
    if (auto result = client.Get("/api/v1/calendar")) {
      status = result->status;
      body = result->body;
    } else {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
  }
  other.Stop();
  serving.join();
  EXPECT_EQ(status, 200) << body;
  EXPECT_EQ(Json::parse(body), Json::array());
}

TEST_F(CalendarServerTest, AMalformedCalendarStopsTheServerAtStartup) {
  const fs::path file = *folder_ / "bad_calendar.toml";
  WriteFile(file, "[[release]]\ncovers = \"2026-10\"\nplanned = \"soon\"\n");
  server::ServerSettings settings = Settings();
  settings.release_calendar = file;
  try {
    server::HttpServer other(Shared(), *folder_ / "store", settings);
    ADD_FAILURE() << "a malformed calendar was accepted";
  } catch (const UserError& error) {
    const std::string message = error.what();
    EXPECT_NE(message.find("bad_calendar.toml"), std::string::npos) << message;
    EXPECT_NE(message.find("field 'planned'"), std::string::npos) << message;
  }
}

TEST_F(CalendarServerTest, ReleaseNotesFlagMeasuresThatAreNew) {
  const Json release = Get("/api/v1/releases/latest");
  const Json& benefits = release["notes_by_benefit"];
  const auto benefit_is_new = [&](const std::string& code) {
    for (const auto& note : benefits)
      if (note["benefit"] == code) return note.value("new", false);
    return false;
  };
  const Json& measures = release["notes_by_measure"];
  ASSERT_FALSE(measures.empty());
  std::map<std::string, bool> is_new;
  for (const auto& note : measures) {
    ASSERT_TRUE(note.contains("new")) << note.dump();
    ASSERT_TRUE(note["new"].is_boolean()) << note.dump();
    is_new[note["measure"]] = note["new"];
  }
  // The first release: a single-benefit measure is new exactly when its benefit is.
  for (const std::string code : {"SDP", "KTH", "INT"}) {
    std::string id = code;
    std::transform(id.begin(), id.end(), id.begin(), ::tolower);
    id += "_persons";
    ASSERT_TRUE(is_new.contains(id)) << id;
    EXPECT_EQ(is_new[id], benefit_is_new(code)) << id;
  }
  // The measure documentation carries the flag per release too.
  const Json measure = Get("/api/v1/measures/sdp_persons");
  ASSERT_FALSE(measure["releases"].empty());
  EXPECT_EQ(measure["releases"][0]["new"], is_new["sdp_persons"]);
}

TEST_F(CalendarServerTest, NotesByMeasureAreTheIngestsNotesPerMeasure) {
  // The release's manifest holds the ingest's notes per measure (from every source each
  // measure reads); the server serves those, not a mapping of the notes per benefit.
  const auto release = store::Store::Open(*folder_ / "store").OpenRelease("latest");
  const Json& written = release.summary()["measure_notes"];
  ASSERT_FALSE(written.empty());
  std::map<std::string, Json> by_id;
  for (const auto& note : written) by_id[note["measure"]] = note;
  const Json served = Get("/api/v1/releases/latest")["notes_by_measure"];
  ASSERT_EQ(served.size(), written.size());
  for (const auto& note : served) {
    const Json& expected = by_id.at(note["measure"]);
    EXPECT_EQ(note["changed"], expected["changed"]) << note.dump();
    EXPECT_EQ(note["new"], expected["new"]) << note.dump();
    EXPECT_EQ(note.value("first_changed_period", ""), expected.value("first_changed_period", ""))
        << note.dump();
  }
  const Json measure = Get("/api/v1/measures/adp_meetings_due");
  ASSERT_FALSE(measure["releases"].empty());
  EXPECT_EQ(measure["releases"][0].value("first_changed_period", ""),
            by_id.at("adp_meetings_due").value("first_changed_period", ""));
}

}  // namespace
}  // namespace jobindsigt::test
