#include "ingest/ingest_run.h"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <functional>
#include <map>
#include <mutex>
#include <thread>

#include "common/error.h"
#include "common/progress.h"
#include "ingest/delivery_plan.h"
#include "ingest/file_reader.h"
#include "ingest/release_notes.h"
#include "ingest/release_tables.h"
#include "ingest/shard_build.h"
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

// Every source read so far: per source its rows set aside per shard and its text dictionary
// (shared across deliveries), and the persons known, as the deliveries are read in order.
class Reading {
 public:
  Reading(const DataflowCatalog& catalog, const fs::path& spill_folder)
      : catalog_(catalog), spill_folder_(spill_folder) {
    for (const auto& spec : catalog.sources) buffers_.emplace_back(&spec);
  }

  const std::vector<SourceRows>& buffers() const { return buffers_; }
  const std::vector<std::unique_ptr<RowSpill>>& spills() const { return spills_; }
  PersonBirths& births() { return births_; }
  SourceRows& Buffer(size_t source) { return buffers_[source]; }

  // The persons the previous release knows, and each source's text dictionary (every table
  // of a source holds all of it; only the dictionary is read, not the rows).
  void LoadPrevious(const store::Release& release) {
    for (size_t source = 0; source < catalog_.sources.size(); ++source) {
      const SourceSpec& spec = catalog_.sources[source];
      const auto text = std::find_if(spec.fields.begin(), spec.fields.end(), [](const auto& field) {
        return field.type == FieldType::kText;
      });
      for (const auto& file : release.manifest().files) {
        if (!file.path.ends_with("/" + spec.id + ".tbl")) continue;
        if (spec.defines_persons) {
          SourceRows rows(&spec);
          AppendSourceTables({release.OpenTable(file.path)}, rows);
          Remember(rows);
        } else if (text != spec.fields.end()) {
          const store::TableReader table = release.OpenTable(file.path);
          SourceRows& buffer = buffers_[source];
          const auto dictionary = table.Dictionary(text->name);  // [0] is the empty text
          for (const std::string_view entry : dictionary.subspan(dictionary.empty() ? 0 : 1)) {
            buffer.text_index.emplace(std::string(entry), buffer.texts.size());
            buffer.texts.emplace_back(entry);
          }
          break;
        }
      }
    }
  }

  // Applies persons rows in delivery order: the latest birth day, known since the first.
  void Remember(const SourceRows& persons) {
    const SourceSpec& spec = *persons.spec;
    const int id = spec.key.front();
    const int birth_field = spec.FieldIndex("birth_date");
    for (size_t row = 0; row < persons.size(); ++row) {
      const auto birth = static_cast<DayNumber>(persons.Int(birth_field, row));
      bool added = false;
      KnownPerson& known =
          births_.Insert(persons.Int(id, row), KnownPerson{birth, persons.delivery[row]}, added);
      known.birth = birth;
      known.since = std::min(known.since, persons.delivery[row]);
    }
  }

  // Called once the number of shards is known (after the persons of every delivery).
  void StartSpilling(const ShardPlan& plan) {
    for (const auto& spec : catalog_.sources) {
      spills_.push_back(std::make_unique<RowSpill>(&spec, spill_folder_, plan));
    }
  }

 private:
  const DataflowCatalog& catalog_;
  fs::path spill_folder_;
  std::vector<SourceRows> buffers_;
  std::vector<std::unique_ptr<RowSpill>> spills_;
  PersonBirths births_;
};

// Runs `work(index)` for index 0..count-1 on all cores (at most `limit` threads); the first
// exception is rethrown after every thread has stopped.
void ParallelFor(size_t count, unsigned limit, const std::function<void(size_t)>& work) {
  std::atomic<size_t> next{0};
  std::exception_ptr failure;
  std::mutex failure_mutex;
  auto run = [&] {
    for (size_t index = next++; index < count; index = next++) {
      try {
        work(index);
      } catch (...) {
        std::lock_guard lock(failure_mutex);
        if (!failure) failure = std::current_exception();
        next = count;
      }
    }
  };
  const unsigned threads = std::clamp(std::thread::hardware_concurrency(), 1U, limit);
  std::vector<std::thread> workers;
  for (unsigned index = 1; index < threads; ++index) workers.emplace_back(run);
  run();
  for (auto& worker : workers) worker.join();
  if (failure) std::rethrow_exception(failure);
}

// One file's report and what it set aside, in the order of the run report.
struct FileResult {
  FileReport report;
  std::vector<QuarantinedRow> quarantine;
  size_t source = 0;
  MonthIndex month = 0;
};

// The persons of every delivery first: they decide the number of shards, and the other
// sources of a month check against the persons delivered up to that month.
std::vector<FileResult> ReadPersons(const DataflowCatalog& catalog, const fs::path& sources,
                                    const std::vector<MonthIndex>& months, SourceRows& persons) {
  std::vector<FileResult> results;
  for (size_t source = 0; source < catalog.sources.size(); ++source) {
    const SourceSpec& spec = catalog.sources[source];
    if (!spec.defines_persons) continue;
    for (const MonthIndex month : months) {
      FileResult result{{}, {}, source, month};
      const ReadContext context{&catalog, nullptr, month};
      result.report = ReadSourceFile(spec, sources / FormatYearMonth(month) / spec.file, context,
                                     persons, result.quarantine);
      results.push_back(std::move(result));
    }
  }
  return results;
}

// Reads the other sources of one delivery on all cores, each into the spill of its source.
// The persons of this delivery are applied first (a later version may change a birth day).
void ReadMonth(const DataflowCatalog& catalog, const fs::path& sources, MonthIndex month,
               const SourceRows& persons, Reading& reading, std::vector<FileResult>& results) {
  // The persons rows are in delivery order: this month's are one run of them.
  SourceRows this_month(persons.spec);
  const auto [first, last] =
      std::equal_range(persons.delivery.begin(), persons.delivery.end(), month);
  for (auto row = first; row != last; ++row) {
    this_month.AppendRow(persons, static_cast<size_t>(row - persons.delivery.begin()));
  }
  reading.Remember(this_month);
  std::vector<size_t> others;
  for (size_t source = 0; source < catalog.sources.size(); ++source) {
    if (!catalog.sources[source].defines_persons) others.push_back(source);
  }
  // The largest files first, so that the cores finish the month together (the employment
  // file alone is about two fifths of a month); results keep the catalogue's order.
  std::vector<uintmax_t> bytes(catalog.sources.size(), 0);
  for (const size_t source : others) {
    std::error_code missing;
    const uintmax_t size =
        fs::file_size(sources / FormatYearMonth(month) / catalog.sources[source].file, missing);
    bytes[source] = missing ? 0 : size;
  }
  std::vector<size_t> by_size = others;
  std::stable_sort(by_size.begin(), by_size.end(),
                   [&](size_t a, size_t b) { return bytes[a] > bytes[b]; });
  std::vector<FileResult> read(others.size());
  ParallelFor(others.size(), 8, [&](size_t task) {
    const size_t source = by_size[task];
    const size_t position =
        static_cast<size_t>(std::find(others.begin(), others.end(), source) - others.begin());
    const SourceSpec& spec = catalog.sources[source];
    SourceRows& rows = reading.Buffer(source);
    rows.ClearRows();
    const ReadContext context{&catalog, &reading.births(), month};
    FileResult& result = read[position];
    result.source = source;
    result.month = month;
    result.report = ReadSourceFile(spec, sources / FormatYearMonth(month) / spec.file, context,
                                   rows, result.quarantine);
    reading.spills()[source]->Append(rows);
    rows.ClearRows();
  });
  for (auto& result : read) results.push_back(std::move(result));
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

// STORE/ingest-spill/: the rows a run sets aside. Only the lock holder uses it, so a folder
// left by a killed run is simply removed by the next one.
class SpillFolder {
 public:
  explicit SpillFolder(const fs::path& store) : path_(store / "ingest-spill") {
    fs::remove_all(path_);
    fs::create_directories(path_);
  }
  ~SpillFolder() {
    std::error_code ignored;
    fs::remove_all(path_, ignored);
  }
  SpillFolder(const SpillFolder&) = delete;
  SpillFolder& operator=(const SpillFolder&) = delete;
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

size_t SourceIndex(const DataflowCatalog& catalog, std::string_view id) {
  for (size_t source = 0; source < catalog.sources.size(); ++source) {
    if (catalog.sources[source].id == id) return source;
  }
  throw UserError(ErrorCode::kBadCatalog, fmt::format("the catalogue declares no source {}", id));
}

size_t PersonsSource(const DataflowCatalog& catalog) {
  for (size_t source = 0; source < catalog.sources.size(); ++source) {
    if (catalog.sources[source].defines_persons) return source;
  }
  throw UserError(ErrorCode::kBadCatalog, "the catalogue declares no source of persons");
}

// The number of person shards of a release (0 for none): its shard-NNN folders.
int ShardCountOf(const store::Release& release) {
  int count = 0;
  for (const auto& file : release.manifest().files) {
    if (file.path.starts_with("shard-")) {
      count = std::max(count, std::stoi(file.path.substr(6, file.path.find('/') - 6)) + 1);
    }
  }
  return count;
}

// When the number of shards changes, the previous release's rows are set aside per new
// shard, as the delivered ones are, one table at a time.
std::vector<std::unique_ptr<RowSpill>> SpillPrevious(const DataflowCatalog& catalog,
                                                     const store::Release& release,
                                                     const std::vector<SourceRows>& texts,
                                                     const ShardPlan& plan,
                                                     const fs::path& folder) {
  std::vector<std::unique_ptr<RowSpill>> spills;
  for (size_t source = 0; source < catalog.sources.size(); ++source) {
    const SourceSpec& spec = catalog.sources[source];
    spills.push_back(std::make_unique<RowSpill>(&spec, folder, plan));
    for (const auto& file : release.manifest().files) {
      if (!file.path.ends_with("/" + spec.id + ".tbl")) continue;
      SourceRows rows(&spec);
      rows.texts = texts[source].texts;
      rows.text_index = texts[source].text_index;
      AppendSourceTables({release.OpenTable(file.path)}, rows);
      spills.back()->Append(rows);
    }
    spills.back()->Finish();
  }
  return spills;
}

// Builds every table on all cores, the largest first, so that the cores finish together;
// each thread holds one shard's rows of one source.
std::vector<ShardResult> BuildShards(const ShardJob& job, const std::atomic<bool>& stop,
                                     Progress* progress, uint64_t done_before) {
  struct Task {
    int shard;
    size_t source;
    int64_t rows;
  };
  std::vector<Task> tasks;
  for (size_t source = 0; source < job.catalog->sources.size(); ++source) {
    const RowSpill& spill = *(*job.delivered)[source];
    for (int shard = 0; shard < spill.shard_count(); ++shard)
      tasks.push_back({shard, source, spill.Rows(shard)});
  }
  std::stable_sort(tasks.begin(), tasks.end(),
                   [](const Task& a, const Task& b) { return a.rows > b.rows; });
  std::vector<ShardResult> results(tasks.size());
  std::mutex progress_mutex;
  uint64_t done = done_before;
  ParallelFor(tasks.size(), 8, [&](size_t index) {
    if (stop.load()) {
      throw UserError(ErrorCode::kInterrupted, "stopped by a signal; nothing was published");
    }
    results[index] = BuildShard(job, tasks[index].shard, tasks[index].source);
    if (progress != nullptr) {
      const std::lock_guard lock(progress_mutex);
      progress->Update(++done);
    }
  });
  return results;
}

// Deletions of unknown records, found shard by shard, are quarantined in their files, after
// the file's other quarantined rows, in line order (as a single pass over the file would).
void AccountUnknownDeletions(const DataflowCatalog& catalog, const std::vector<ShardResult>& shards,
                             std::vector<FileResult>& files) {
  std::map<std::pair<MonthIndex, size_t>, FileResult*> by_file;
  for (auto& file : files) by_file[{file.month, file.source}] = &file;
  for (size_t source = 0; source < catalog.sources.size(); ++source) {
    const SourceSpec& spec = catalog.sources[source];
    std::vector<UnknownDeletion> all;
    for (const auto& shard : shards) {
      all.insert(all.end(), shard.unknown[source].begin(), shard.unknown[source].end());
    }
    std::sort(all.begin(), all.end(), [](const UnknownDeletion& a, const UnknownDeletion& b) {
      return std::tie(a.delivery, a.line) < std::tie(b.delivery, b.line);
    });
    for (const UnknownDeletion& deletion : all) {
      FileResult& file = *by_file.at({deletion.delivery, source});
      file.report.rows_loaded -= 1;
      file.report.rows_quarantined += 1;
      file.report.reasons["deletes_unknown_record"] += 1;
      file.quarantine.push_back({file.report.file, deletion.line, spec.fields[spec.key[0]].name,
                                 std::to_string(deletion.key), "deletes_unknown_record",
                                 "deletes a record that was never delivered"});
    }
  }
}

// The run report's counts, spells and release notes from the shards; files in delivery
// order, each delivery's sources in catalogue order.
void Summarise(const DataflowCatalog& catalog, const MeasureCatalog* measures,
               std::vector<ShardResult>& shards, bool had_previous, std::vector<FileResult>& files,
               RunReport& report) {
  AccountUnknownDeletions(catalog, shards, files);
  std::stable_sort(files.begin(), files.end(), [](const FileResult& a, const FileResult& b) {
    return std::tie(a.month, a.source) < std::tie(b.month, b.source);
  });
  BenefitChanges changes;
  int64_t spells = 0;
  for (const auto& shard : shards) {
    for (size_t source = 0; source < catalog.sources.size(); ++source) {
      report.record_counts[catalog.sources[source].id] += shard.records[source];
    }
    spells += shard.spells;
    changes.Merge(shard.changes);
  }
  report.record_counts["spells"] = spells;
  report.release_notes =
      changes.Notes(catalog.sources[SourceIndex(catalog, "benefits")], had_previous);
  if (measures == nullptr) return;
  // The persons touched in a source without benefit codes change the measures of their
  // benefits: the codes of their benefit records in the same shard.
  std::map<int, const PersonCodes*> codes_of_shard;
  for (const auto& shard : shards) {
    if (catalog.sources[shard.source].id == "benefits")
      codes_of_shard[shard.shard] = &shard.benefit_persons;
  }
  const PersonCodes none;
  std::vector<SourceChanges> sources(catalog.sources.size());
  for (auto& shard : shards) {
    const auto found = codes_of_shard.find(shard.shard);
    shard.source_changes.ResolvePersons(found == codes_of_shard.end() ? none : *found->second);
    sources[shard.source].Merge(shard.source_changes);
  }
  report.measure_notes = MeasureNotes(*measures, catalog.sources, sources, had_previous,
                                      FirstDayOfMonth(report.all_deliveries.front()));
}

// The measure catalogue, when the catalogue has one (catalog/measures): release notes are
// then also given per measure. A broken one is an error before anything is read.
std::optional<MeasureCatalog> LoadMeasures(const DataflowCatalog& catalog, const fs::path& dir) {
  std::error_code error;
  if (!fs::is_directory(dir / "measures", error)) return std::nullopt;
  return LoadMeasureCatalog(dir, catalog.codes);
}

}  // namespace

RunReport Ingest(const IngestOptions& options, const std::atomic<bool>& stop) {
  const auto started = Clock::now();
  const DataflowCatalog catalog = LoadDataflowCatalog(options.catalog_dir);
  const std::optional<MeasureCatalog> measures = LoadMeasures(catalog, options.catalog_dir);
  RunReport report;
  // The lock is taken before anything is read, so no other ingest publishes meanwhile.
  store::ReleaseWriter release(options.store);
  const std::optional<store::Release>& previous = release.current_release();
  const std::vector<MonthIndex> ingested =
      previous ? previous->manifest().source_months : std::vector<MonthIndex>();
  // Rows set aside while reading; a crashed run's leftovers go first (we hold the lock), also
  // when there is nothing new: a run killed after switching CURRENT leaves its rows behind.
  const SpillFolder spill(options.store);
  report.deliveries = PlanDeliveries(options.sources, ingested, options.until);
  if (report.deliveries.empty()) {
    report.status = "up_to_date";
    report.release_id = previous ? previous->id() : "";
    report.cutoff_day = previous ? previous->cut_off_day() : 0;
    return report;
  }

  Reading reading(catalog, spill.path() / "delivered");
  if (previous) reading.LoadPrevious(*previous);
  report.timings_seconds["load_previous"] = SecondsSince(started);

  const auto reading_started = Clock::now();
  const size_t persons_source = PersonsSource(catalog);
  SourceRows persons(&catalog.sources[persons_source]);
  std::vector<FileResult> files = ReadPersons(catalog, options.sources, report.deliveries, persons);
  reading.Remember(persons);
  const ShardPlan plan = ShardPlan::ForPersons(reading.births().size(), options.persons_per_shard);
  reading.StartSpilling(plan);
  reading.spills()[persons_source]->Append(persons);
  size_t tables = 0;
  for (const auto& spec : catalog.sources) tables += HasPersons(spec) ? plan.shard_count : 1;
  Progress progress("ingest", report.deliveries.size() + tables);
  uint64_t done = 0;
  for (const MonthIndex month : report.deliveries) {
    if (stop.load()) {
      throw UserError(ErrorCode::kInterrupted, "stopped by a signal; nothing was published");
    }
    ReadMonth(catalog, options.sources, month, persons, reading, files);
    if (options.show_progress) progress.Update(++done);
  }
  persons = SourceRows(persons.spec);
  for (const auto& source_spill : reading.spills()) source_spill->Finish();
  report.timings_seconds["read_validate"] = SecondsSince(reading_started);
  report.all_deliveries = ingested;
  report.all_deliveries.insert(report.all_deliveries.end(), report.deliveries.begin(),
                               report.deliveries.end());
  report.cutoff_day = LastDayOfMonth(report.deliveries.back());

  const auto writing = Clock::now();
  const bool same_shards = previous && ShardCountOf(*previous) == plan.shard_count;
  std::vector<std::unique_ptr<RowSpill>> previous_spilled;
  if (previous && !same_shards) {
    previous_spilled =
        SpillPrevious(catalog, *previous, reading.buffers(), plan, spill.path() / "previous");
  }
  ShardJob job;
  job.catalog = &catalog;
  job.delivered = &reading.spills();
  job.previous = same_shards ? &*previous : nullptr;
  job.previous_spilled = previous && !same_shards ? &previous_spilled : nullptr;
  job.texts = &reading.buffers();
  // Spells of the source whose dataflow declares build_spells (at most one; maybe none).
  for (const auto& spec : catalog.sources) {
    if (spec.build_spells) job.spell_groups = SpellGroups::Of(spec, catalog.codes);
  }
  job.cutoff_day = report.cutoff_day;
  job.benefit_codes =
      catalog.sources[SourceIndex(catalog, "benefits")]
          .fields[catalog.sources[SourceIndex(catalog, "benefits")].FieldIndex("benefit_code")]
          .code_list->codes.size();
  job.path_of = [&](const std::string& path) { return release.Path(path); };
  std::vector<ShardResult> shards =
      BuildShards(job, stop, options.show_progress ? &progress : nullptr, done);
  if (options.show_progress) progress.Finish();
  report.timings_seconds["resolve_write_tables"] = SecondsSince(writing);
  Summarise(catalog, measures ? &*measures : nullptr, shards, previous.has_value(), files, report);

  std::vector<QuarantinedRow> quarantine;
  for (auto& file : files) {
    report.files.push_back(std::move(file.report));
    quarantine.insert(quarantine.end(), file.quarantine.begin(), file.quarantine.end());
  }
  report.stop_reason = StopReason(catalog, report.files);
  if (!report.stop_reason.empty()) {
    report.status = "stopped";
    WriteRunFolder(options.store / "runs" / ("stopped-" + UtcStamp()), options, report, quarantine);
    return report;  // the release writer removes its unpublished folder
  }
  report.timings_seconds["total"] = SecondsSince(started);
  report.status = "published";
  report.release_id = release.release_id();
  report.run_folder = (options.store / "runs" / report.release_id).string();
  release.Publish(report.ToJson(), report.cutoff_day, report.all_deliveries);
  WriteRunFolder(options.store / "runs" / report.release_id, options, report, quarantine);
  return report;
}

}  // namespace jobindsigt::ingest
