#pragma once
// The subcommands of `jobindsigt`. Each registers its flags on the shared CLI11 app and
// returns the action to run once the command line has parsed.

#include <CLI/CLI.hpp>
#include <cstdlib>
#include <functional>
#include <string>

namespace jobindsigt::cli {

using Action = std::function<int()>;

// Exit codes: 0 done, 1 failed while running, 2 bad command line or input, 3 an ingest that
// published nothing (rejected file or too much quarantine), 130 interrupted.
inline constexpr int kExitFailure = 1;
inline constexpr int kExitUsage = 2;
inline constexpr int kExitNotPublished = 3;
inline constexpr int kExitInterrupted = 130;

// The catalogue folder: the --catalog flag, else $JOBINDSIGT_CATALOG, else the built-in path.
inline std::string CatalogDir(const std::string& flag) {
  if (!flag.empty()) return flag;
  if (const char* from_environment = std::getenv("JOBINDSIGT_CATALOG")) return from_environment;
  return JOBINDSIGT_CATALOG_DIR;
}

void AddGenerateCommand(CLI::App& app, Action& action);
void AddIngestCommand(CLI::App& app, Action& action);
void AddReleasesCommand(CLI::App& app, Action& action);
void AddQueryCommand(CLI::App& app, Action& action);
void AddServeCommand(CLI::App& app, Action& action);

}  // namespace jobindsigt::cli
