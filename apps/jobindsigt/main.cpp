// `jobindsigt`: one command with subcommands. This file only parses the command line, turns
// errors into one-line messages and exit codes, and forwards signals as a stop flag.

#include <fmt/format.h>

#include <csignal>
#include <cstdio>

#include "apps/jobindsigt/commands.h"
#include "apps/jobindsigt/stop_flag.h"
#include "common/error.h"
#include "engine/engine.h"

namespace {

void OnSignal(int) {
  jobindsigt::cli::StopFlag().store(true);
}

int RunCommandLine(int argc, char** argv) {
  CLI::App app{"Jobindsigt: employment-policy statistics from person-level records", "jobindsigt"};
  app.require_subcommand(1);
  jobindsigt::cli::Action action;
  jobindsigt::cli::AddGenerateCommand(app, action);
  jobindsigt::cli::AddIngestCommand(app, action);
  jobindsigt::cli::AddReleasesCommand(app, action);
  jobindsigt::cli::AddQueryCommand(app, action);
  jobindsigt::cli::AddServeCommand(app, action);

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& help) {
    return app.exit(help);
  } catch (const CLI::CallForAllHelp& help) {
    return app.exit(help);
  } catch (const CLI::ParseError& error) {
    const auto* failing = app.get_subcommands().empty() ? &app : app.get_subcommands().front();
    fmt::print(stderr, "{}: error: {}\nRun '{} --help' for the flags and what they expect.\n",
               failing->get_name(), error.what(),
               failing == &app ? "jobindsigt" : "jobindsigt " + failing->get_name());
    return jobindsigt::cli::kExitUsage;
  }

  std::signal(SIGINT, OnSignal);
  std::signal(SIGTERM, OnSignal);
  try {
    return action();
  } catch (const jobindsigt::UserError& error) {
    fmt::print(stderr, "jobindsigt: error [{}]: {}\n", jobindsigt::ErrorCodeName(error.code()),
               error.what());
    switch (error.code()) {
      case jobindsigt::ErrorCode::kIoFailure:
        return jobindsigt::cli::kExitFailure;
      case jobindsigt::ErrorCode::kInterrupted:
        return jobindsigt::cli::kExitInterrupted;
      default:
        return jobindsigt::cli::kExitUsage;
    }
  } catch (const std::exception& error) {
    fmt::print(stderr, "jobindsigt: internal error: {}\n", error.what());
    return jobindsigt::cli::kExitFailure;
  }
}

}  // namespace

int main(int argc, char** argv) {
  jobindsigt::engine::LimitMallocArenas();
  try {
    return RunCommandLine(argc, argv);
  } catch (...) {
    std::fputs("jobindsigt: internal error while reporting an error\n", stderr);
    return jobindsigt::cli::kExitFailure;
  }
}
