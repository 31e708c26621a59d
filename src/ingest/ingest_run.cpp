#include "ingest/ingest_run.h"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <map>
#include <mutex>
#include <thread>

#include "common/error.h"
#include "common/progress.h"
#include "ingest/delivery_plan.h"
#include "ingest/file_reader.h"
#include "ingest/release_notes.h"
#include "ingest/release_tables.h"
#include "store/manifest.h"
#include "store/release_writer.h"
#include "store/store.h"

namespace jobindsigt::ingest {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

double SecondsSince(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

// The state of every source: from the current release, then each new delivery applied.
class SourceStates {
 public:
  explicit SourceStates(const DataflowCatalog& catalog) {
    for (const auto& spec : catalog.sources) {
      states_.emplace(spec.id, ResolvedState(&spec));
      buffers_.emplace(spec.id, SourceRows(&spec));
    }
  }

  ResolvedState& State(const std::string& id) { return states_.at(id); }
  SourceRows& Buffer(const std::string& id) { return buffers_.at(id); }
  PersonBirths& births() { return births_; }

  void LoadRelease(const DataflowCatalog& catalog, const store::Release& release) {
    for (const auto& spec : catalog.sources) {
      std::vector<store::TableReader> tables;
      const std::string suffix = "/" + spec.id + ".tbl";
      for (const auto& file : release.manifest().files) {
        if (file.path.size() > suffix.size() && file.path.ends_with(suffix)) {
          tables.push_back(release.OpenTable(file.path));
        }
      }
      SourceRows rows = ReadSourceTables(spec, tables);
      if (spec.defines_persons) RememberBirths(spec, rows);
      buffers_.at(spec.id).texts = rows.texts;
      buffers_.at(spec.id).text_index = rows.text_index;
      states_.at(spec.id).Load(rows);
    }
  }

  void RememberBirths(const SourceSpec& spec, const SourceRows& rows) {
    const int id = spec.key.front();
    const int birth = spec.FieldIndex("birth_date");
    for (size_t row = 0; row < rows.size(); ++row) {
      births_[rows.Int(id, row)] = static_cast<DayNumber>(rows.Int(birth, row));
    }
  }

 private:
  std::map<std::string, ResolvedState> states_;
  std::map<std::string, SourceRows> buffers_;
  PersonBirths births_;
};

// Reads one delivery: the file that defines persons first (the others check against it), then
// the other sources on all cores, each into its own state. Reports and quarantined rows are
// appended in source order, so the result does not depend on the threads.
void ReadMonth(const DataflowCatalog& catalog, const fs::path& sources, MonthIndex month,
               SourceStates& states, std::vector<FileReport>& files,
               std::vector<QuarantinedRow>& quarantine) {
  const size_t count = catalog.sources.size();
  std::vector<FileReport> reports(count);
  std::vector<std::vector<QuarantinedRow>> set_aside(count);
  auto read_one = [&](size_t index) {
    const SourceSpec& spec = catalog.sources[index];
    SourceRows& rows = states.Buffer(spec.id);
    rows.ClearRows();
    const ReadContext context{&catalog, spec.defines_persons ? nullptr : &states.births(), month};
    reports[index] = ReadSourceFile(spec, sources / FormatYearMonth(month) / spec.file, context,
                                    rows, set_aside[index]);
    if (spec.defines_persons) states.RememberBirths(spec, rows);
    states.State(spec.id).Apply(rows, reports[index], set_aside[index]);
  };
  std::vector<size_t> parallel;
  for (size_t index = 0; index < count; ++index) {
    if (catalog.sources[index].defines_persons) {
      read_one(index);
    } else {
      parallel.push_back(index);
    }
  }
  std::atomic<size_t> next{0};
  std::exception_ptr failure;
  std::mutex failure_mutex;
  auto work = [&] {
    for (size_t position = next++; position < parallel.size(); position = next++) {
      try {
        read_one(parallel[position]);
      } catch (...) {
        std::lock_guard lock(failure_mutex);
        if (!failure) failure = std::current_exception();
      }
    }
  };
  const unsigned threads = std::clamp(std::thread::hardware_concurrency(), 1U, 8U);
  std::vector<std::thread> workers;
  for (unsigned index = 1; index < threads; ++index) workers.emplace_back(work);
  work();
  for (auto& worker : workers) worker.join();
  if (failure) std::rethrow_exception(failure);
  for (size_t index = 0; index < count; ++index) {
    files.push_back(std::move(reports[index]));
    quarantine.insert(quarantine.end(), set_aside[index].begin(), set_aside[index].end());
  }
}

std::string StopReason(const DataflowCatalog& catalog, const std::vector<FileReport>& files) {
  for (const auto& file : files) {
    if (file.rejected) return fmt::format("{} was rejected ({})", file.file, file.rejection);
  }
  for (const auto& file : files) {
    const auto slash = file.file.find('/');
    const std::string name = file.file.substr(slash + 1);
    for (const auto& spec : catalog.sources) {
      if (spec.file != name || file.rows_read == 0) continue;
      const double share = static_cast<double>(file.rows_quarantined) / file.rows_read;
      if (share > spec.format.quarantine_limit) {
        return fmt::format(
            "{}: {:.2f} % of the rows quarantined, above the limit of {:.2f} % for {}", file.file,
            share * 100, spec.format.quarantine_limit * 100, spec.id);
      }
    }
  }
  return "";
}

std::string UtcStamp() {
  const auto now = std::chrono::system_clock::now();
  const std::time_t time = std::chrono::system_clock::to_time_t(now);
  std::tm utc{};
  gmtime_r(&time, &utc);
  char text[32];
  std::strftime(text, sizeof(text), "%Y%m%dT%H%M%SZ", &utc);
  return text;
}

void WriteRunFolder(const fs::path& folder, const IngestOptions& options, RunReport& report,
                    const std::vector<QuarantinedRow>& quarantine) {
  fs::create_directories(folder);
  report.run_folder = folder.string();
  WriteQuarantineCsv(folder / "quarantine.csv", quarantine);
  for (const auto& file : report.files) {
    if (!file.rejected) continue;
    // Rejected files are kept, named with the reason, for whoever must send them again.
    const fs::path source = options.sources / file.file;
    const std::string reason = file.rejection.substr(0, file.rejection.find(':'));
    const fs::path target = folder / "rejected" / (file.file + "." + reason);
    fs::create_directories(target.parent_path());
    std::error_code ignored;
    if (fs::exists(source, ignored))
      fs::copy_file(source, target, fs::copy_options::overwrite_existing, ignored);
  }
  const std::string json = report.ToJson().dump(2) + "\n";
  std::ofstream(folder / "report.json") << json;
  if (options.report_path) {
    std::ofstream output(*options.report_path);
    if (!output)
      throw UserError(ErrorCode::kIoFailure,
                      "cannot write --report " + options.report_path->string());
    output << json;
  }
}

}  // namespace

RunReport Ingest(const IngestOptions& options, const std::atomic<bool>& stop) {
  const auto started = Clock::now();
  const DataflowCatalog catalog = LoadDataflowCatalog(options.catalog_dir);
  RunReport report;
  // The lock is taken before anything is read, so no other ingest publishes meanwhile.
  store::ReleaseWriter release(options.store);
  const std::optional<store::Release>& previous = release.current_release();
  const std::vector<MonthIndex> ingested =
      previous ? previous->manifest().source_months : std::vector<MonthIndex>();
  report.deliveries = PlanDeliveries(options.sources, ingested, options.until);
  if (report.deliveries.empty()) {
    report.status = "up_to_date";
    report.release_id = previous ? previous->id() : "";
    report.cutoff_day = previous ? previous->cut_off_day() : 0;
    return report;
  }

  SourceStates states(catalog);
  if (previous) states.LoadRelease(catalog, *previous);
  const SourceRows previous_benefits = states.State("benefits").Live();
  report.timings_seconds["load_previous"] = SecondsSince(started);

  const auto reading = Clock::now();
  std::vector<QuarantinedRow> quarantine;
  Progress progress("ingest", report.deliveries.size() * catalog.sources.size());
  uint64_t done = 0;
  for (const MonthIndex month : report.deliveries) {
    if (stop.load()) {
      throw UserError(ErrorCode::kInterrupted, "stopped by a signal; nothing was published");
    }
    ReadMonth(catalog, options.sources, month, states, report.files, quarantine);
    done += catalog.sources.size();
    if (options.show_progress) progress.Update(done);
  }
  if (options.show_progress) progress.Finish();
  report.timings_seconds["read_validate_resolve"] = SecondsSince(reading);
  report.all_deliveries = ingested;
  report.all_deliveries.insert(report.all_deliveries.end(), report.deliveries.begin(),
                               report.deliveries.end());
  report.cutoff_day = LastDayOfMonth(report.deliveries.back());

  report.stop_reason = StopReason(catalog, report.files);
  if (!report.stop_reason.empty()) {
    report.status = "stopped";
    WriteRunFolder(options.store / "runs" / ("stopped-" + UtcStamp()), options, report, quarantine);
    return report;  // the release writer removes its unpublished folder
  }

  const auto writing = Clock::now();
  const SourceRows persons = states.State("persons").Live();
  const ShardPlan plan = ShardPlan::ForPersons(persons.size());
  const TableSink sink = [&](const std::string& path, store::TableWriter& table) {
    table.Write(release.Path(path));
  };
  SourceRows benefits;
  for (const auto& spec : catalog.sources) {
    SourceRows live = states.State(spec.id).Live();
    report.record_counts[spec.id] = static_cast<int64_t>(live.size());
    WriteSourceTables(live, plan, sink);
    if (spec.id == "benefits") benefits = std::move(live);
  }
  report.record_counts["spells"] =
      WriteSpellTables(benefits, catalog.codes, report.cutoff_day, plan, sink);
  report.release_notes = CompareBenefits(previous_benefits, benefits, previous.has_value());
  report.timings_seconds["write_tables"] = SecondsSince(writing);
  report.timings_seconds["total"] = SecondsSince(started);
  report.status = "published";
  report.release_id = release.release_id();
  report.run_folder = (options.store / "runs" / report.release_id).string();
  release.Publish(report.ToJson(), report.cutoff_day, report.all_deliveries);
  WriteRunFolder(options.store / "runs" / report.release_id, options, report, quarantine);
  return report;
}

}  // namespace jobindsigt::ingest
