#pragma once
// What an ingest run did, for people and programs: per file the rows read, loaded and
// quarantined with the reasons counted; per release the cut-off day, deliveries, record
// counts and timings; release notes saying which benefits' data changed and from when.

#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "ingest/source_rows.h"

namespace jobindsigt::ingest {

struct ReleaseNote {
  std::string benefit;  // a benefit code
  bool changed = false;
  std::string first_period;  // the first month that changed, "2024M03"; empty when unchanged
  bool is_new = false;       // no data for it in the previous release
};

// The same per catalogue measure (catalog/measures), from the sources its statistic reads.
struct MeasureNote {
  std::string measure;  // a measure id
  bool changed = false;
  std::string first_period;  // in the measure's finest period type, "2024M03"; empty: unchanged
  bool is_new = false;       // the measure has data and had none in the previous release
};

struct RunReport {
  std::string status;  // "published" or "stopped"
  std::string stop_reason;
  std::string release_id;
  std::string run_folder;
  DayNumber cutoff_day = 0;
  std::vector<MonthIndex> deliveries;      // ingested by this run
  std::vector<MonthIndex> all_deliveries;  // held by the release
  std::vector<FileReport> files;
  std::map<std::string, int64_t> record_counts;
  std::map<std::string, double> timings_seconds;
  std::vector<ReleaseNote> release_notes;
  std::vector<MeasureNote> measure_notes;  // empty when the catalogue has no measures

  nlohmann::json ToJson() const;
  std::string Summary() const;
};

// Writes the quarantined rows as CSV for an analyst (UTF-8 with BOM, ';': opens in Danish
// Excel): file;line;field;value;reason;message.
void WriteQuarantineCsv(const std::filesystem::path& path, const std::vector<QuarantinedRow>& rows);

}  // namespace jobindsigt::ingest
