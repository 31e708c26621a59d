#pragma once
// The generated data sets of the differential and identity tests: generated once per test
// binary, ingested into a store with the library, opened by the engine and read by the
// reference evaluator; removed at exit.

#include <unistd.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <iostream>
#include <memory>
#include <stdexcept>
#include <string>

#include "engine/engine.h"
#include "ingest/ingest_run.h"
#include "random_query.h"
#include "reference_evaluator.h"
#include "support/generated_data.h"

namespace jobindsigt::test {

namespace fs = std::filesystem;

// A generated data set, ingested into a store, with the engine and the reference on it.
struct DataSet {
  fs::path folder;
  std::unique_ptr<engine::Engine> engine;
  std::unique_ptr<ReferenceEvaluator> reference;
  QuerySpace space;

  // `months`: the number of delivery months, ending with the scale's last; 0 = the scale's.
  // `persons_per_shard`: small, so that a worker takes several shards of a query, as at
  // `full` (what each shard adds must add up: persons numbered per shard, sums by leaf
  // turned into cells once per worker).
  DataSet(const std::string& scale, uint64_t seed, int months, size_t persons_per_shard) {
    folder = TestFolder("engine_" + scale);
    fs::remove_all(folder);
    const auto started = std::chrono::steady_clock::now();
    std::atomic<bool> stop{false};
    auto generator = OptionsFor(scale, seed, folder / "sources");
    if (months > 0) generator.from = generator.until - (months - 1);
    synth::Generate(generator, stop);
    ingest::IngestOptions options;
    options.sources = folder / "sources";
    options.store = folder / "store";
    options.catalog_dir = JOBINDSIGT_TEST_CATALOG_DIR;
    options.show_progress = false;
    options.persons_per_shard = persons_per_shard;
    const auto report = ingest::Ingest(options, stop);
    if (report.status != "published") throw std::runtime_error("ingest: " + report.stop_reason);
    engine = engine::Engine::Open(folder / "store", JOBINDSIGT_TEST_CATALOG_DIR);
    reference =
        std::make_unique<ReferenceEvaluator>(folder / "sources", JOBINDSIGT_TEST_CATALOG_DIR);
    space.first_month = reference->data().first_month;
    space.cut_off = reference->data().cut_off;
    space.catalogue = &reference->catalogue();
    const auto preset = synth::FindScalePreset(scale);
    for (const int code : preset->municipalities) {
      space.municipalities.push_back(std::to_string(code));
    }
    std::cout << scale << " data set (seed " << seed << ") ready in "
              << std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count()
              << " s\n";
  }
  ~DataSet() {
    engine.reset();
    fs::remove_all(folder);
  }
};

// `tiny`'s 2,000 persons in four shards.
inline DataSet& Tiny() {
  static DataSet data("tiny", 11, 0, 512);
  return data;
}

// `small` over its last 18 delivery months: its 60,000 persons in six municipalities, in a
// time the CI budget allows under the sanitizers; in eight shards.
inline DataSet& Small() {
  static DataSet data("small", 5, 18, 8192);
  return data;
}

}  // namespace jobindsigt::test
