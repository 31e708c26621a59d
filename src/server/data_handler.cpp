#include "server/data_handler.h"

#include <fmt/format.h>
#include <xxhash.h>

#include <chrono>

#include "engine/query_error.h"
#include "export/cube_formats.h"
#include "export/export_writers.h"
#include "server/data_request.h"
#include "server/problem.h"
#include "server/query_request.h"

namespace jobindsigt::server {
namespace {

struct Rendered {
  std::string body;
  std::string content_type;
  std::string extension;
};

struct UnitText {
  const char* da;
  const char* en;
};

UnitText UnitLabels(const std::string& unit) {
  if (unit == "persons") return {"personer", "persons"};
  if (unit == "fte") return {"fuldtidspersoner", "full-time persons"};
  if (unit == "spells") return {"forløb", "spells"};
  if (unit == "weeks") return {"uger", "weeks"};
  if (unit == "percent") return {"pct.", "per cent"};
  if (unit == "dkk") return {"kr.", "DKK"};
  if (unit == "meetings") return {"samtaler", "meetings"};
  return {"", ""};
}

// A statistic asked for without a catalogue measure: its unit and decimals by kind.
exporting::MeasureInfo StatisticInfo(const std::string& id) {
  const auto statistic = engine::ParseStatistic(id);
  std::string unit = "persons";
  int decimals = 0;
  if (statistic) {
    switch (*statistic) {
      case engine::Statistic::kFte:
      case engine::Statistic::kActivatedFte:
        unit = "fte";
        decimals = 1;
        break;
      case engine::Statistic::kSpellsStarted:
      case engine::Statistic::kSpellsEnded:
      case engine::Statistic::kStatusAfter:
        unit = "spells";
        break;
      case engine::Statistic::kDurationEnded:
        unit = "weeks";
        decimals = 1;
        break;
      case engine::Statistic::kMeetingsDue:
      case engine::Statistic::kMeetingsTimely:
      case engine::Statistic::kMeetingsHeld:
      case engine::Statistic::kNoShows:
        unit = "meetings";
        break;
      case engine::Statistic::kExpenditureGross:
      case engine::Statistic::kExpenditureNet:
        unit = "dkk";
        break;
      default:
        if (engine::IsRatio(*statistic)) {
          unit = "percent";
          decimals = 1;
        }
        break;
    }
  }
  exporting::MeasureInfo info;
  info.id = id;
  info.unit = unit;
  info.decimals = decimals;
  return info;
}

exporting::ExportContext ContextFor(const engine::Cube& cube, const MeasureCatalog& catalog,
                                    exporting::Language language, exporting::LabelMode labels) {
  exporting::ExportContext context;
  context.language = language;
  context.labels = labels;
  context.source = "Jobindsigt — beregnet på personniveau fra de månedlige leverancer";
  context.contact = "Jobindsigt";
  context.generated_unix = std::chrono::duration_cast<std::chrono::seconds>(
                               std::chrono::system_clock::now().time_since_epoch())
                               .count();
  for (const auto& category : cube.dimensions.front().categories) {
    exporting::MeasureInfo info = StatisticInfo(category.id);
    if (const MeasureDefinition* measure = catalog.Find(category.id)) {
      info.unit = measure->unit;
      info.decimals = measure->decimals;
      info.doc_da = measure->doc_da;
      info.doc_en = measure->doc_en;
      info.technical_da = measure->technical_da;
      info.technical_en = measure->technical_en;
    }
    const UnitText unit = UnitLabels(info.unit);
    info.unit_da = unit.da;
    info.unit_en = unit.en;
    context.measures.push_back(std::move(info));
  }
  return context;
}

Rendered Render(const engine::Cube& cube, DataFormat format,
                const exporting::ExportContext& context) {
  const exporting::Language language = context.language;
  switch (format) {
    case DataFormat::kCsv:
      return {exporting::CubeToCsv(cube, exporting::CsvDialect::kInternational, language),
              "text/csv; charset=utf-8", "csv"};
    case DataFormat::kCsvDanish:
      return {exporting::CubeToCsv(cube, exporting::CsvDialect::kDanish, language),
              "text/csv; charset=utf-8", "csv"};
    case DataFormat::kXlsx:
      return {exporting::CubeToXlsx(cube, context),
              "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"};
    case DataFormat::kPx:
      return {exporting::CubeToPx(cube, context), "text/x-pcaxis; charset=utf-8", "px"};
    case DataFormat::kSdmxCsv:
      return {exporting::CubeToSdmxCsv(cube, context),
              "application/vnd.sdmx.data+csv; version=2.0.0", "csv"};
    case DataFormat::kJson:
      return {exporting::CubeToJsonRows(cube, context), "application/json", "json"};
    case DataFormat::kJsonStat:
      break;
  }
  return {exporting::CubeToJsonStat(cube, context), "application/json", "json"};
}

std::string HexHash(const std::string& text) {
  return fmt::format("{:016x}", XXH3_64bits(text.data(), text.size()));
}

// What makes two requests the same answer: the release, the request and how it is rendered.
std::string RequestKey(const httplib::Request& request, const std::string& release_id,
                       DataFormat format, exporting::Language language,
                       exporting::LabelMode labels) {
  std::string key =
      fmt::format("{}\n{}\n{}\n{}\n{}\n", release_id, request.method, static_cast<int>(format),
                  static_cast<int>(language), static_cast<int>(labels));
  if (request.method == "POST") return key.append(request.body);
  for (const auto& [name, value] : request.params)
    key.append(name).append("=").append(value).append("&");
  return key;
}

class Timer {
 public:
  double Seconds() const {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  }

 private:
  std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
};

}  // namespace

std::optional<DataFormat> ChooseFormat(const std::string& parameter, const std::string& accept) {
  if (!parameter.empty()) {
    if (parameter == "jsonstat") return DataFormat::kJsonStat;
    if (parameter == "json") return DataFormat::kJson;
    if (parameter == "csv") return DataFormat::kCsv;
    if (parameter == "csv-dk") return DataFormat::kCsvDanish;
    if (parameter == "xlsx") return DataFormat::kXlsx;
    if (parameter == "px") return DataFormat::kPx;
    if (parameter == "sdmx-csv") return DataFormat::kSdmxCsv;
    return std::nullopt;
  }
  if (accept.find("spreadsheetml") != std::string::npos) return DataFormat::kXlsx;
  if (accept.find("application/vnd.sdmx.data+csv") != std::string::npos)
    return DataFormat::kSdmxCsv;
  if (accept.find("text/x-pcaxis") != std::string::npos) return DataFormat::kPx;
  if (accept.find("text/csv") != std::string::npos) return DataFormat::kCsv;
  return DataFormat::kJsonStat;
}

void DataHandler::Handle(const httplib::Request& request, httplib::Response& response) {
  const Timer timer;
  int status = 200;
  auto problem = [&](const Problem& p) {
    status = p.status;
    response.status = p.status;
    response.headers.erase("ETag");
    response.headers.erase("Cache-Control");
    response.set_content(ProblemJson(p, request.path), "application/problem+json");
    response.set_header("Cache-Control", "no-store");
  };
  // Where the answer came from and how long it waited for and used the engine, for the
  // Server-Timing header (W3C Server Timing: browsers' developer tools show it; the access
  // log prints it).
  const char* answered_from = nullptr;  // "cache", "shared" (a query in flight), "engine"
  double queue_ms = -1;
  double engine_ms = -1;
  auto finish = [&] {
    const double seconds = timer.Seconds();
    context_.metrics.CountRequest("data", status, seconds);
    std::string timing = fmt::format("total;dur={:.1f}", seconds * 1000);
    if (answered_from != nullptr) timing += fmt::format(", answer;desc={}", answered_from);
    if (queue_ms >= 0) timing += fmt::format(", queue;dur={:.1f}", queue_ms);
    if (engine_ms >= 0) timing += fmt::format(", engine;dur={:.1f}", engine_ms);
    response.set_header("Server-Timing", timing);
  };

  int retry_after = 0;
  if (!context_.limiter.Allow(request.remote_addr, retry_after)) {
    context_.metrics.CountRejected("rate");
    response.set_header("Retry-After", std::to_string(retry_after));
    problem(
        {429, "rate_limited", "",
         fmt::format("more than {} requests a minute from {}; try again in {} s",
                     context_.settings.rate_limit_per_minute, request.remote_addr, retry_after)});
    return finish();
  }
  if (!context_.ready) {
    response.set_header("Retry-After", "5");
    problem({503, "not_ready", "", "the server is loading the current release"});
    return finish();
  }
  const auto format =
      ChooseFormat(request.get_param_value(kFormatParameter), request.get_header_value("Accept"));
  if (!format) {
    problem({400, "unknown_format", kFormatParameter,
             fmt::format("'{}' is not a format: allowed are jsonstat, json, csv, csv-dk, xlsx, px, "
                         "sdmx-csv",
                         request.get_param_value(kFormatParameter))});
    return finish();
  }
  const std::string language_text = request.get_param_value(kLanguageParameter);
  if (!language_text.empty() && language_text != "da" && language_text != "en") {
    problem({400, "unknown_language", kLanguageParameter,
             fmt::format("'{}' is not a language: allowed are da and en", language_text)});
    return finish();
  }
  const auto language =
      language_text == "en" ? exporting::Language::kEnglish : exporting::Language::kDanish;
  const std::string labels_text = request.get_param_value(kLabelsParameter);
  if (!labels_text.empty() && labels_text != "codes" && labels_text != "labels" &&
      labels_text != "both") {
    problem({400, "unknown_labels", kLabelsParameter,
             fmt::format("'{}' is not a label choice: allowed are codes, labels and both",
                         labels_text)});
    return finish();
  }
  const auto labels = labels_text == "codes"    ? exporting::LabelMode::kCodes
                      : labels_text == "labels" ? exporting::LabelMode::kLabels
                                                : exporting::LabelMode::kBoth;
  if (request.method == "POST" &&
      request.get_header_value("Content-Type").find("application/json") == std::string::npos) {
    status = 415;
    problem({415, "unsupported_media_type", "Content-Type",
             fmt::format("the body must be a JSON query (Content-Type: application/json); got "
                         "'{}'",
                         request.get_header_value("Content-Type"))});
    return finish();
  }
  try {
    engine::Query query;
    std::string release_id;
    if (request.method == "POST") {
      query = ParseQueryRequest(request.body);
      release_id = context_.engine.Release(query.release).id;
    } else {
      QueryParameters parameters(request.params.begin(), request.params.end());
      const std::string release =
          request.has_param("release") ? request.get_param_value("release") : "latest";
      const engine::ReleaseInfo info = context_.engine.Release(release);
      release_id = info.id;
      query = QueryFromParameters(parameters, info.last_month);
    }
    query.release = release_id;  // answer from the release just resolved, even if a new one lands
    const std::string key = RequestKey(request, release_id, *format, language, labels);
    // Weak: the same data, though a file may carry another time of writing.
    const std::string etag = fmt::format("W/\"{}\"", HexHash(key));
    response.set_header("ETag", etag);
    response.set_header("Cache-Control", "public, max-age=300");
    if (request.get_header_value("If-None-Match") == etag) {
      status = response.status = 304;
      return finish();
    }
    auto send = [&](const ResponseCache::Entry& entry) {
      if (!entry.disposition.empty()) response.set_header("Content-Disposition", entry.disposition);
      response.set_content(entry.body, entry.content_type);
    };
    if (auto cached = context_.cache.Find(key)) {
      answered_from = "cache";
      context_.metrics.CountCache(true);
      send(*cached);
      return finish();
    }
    context_.metrics.CountCache(false);
    AnswersInFlight::Claim claim = context_.in_flight.Join(key);
    if (!claim.leader()) {
      if (auto shared = claim.Wait()) {
        answered_from = "shared";
        send(*shared);
        return finish();
      }
    }
    const Timer queued;
    const bool slot = context_.slots.Acquire();
    queue_ms = queued.Seconds() * 1000;
    if (!slot) {
      context_.metrics.CountRejected("queue");
      response.set_header("Retry-After", "1");
      problem({503, "busy", "", "too many queries are waiting; try again in a moment"});
      return finish();
    }
    engine::Cube cube;
    const Timer running;
    try {
      cube = context_.engine.Run(query);
    } catch (...) {
      context_.slots.Release();
      throw;
    }
    context_.slots.Release();
    engine_ms = running.Seconds() * 1000;
    answered_from = "engine";
    Rendered rendered =
        Render(cube, *format, ContextFor(cube, context_.engine.measures(), language, labels));
    ResponseCache::Entry entry{std::move(rendered.body), rendered.content_type, etag, ""};
    if (*format != DataFormat::kJsonStat && *format != DataFormat::kJson) {
      entry.disposition =
          fmt::format("attachment; filename=\"jobindsigt-{}.{}\"", release_id, rendered.extension);
    }
    context_.cache.Store(key, entry);
    claim.Publish(entry);
    send(entry);
  } catch (const engine::QueryError& error) {
    problem({StatusForReason(error.reason()), error.reason(), error.field(), error.what()});
  }
  finish();
}

}  // namespace jobindsigt::server
