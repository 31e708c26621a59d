#include "server/api_catalogue.h"

#include <fmt/format.h>

#include <algorithm>

namespace jobindsigt::server {
namespace {

Json Names(const std::string& da, const std::string& en) {
  return {{"da", da}, {"en", en}};
}

Json Strings(const std::vector<std::string>& values) {
  Json list = Json::array();
  for (const auto& value : values) list.push_back(value);
  return list;
}

Json MeasureSummary(const MeasureDefinition& measure) {
  return {{"id", measure.id},
          {"name", Names(measure.name_da, measure.name_en)},
          {"group", measure.group},
          {"statistic", measure.statistic_id},
          {"benefits", Strings(measure.benefits)},
          {"unit", measure.unit},
          {"decimals", measure.decimals},
          {"default_breakdowns", Strings(measure.default_breakdown_ids)},
          {"allowed_breakdowns", Strings(measure.allowed_breakdown_ids)},
          {"frequency", measure.frequency}};
}

// The release notes list, per benefit, whether its data changed and the first period that
// changed; a measure changed when a benefit of its group did, from the earliest such period.
// A measure is new when every one of its benefit codes is new in the release (the release is
// the first with data for each of them).
Json MeasureChange(const MeasureDefinition& measure, const Json& notes) {
  bool changed = false;
  std::string first;
  size_t new_benefits = 0;
  for (const auto& note : notes) {
    if (!note.contains("benefit")) continue;
    const std::string benefit = note["benefit"].get<std::string>();
    if (std::find(measure.benefit_codes.begin(), measure.benefit_codes.end(), benefit) ==
        measure.benefit_codes.end())
      continue;
    if (note.value("new", false)) ++new_benefits;
    if (!note.value("changed", false)) continue;
    changed = true;
    const std::string period = note.value("first_changed_period", "");
    if (!period.empty() && (first.empty() || period < first)) first = period;
  }
  Json change = {{"measure", measure.id}, {"changed", changed}};
  if (!first.empty()) change["first_changed_period"] = first;
  change["new"] = !measure.benefit_codes.empty() && new_benefits == measure.benefit_codes.size();
  return change;
}

Json NotesOf(const store::Release& release) {
  const auto& summary = release.summary();
  if (summary.contains("release_notes")) return Json::parse(summary["release_notes"].dump());
  return Json::array();
}

// The ingest's own note for the measure (from every source the measure reads), when the
// release has them; for an older release, the note derived from its per-benefit notes.
Json MeasureNoteOf(const MeasureDefinition& measure, const store::Release& release,
                   const Json& benefit_notes) {
  const auto& summary = release.summary();
  if (summary.contains("measure_notes")) {
    for (const auto& note : summary["measure_notes"]) {
      if (note.value("measure", "") != measure.id) continue;
      Json change = {{"measure", measure.id}, {"changed", note.value("changed", false)}};
      if (note.contains("first_changed_period"))
        change["first_changed_period"] = note["first_changed_period"].get<std::string>();
      change["new"] = note.value("new", false);
      return change;
    }
  }
  return MeasureChange(measure, benefit_notes);
}

}  // namespace

Json MenuJson(const MeasureCatalog& catalog) {
  Json subjects = Json::array();
  for (const auto& subject : catalog.subjects) {
    subjects.push_back({{"id", subject.id},
                        {"name", Names(subject.name_da, subject.name_en)},
                        {"doc", Names(subject.doc_da, subject.doc_en)},
                        {"order", subject.order},
                        {"benefits", Strings(subject.benefits)}});
  }
  Json topics = Json::array();
  for (const auto& topic : catalog.topics) {
    topics.push_back({{"id", topic.id},
                      {"name", Names(topic.name_da, topic.name_en)},
                      {"doc", Names(topic.doc_da, topic.doc_en)},
                      {"order", topic.order}});
  }
  Json groups = Json::array();
  for (const auto& group : catalog.groups) {
    Json measures = Json::array();
    for (const auto& measure : catalog.measures) {
      if (measure.group == group.id) measures.push_back(measure.id);
    }
    groups.push_back({{"id", group.id},
                      {"name", Names(group.name_da, group.name_en)},
                      {"doc", Names(group.doc_da, group.doc_en)},
                      {"subject", group.subject},
                      {"topic", group.topic},
                      {"order", group.order},
                      {"measures", measures}});
  }
  return {{"subjects", subjects}, {"topics", topics}, {"groups", groups}};
}

Json MeasuresJson(const MeasureCatalog& catalog, const std::string& subject,
                  const std::string& group) {
  Json list = Json::array();
  for (const auto& measure : catalog.measures) {
    if (!group.empty() && measure.group != group) continue;
    if (!subject.empty()) {
      const MeasureGroup* of = catalog.FindGroup(measure.group);
      if (of == nullptr || of->subject != subject) continue;
    }
    list.push_back(MeasureSummary(measure));
  }
  return list;
}

std::optional<Json> MeasureJson(const MeasureCatalog& catalog, const std::string& id,
                                const engine::ReleaseInfo& latest, const store::Store& store) {
  const MeasureDefinition* measure = catalog.Find(id);
  if (measure == nullptr) return std::nullopt;
  Json body = MeasureSummary(*measure);
  body["doc"] = Names(measure->doc_da, measure->doc_en);
  body["technical"] = Names(measure->technical_da, measure->technical_en);
  body["sources"] = Strings(measure->sources);
  body["benefit_codes"] = Strings(measure->benefit_codes);
  if (measure->status_after_months) body["status_after_months"] = *measure->status_after_months;
  if (!measure->age_bands.empty()) body["age_bands"] = measure->age_bands;
  if (!measure->duration_bands.empty()) body["duration_bands"] = measure->duration_bands;
  body["latest_update"] = {{"release", latest.id},
                           {"cut_off_day", FormatIsoDate(latest.cut_off_day)}};
  // Deliveries are monthly: the next release covers the month after the cut-off month.
  body["next_update"] = {{"covers_until", FormatIsoDate(LastDayOfMonth(latest.last_month + 1))},
                         {"frequency", measure->frequency}};
  Json changes = Json::array();
  for (const auto& info : store.ListReleases()) {
    if (!info.problem.empty()) continue;
    const store::Release release = store.OpenRelease(info.id);
    Json change = MeasureNoteOf(*measure, release, NotesOf(release));
    change.erase("measure");
    change["release"] = info.id;
    change["cut_off_day"] = FormatIsoDate(info.cut_off_day);
    changes.push_back(change);
  }
  body["releases"] = changes;
  return body;
}

Json AreasJson(const engine::AreaCatalog& areas) {
  Json municipalities = Json::array();
  for (const auto& m : areas.municipalities) {
    municipalities.push_back({{"code", std::to_string(m.code)},
                              {"name", m.name},
                              {"region", std::to_string(m.region_code)},
                              {"region_name", m.region_name},
                              {"landsdel", std::to_string(m.landsdel_code)},
                              {"landsdel_name", m.landsdel_name},
                              {"municipality_group", std::to_string(m.group_code)},
                              {"municipality_group_name", m.group_name},
                              {"jobcentre", std::to_string(m.jobcentre_code)},
                              {"jobcentre_name", m.jobcentre_name}});
  }
  Json clusters = Json::array();
  for (const auto& cluster : areas.clusters) {
    Json members = Json::array();
    for (const int code : cluster.members) members.push_back(std::to_string(code));
    clusters.push_back({{"code", cluster.code},
                        {"name", Names(cluster.name_da, cluster.name_en)},
                        {"members", members}});
  }
  return {{"levels",
           {"country", "region", "landsdel", "municipality_group", "jobcentre", "municipality",
            "cluster"}},
          {"municipalities", municipalities},
          {"clusters", clusters}};
}

std::optional<Json> CodeListJson(const CodeLists& codes, const std::string& list) {
  const CodeList* found = codes.Find(list);
  if (found == nullptr) return std::nullopt;
  Json entries = Json::array();
  for (const auto& code : found->codes) {
    entries.push_back(
        {{"code", code.code},
         {"name", Names(code.name_da, code.name_en)},
         {"valid_from", FormatIsoDate(std::max(code.valid_from, -719162))},
         {"valid_to", code.valid_to >= 1000000 ? Json() : Json(FormatIsoDate(code.valid_to))}});
  }
  return Json{{"list", list}, {"codes", entries}};
}

Json ReleasesJson(const store::Store& store) {
  Json list = Json::array();
  for (const auto& info : store.ListReleases()) {
    Json entry = {{"id", info.id},
                  {"created_utc", info.created_utc},
                  {"cut_off_day", FormatIsoDate(info.cut_off_day)},
                  {"current", info.is_current},
                  {"bytes", info.bytes}};
    if (!info.problem.empty()) entry["problem"] = info.problem;
    list.push_back(entry);
  }
  return list;
}

std::optional<Json> ReleaseJson(const store::Store& store, const std::string& id,
                                const MeasureCatalog& catalog) {
  const auto releases = store.ListReleases();
  const bool known = id == "latest" || std::any_of(releases.begin(), releases.end(),
                                                   [&](const auto& r) { return r.id == id; });
  if (!known) return std::nullopt;
  const store::Release release = store.OpenRelease(id);
  const Json notes = NotesOf(release);
  Json measures = Json::array();
  for (const auto& measure : catalog.measures)
    measures.push_back(MeasureNoteOf(measure, release, notes));
  const auto& summary = release.summary();
  Json body = {{"id", release.id()},
               {"created_utc", release.manifest().created_utc},
               {"cut_off_day", FormatIsoDate(release.cut_off_day())},
               {"notes_by_benefit", notes},
               {"notes_by_measure", measures}};
  if (summary.contains("release")) body["release"] = Json::parse(summary["release"].dump());
  return body;
}

Json ConfigJson(const ServerSettings& settings) {
  return {{"max_cells", settings.max_cells},
          {"max_body_bytes", settings.max_body_bytes},
          {"request_timeout_seconds", settings.request_timeout_seconds},
          {"rate_limit_per_minute", settings.rate_limit_per_minute},
          {"query_slots", settings.query_slots},
          {"query_queue", settings.query_queue},
          {"formats", {"jsonstat", "json", "csv", "csv-dk", "xlsx", "px", "sdmx-csv"}},
          {"languages", {"da", "en"}}};
}

Json DcatJson(const MeasureCatalog& catalog, const engine::ReleaseInfo& latest,
              const std::string& base_url) {
  Json datasets = Json::array();
  for (const auto& measure : catalog.measures) {
    datasets.push_back(
        {{"@type", "dcat:Dataset"},
         {"dct:identifier", measure.id},
         {"dct:title",
          {{{"@language", "da"}, {"@value", measure.name_da}},
           {{"@language", "en"}, {"@value", measure.name_en}}}},
         {"dct:description",
          {{{"@language", "da"}, {"@value", measure.doc_da}},
           {{"@language", "en"}, {"@value", measure.doc_en}}}},
         {"dct:accrualPeriodicity", measure.frequency},
         {"dct:modified", FormatIsoDate(latest.cut_off_day)},
         {"dcat:distribution",
          {{{"@type", "dcat:Distribution"},
            {"dcat:accessURL",
             fmt::format("{}/api/v1/data?measure={}&period=latest:12", base_url, measure.id)},
            {"dcat:mediaType", "application/json"}}}}});
  }
  return {
      {"@context", {{"dcat", "http://www.w3.org/ns/dcat#"}, {"dct", "http://purl.org/dc/terms/"}}},
      {"@type", "dcat:Catalog"},
      {"dct:title", "Jobindsigt"},
      {"dct:modified", FormatIsoDate(latest.cut_off_day)},
      {"dcat:dataset", datasets}};
}

}  // namespace jobindsigt::server
