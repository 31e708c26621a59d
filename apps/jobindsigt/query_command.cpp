// `jobindsigt query --store DIR --request FILE|- [--format jsonstat|csv|csv-dk|table]`:
// answers one query of docs/query.md from the store, on stdout.

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <iostream>
#include <iterator>
#include <sstream>

#include "apps/jobindsigt/commands.h"
#include "common/error.h"
#include "engine/engine.h"
#include "engine/query_error.h"
#include "export/cube_formats.h"
#include "server/query_request.h"

namespace jobindsigt::cli {
namespace {

struct QueryFlags {
  std::string store;
  std::string request = "-";
  std::string format = "table";
  std::string language = "da";
  std::string catalog;
  int threads = 0;
  int repeat = 1;
};

std::string ReadRequest(const std::string& path) {
  if (path == "-") {
    return {std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>()};
  }
  std::ifstream input(path, std::ios::binary);
  if (!input) {
    throw UserError(ErrorCode::kBadArgument,
                    fmt::format("cannot read the request file {}: expected a JSON query "
                                "(docs/query.md), or '-' for standard input",
                                path));
  }
  std::ostringstream text;
  text << input.rdbuf();
  return text.str();
}

int RunQuery(const QueryFlags& flags) {
  const std::string request = ReadRequest(flags.request);
  engine::Query query;
  engine::Cube cube;
  try {
    query = server::ParseQueryRequest(request);
    engine::EngineSettings settings;
    settings.threads = flags.threads;
    const auto engine = engine::Engine::Open(flags.store, CatalogDir(flags.catalog), settings);
    cube = engine->Run(query);
    if (flags.repeat > 1) {
      // Timings of warm runs (the release is loaded by the first), for quick checks; the
      // benchmarks in bench/ are the measured figures.
      std::vector<double> milliseconds;
      for (int run = 0; run < flags.repeat; ++run) {
        const auto start = std::chrono::steady_clock::now();
        cube = engine->Run(query);
        milliseconds.push_back(
            std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
                .count());
      }
      std::sort(milliseconds.begin(), milliseconds.end());
      fmt::print(stderr, "{} runs: median {:.1f} ms, min {:.1f} ms, max {:.1f} ms\n", flags.repeat,
                 milliseconds[milliseconds.size() / 2], milliseconds.front(), milliseconds.back());
    }
  } catch (const engine::QueryError& error) {
    fmt::print(stderr, "jobindsigt query: error [{}] at '{}': {}\n", error.reason(), error.field(),
               error.what());
    return kExitUsage;
  }
  const auto language =
      flags.language == "en" ? exporting::Language::kEnglish : exporting::Language::kDanish;
  if (flags.format == "jsonstat") {
    std::cout << exporting::CubeToJsonStat(cube, language) << '\n';
  } else if (flags.format == "csv") {
    std::cout << exporting::CubeToCsv(cube, exporting::CsvDialect::kInternational, language);
  } else if (flags.format == "csv-dk") {
    std::cout << exporting::CubeToCsv(cube, exporting::CsvDialect::kDanish, language);
  } else {
    std::cout << exporting::CubeToText(cube, language);
  }
  return 0;
}

}  // namespace

void AddQueryCommand(CLI::App& app, Action& action) {
  auto flags = std::make_shared<QueryFlags>();
  CLI::App* command = app.add_subcommand(
      "query", "Answer one statistics query (JSON, docs/query.md) from a store's release");
  command->add_option("--store", flags->store, "The store folder written by 'ingest'")->required();
  command->add_option("--request", flags->request, "The JSON request file, or - for stdin")
      ->capture_default_str();
  command->add_option("--format", flags->format, "Output format")
      ->check(CLI::IsMember({"jsonstat", "csv", "csv-dk", "table"}))
      ->capture_default_str();
  command->add_option("--language", flags->language, "Labels in Danish or English")
      ->check(CLI::IsMember({"da", "en"}))
      ->capture_default_str();
  command->add_option("--catalog", flags->catalog, "The catalogue folder");
  command->add_option("--threads", flags->threads, "Worker threads (0 = one per core)")
      ->check(CLI::Range(0, 256));
  command
      ->add_option("--repeat", flags->repeat,
                   "Run the query this many more times and print the timings to stderr")
      ->check(CLI::Range(1, 10000));
  command->callback([flags, &action] { action = [flags] { return RunQuery(*flags); }; });
}

}  // namespace jobindsigt::cli
