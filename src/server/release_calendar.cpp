#include "server/release_calendar.h"

#include <fmt/format.h>
#include <toml++/toml.h>

#include <algorithm>
#include <map>
#include <optional>
#include <string>

#include "common/error.h"

namespace jobindsigt::server {
namespace {

[[noreturn]] void Fail(const std::filesystem::path& path, const std::string& what) {
  throw UserError(ErrorCode::kBadCatalog, fmt::format("{}: {}", path.string(), what));
}

[[noreturn]] void FailField(const std::filesystem::path& path, int64_t line, std::string_view field,
                            const std::string& problem) {
  Fail(path, fmt::format("line {}: [[release]] field '{}' {}", line, field, problem));
}

// "YYYY-MM-DD" as a string or a TOML local date; nullopt for anything else.
std::optional<DayNumber> DayOf(const toml::node& node) {
  if (const auto* date = node.as_date()) {
    const toml::date value = date->get();
    return DaysFromCivil(value.year, value.month, value.day);
  }
  if (const auto* text = node.as_string()) return ParseIsoDate(text->get());
  return std::nullopt;
}

}  // namespace

std::vector<PlannedRelease> LoadReleaseCalendar(const std::filesystem::path& path) {
  std::error_code error;
  if (path.empty() || !std::filesystem::exists(path, error)) return {};
  toml::table root;
  try {
    root = toml::parse_file(path.string());
  } catch (const toml::parse_error& parse_error) {
    Fail(path,
         fmt::format("line {}: {}", parse_error.source().begin.line, parse_error.description()));
  }
  for (const auto& [key, node] : root) {
    if (key.str() != "release")
      Fail(path, fmt::format("line {}: '{}' is not known; the file holds [[release]] entries",
                             node.source().begin.line, key.str()));
  }
  std::vector<PlannedRelease> calendar;
  const toml::node* releases = root.get("release");
  if (releases == nullptr) return calendar;
  const toml::array* list = releases->as_array();
  if (list == nullptr) Fail(path, "'release' must be written as [[release]] tables");
  std::map<MonthIndex, int64_t> lines;  // month → line of its entry
  for (const toml::node& node : *list) {
    const int64_t line = node.source().begin.line;
    const toml::table* entry = node.as_table();
    if (entry == nullptr) Fail(path, fmt::format("line {}: 'release' must be a table", line));
    for (const auto& [key, value] : *entry) {
      if (key.str() != "covers" && key.str() != "planned")
        FailField(path, line, key.str(), "is not known; known: covers, planned");
    }
    const toml::node* covers_node = entry->get("covers");
    if (covers_node == nullptr)
      FailField(path, line, "covers", "is missing (the delivery month, \"YYYY-MM\")");
    const auto* covers_text = covers_node->as_string();
    const auto covers = covers_text ? ParseYearMonth(covers_text->get()) : std::nullopt;
    if (!covers) FailField(path, line, "covers", "must be a month \"YYYY-MM\", e.g. \"2026-10\"");
    const toml::node* planned_node = entry->get("planned");
    if (planned_node == nullptr)
      FailField(path, line, "planned", "is missing (the publication day, \"YYYY-MM-DD\")");
    const auto planned = DayOf(*planned_node);
    if (!planned)
      FailField(path, line, "planned", "must be a day \"YYYY-MM-DD\", e.g. \"2026-11-19\"");
    if (*planned <= LastDayOfMonth(*covers))
      FailField(path, line, "planned",
                fmt::format("is {}, not after the month {} it covers has ended",
                            FormatIsoDate(*planned), FormatYearMonth(*covers)));
    if (const auto [at, fresh] = lines.emplace(*covers, line); !fresh)
      FailField(path, line, "covers",
                fmt::format("{} is listed twice (also at line {})", FormatYearMonth(*covers),
                            at->second));
    calendar.push_back({*covers, *planned});
  }
  std::sort(calendar.begin(), calendar.end(),
            [](const auto& a, const auto& b) { return a.covers < b.covers; });
  return calendar;
}

nlohmann::ordered_json CalendarJson(const std::vector<PlannedRelease>& calendar,
                                    const store::Store& store) {
  // Release ids are sequential (r000001, r000002, …): the first listed is the first created.
  std::map<MonthIndex, store::ReleaseInfo> published;
  for (const auto& info : store.ListReleases()) {
    if (!info.problem.empty()) continue;
    published.try_emplace(MonthOfDay(info.cut_off_day), info);
  }
  nlohmann::ordered_json list = nlohmann::ordered_json::array();
  for (const auto& entry : calendar) {
    nlohmann::ordered_json item = {{"covers", FormatYearMonth(entry.covers)},
                                   {"planned", FormatIsoDate(entry.planned)},
                                   {"release", nullptr},
                                   {"published", nullptr}};
    if (const auto found = published.find(entry.covers); found != published.end()) {
      item["release"] = found->second.id;
      item["published"] = found->second.created_utc.substr(0, 10);
    }
    list.push_back(item);
  }
  return list;
}

}  // namespace jobindsigt::server
