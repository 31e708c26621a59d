#include "ingest/run_report.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <fstream>

#include "common/error.h"

namespace jobindsigt::ingest {
namespace {

// CSV field quoting for the quarantine file: values may hold the separator or quotes.
std::string Quote(const std::string& text) {
  if (text.find_first_of(";\"\n\r") == std::string::npos) return text;
  std::string quoted = "\"";
  for (const char ch : text) {
    if (ch == '"') quoted.push_back('"');
    quoted.push_back(ch);
  }
  return quoted + "\"";
}

}  // namespace

nlohmann::json RunReport::ToJson() const {
  nlohmann::json json;
  json["status"] = status;
  if (!stop_reason.empty()) json["stop_reason"] = stop_reason;
  json["run_folder"] = run_folder;
  nlohmann::json release;
  release["id"] = release_id;
  release["cut_off_day"] = cutoff_day == 0 ? "" : FormatIsoDate(cutoff_day);
  for (const MonthIndex month : deliveries)
    release["deliveries_this_run"].push_back(FormatYearMonth(month));
  release["deliveries"] = nlohmann::json::array();
  if (!all_deliveries.empty()) {
    release["deliveries"] = {FormatYearMonth(all_deliveries.front()),
                             FormatYearMonth(all_deliveries.back())};
  }
  release["record_counts"] = record_counts;
  release["timings_seconds"] = timings_seconds;
  json["release"] = release;
  json["files"] = nlohmann::json::array();
  for (const auto& file : files) {
    nlohmann::json entry = {{"file", file.file},
                            {"rows_read", file.rows_read},
                            {"rows_loaded", file.rows_loaded},
                            {"rows_quarantined", file.rows_quarantined},
                            {"reasons", file.reasons}};
    if (file.rejected) entry["rejected"] = file.rejection;
    json["files"].push_back(entry);
  }
  json["release_notes"] = nlohmann::json::array();
  for (const auto& note : release_notes) {
    nlohmann::json entry = {
        {"benefit", note.benefit}, {"changed", note.changed}, {"new", note.is_new}};
    if (!note.first_period.empty()) entry["first_changed_period"] = note.first_period;
    json["release_notes"].push_back(entry);
  }
  json["measure_notes"] = nlohmann::json::array();
  for (const auto& note : measure_notes) {
    nlohmann::json entry = {
        {"measure", note.measure}, {"changed", note.changed}, {"new", note.is_new}};
    if (!note.first_period.empty()) entry["first_changed_period"] = note.first_period;
    json["measure_notes"].push_back(entry);
  }
  return json;
}

std::string RunReport::Summary() const {
  int64_t read = 0;
  int64_t loaded = 0;
  int64_t quarantined = 0;
  int rejected = 0;
  for (const auto& file : files) {
    read += file.rows_read;
    loaded += file.rows_loaded;
    quarantined += file.rows_quarantined;
    rejected += file.rejected;
  }
  std::string text;
  if (status == "published") {
    text += fmt::format("published release {} with cut-off day {}\n", release_id,
                        FormatIsoDate(cutoff_day));
  } else {
    text += fmt::format("stopped, nothing published: {}\n", stop_reason);
  }
  if (!deliveries.empty()) {
    text += fmt::format("  deliveries {} … {} ({} months, {} files)\n",
                        FormatYearMonth(deliveries.front()), FormatYearMonth(deliveries.back()),
                        deliveries.size(), files.size());
  }
  text += fmt::format("  rows read {}, loaded {}, quarantined {}; files rejected {}\n", read,
                      loaded, quarantined, rejected);
  for (const auto& file : files) {
    if (file.rejected) text += fmt::format("  rejected {}: {}\n", file.file, file.rejection);
  }
  std::vector<std::string> changed;
  for (const auto& note : release_notes) {
    if (note.changed) changed.push_back(note.benefit + " from " + note.first_period);
  }
  if (!changed.empty()) text += "  changed: " + fmt::format("{}", fmt::join(changed, ", ")) + "\n";
  const auto measures_changed = std::count_if(measure_notes.begin(), measure_notes.end(),
                                              [](const MeasureNote& note) { return note.changed; });
  if (!measure_notes.empty()) {
    text += fmt::format("  measures changed: {} of {}\n", measures_changed, measure_notes.size());
  }
  text += "  report and quarantine: " + run_folder + "\n";
  return text;
}

void WriteQuarantineCsv(const std::filesystem::path& path,
                        const std::vector<QuarantinedRow>& rows) {
  std::ofstream output(path, std::ios::binary);
  if (!output) {
    throw UserError(ErrorCode::kIoFailure, "cannot write " + path.string());
  }
  output << "\xEF\xBB\xBF"
         << "file;line;field;value;reason;message\n";
  for (const auto& row : rows) {
    output << Quote(row.file) << ';' << row.line << ';' << Quote(row.field) << ';'
           << Quote(row.value) << ';' << row.reason << ';' << Quote(row.message) << '\n';
  }
  if (!output) throw UserError(ErrorCode::kIoFailure, "cannot write " + path.string());
}

}  // namespace jobindsigt::ingest
