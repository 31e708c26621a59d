#include "engine/engine.h"

#include <fmt/format.h>
#include <malloc.h>

#include <algorithm>
#include <atomic>
#include <exception>
#include <map>
#include <mutex>
#include <optional>
#include <thread>

#include "engine/evaluator.h"
#include "engine/month_pass.h"
#include "engine/query_error.h"
#include "engine/query_resolver.h"
#include "engine/release_data.h"
#include "engine/worker_pool.h"

namespace jobindsigt::engine {
namespace {

// Persons per unit of work: small enough to share a shard between cores, large enough that
// the per-unit counters are not the cost.
constexpr size_t kPersonsPerTask = 8192;
// Older releases kept in memory besides the latest, for queries that name one.
constexpr size_t kNamedReleasesKept = 1;

class StoreEngine final : public Engine {
 public:
  StoreEngine(const std::filesystem::path& store, const std::filesystem::path& catalog_dir,
              EngineSettings settings)
      : store_(store::Store::Open(store)),
        codes_(LoadCodeLists(catalog_dir)),
        areas_(LoadAreaCatalog(catalog_dir)),
        measures_(LoadMeasureCatalog(catalog_dir, codes_)),
        settings_(settings) {
    if (settings_.threads <= 0)
      settings_.threads = std::max(1, static_cast<int>(std::thread::hardware_concurrency()));
    pool_ = std::make_unique<WorkerPool>(static_cast<size_t>(settings_.threads - 1));
  }

  Cube Run(const Query& query) const override {
    const auto release = Load(query.release);
    const ResolvedQuery resolved =
        ResolveQuery(query, release, {codes_, areas_, measures_}, settings_.max_cells);
    return FinishCube(resolved, Evaluate(resolved));
  }

  ReleaseInfo Release(const std::string& id) const override {
    const auto release = Load(id);
    return {release->id, release->cut_off_day, release->first_month,
            MonthOfDay(release->cut_off_day), release->persons};
  }

  std::vector<std::pair<std::string, size_t>> ReleaseMemory(const std::string& id) const override {
    return MemoryByPart(*Load(id));
  }

  std::vector<std::string> ReleaseIds() const override {
    std::vector<std::string> ids;
    for (const auto& info : store_.ListReleases()) {
      if (info.problem.empty()) ids.push_back(info.id);
    }
    return ids;
  }

  const EngineSettings& settings() const override { return settings_; }
  const MeasureCatalog& measures() const override { return measures_; }
  const CodeLists& codes() const override { return codes_; }
  const AreaCatalog& areas() const override { return areas_; }

  bool RefreshLatest() const override {
    const std::string id = store_.CurrentId();
    auto current = [&] {
      const std::lock_guard lock(mutex_);
      return latest_ && latest_->id == id;
    };
    if (current()) return false;
    // One loader at a time; queries keep being answered from the release they have.
    const std::lock_guard loading(load_mutex_);
    if (current()) return false;
    auto data = LoadRelease(store_.OpenRelease(id), codes_, settings_.threads);
    const std::lock_guard lock(mutex_);
    latest_ = std::move(data);
    return true;
  }

 private:
  std::shared_ptr<const ReleaseData> Load(const std::string& requested) const {
    if (requested == "latest" || requested.empty()) {
      {
        const std::lock_guard lock(mutex_);
        if (latest_) return latest_;
      }
      RefreshLatest();
      const std::lock_guard lock(mutex_);
      return latest_;
    }
    {
      const std::lock_guard lock(mutex_);
      if (latest_ && latest_->id == requested) return latest_;
      if (const auto found = named_.find(requested); found != named_.end()) {
        found->second.last_used = ++clock_;
        return found->second.data;
      }
    }
    const auto ids = ReleaseIds();
    if (std::find(ids.begin(), ids.end(), requested) == ids.end()) {
      throw QueryError("unknown_release", "release",
                       fmt::format("the store has no release '{}'; it has {} (or 'latest')",
                                   requested, fmt::join(ids, ", ")));
    }
    const std::lock_guard loading(load_mutex_);
    {
      const std::lock_guard lock(mutex_);
      if (const auto found = named_.find(requested); found != named_.end())
        return found->second.data;
    }
    auto data = LoadRelease(store_.OpenRelease(requested), codes_, settings_.threads);
    const std::lock_guard lock(mutex_);
    if (named_.size() >= kNamedReleasesKept) {
      named_.erase(std::min_element(named_.begin(), named_.end(), [](const auto& a, const auto& b) {
        return a.second.last_used < b.second.last_used;
      }));
    }
    named_[requested] = {data, ++clock_};
    return data;
  }

  Accumulators Evaluate(const ResolvedQuery& query) const {
    enum class Pass { kPersons, kMonths, kRuns, kPayments };
    struct Task {
      Pass pass;
      const Shard* shard;
      std::span<const uint32_t> persons;
    };
    const auto& shards = query.release->shards;
    const EvaluationPlan plan =
        PlanEvaluation(query, {settings_.month_pass, settings_.resident_table, settings_.sums,
                               settings_.month_leaves, settings_.month_spans, settings_.runs});
    const bool by_person = plan.AnyByPerson();
    const bool by_month = plan.AnyByMonth();
    const bool by_runs = plan.AnyByRuns();
    std::vector<std::vector<uint32_t>> candidates(shards.size());
    std::vector<Task> tasks;
    for (size_t index = 0; index < shards.size(); ++index) {
      // One task per shard for the month and payment passes: they need no candidate persons.
      if (by_runs) tasks.push_back({Pass::kRuns, &shards[index], {}});
      if (by_month) tasks.push_back({Pass::kMonths, &shards[index], {}});
      if (plan.payments_by_month) tasks.push_back({Pass::kPayments, &shards[index], {}});
      if (!by_person) continue;
      candidates[index] = CandidatePersons(query, plan, shards[index]);
      const std::span<const uint32_t> all(candidates[index]);
      for (size_t first = 0; first < all.size(); first += kPersonsPerTask)
        tasks.push_back({Pass::kPersons, &shards[index],
                         all.subspan(first, std::min(kPersonsPerTask, all.size() - first))});
    }
    // The cores are shared among the queries running at once (a server runs several): each
    // takes its share, so that under load no query's threads wait on the others' for a core
    // and pay for being switched in and out; alone, a query has them all.
    const QueryCount counted(running_);
    const size_t share = std::max<size_t>(
        1, static_cast<size_t>(settings_.threads) / std::max<size_t>(counted.running(), 1));
    const size_t workers = std::clamp<size_t>(share, 1, std::max<size_t>(tasks.size(), 1));
    std::vector<Accumulators> partial;
    partial.reserve(workers);
    for (size_t worker = 0; worker < workers; ++worker) partial.emplace_back(query);
    std::atomic<size_t> next{0};
    std::exception_ptr failure;
    std::mutex failure_mutex;
    auto work = [&](size_t worker) {
      try {
        // The month passes of the shards this worker takes (over the rows, over the runs),
        // turned into cells once at the end.
        std::optional<MonthPass> months;
        std::optional<MonthPass> runs;
        for (size_t task = next++; task < tasks.size(); task = next++) {
          const Task& job = tasks[task];
          switch (job.pass) {
            case Pass::kMonths:
              if (!months)
                months.emplace(query, plan.by_month, plan.month_leaves, plan.month_spans,
                               /*on_runs=*/false, partial[worker]);
              months->Evaluate(*job.shard);
              break;
            case Pass::kRuns:
              if (!runs)
                runs.emplace(query, plan.by_runs, plan.month_leaves, plan.month_spans,
                             /*on_runs=*/true, partial[worker]);
              runs->Evaluate(*job.shard);
              break;
            case Pass::kPayments:
              EvaluatePayments(query, plan, *job.shard, partial[worker]);
              break;
            case Pass::kPersons:
              EvaluatePersons(query, plan, *job.shard, job.persons, partial[worker]);
              break;
          }
        }
        if (months) months->Finish();
        if (runs) runs->Finish();
      } catch (...) {
        const std::lock_guard lock(failure_mutex);
        if (!failure) failure = std::current_exception();
      }
    };
    pool_->Run(workers - 1, work);
    if (failure) std::rethrow_exception(failure);
    for (size_t worker = 1; worker < workers; ++worker)
      partial[0].Merge(std::move(partial[worker]));
    if (plan.residents_by_table) CountResidents(query, partial[0]);
    if (plan.AnyBySums()) AddSums(query, plan.by_sums, partial[0]);
    return std::move(partial[0]);
  }

  struct Loaded {
    std::shared_ptr<const ReleaseData> data;
    uint64_t last_used = 0;
  };

  // Counts a query as running for as long as it lives.
  class QueryCount {
   public:
    explicit QueryCount(std::atomic<size_t>& running) : running_(running), count_(++running) {}
    ~QueryCount() { --running_; }
    QueryCount(const QueryCount&) = delete;
    QueryCount& operator=(const QueryCount&) = delete;
    size_t running() const { return count_; }  // with this one, when it started

   private:
    std::atomic<size_t>& running_;
    size_t count_;
  };

  store::Store store_;
  CodeLists codes_;
  AreaCatalog areas_;
  MeasureCatalog measures_;
  EngineSettings settings_;
  mutable std::mutex mutex_;       // guards latest_, named_, clock_
  mutable std::mutex load_mutex_;  // one release load at a time
  mutable std::shared_ptr<const ReleaseData> latest_;
  mutable std::map<std::string, Loaded> named_;
  mutable uint64_t clock_ = 0;
  mutable std::atomic<size_t> running_{0};  // queries evaluating now
  std::unique_ptr<WorkerPool> pool_;        // the helpers of every query (settings_.threads − 1)
};

}  // namespace

void LimitMallocArenas() {
  const unsigned cores = std::thread::hardware_concurrency();
  mallopt(M_ARENA_MAX, static_cast<int>(std::max(cores, 1U)));
}

std::unique_ptr<Engine> Engine::Open(const std::filesystem::path& store,
                                     const std::filesystem::path& catalog_dir,
                                     EngineSettings settings) {
  return std::make_unique<StoreEngine>(store, catalog_dir, settings);
}

}  // namespace jobindsigt::engine
