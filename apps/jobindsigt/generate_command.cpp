// `jobindsigt generate`: the synthetic Denmark.

#include <fmt/format.h>
#include <unistd.h>

#include <charconv>
#include <cstdlib>
#include <memory>
#include <string>
#include <thread>

#include "apps/jobindsigt/commands.h"
#include "apps/jobindsigt/stop_flag.h"
#include "common/error.h"
#include "synth/generator.h"

namespace jobindsigt::cli {
namespace {

struct GenerateFlags {
  std::string scale;
  std::string seed;
  std::string out;
  std::string from;
  std::string until;
  int threads = 0;
  std::string catalog;
  bool force = false;
  bool quiet = false;
};

std::string JoinNames(const std::vector<std::string>& names) {
  std::string joined;
  for (const auto& name : names) joined += (joined.empty() ? "" : "|") + name;
  return joined;
}

MonthIndex ParseMonthFlag(const std::string& flag, const std::string& text) {
  const auto month = ParseYearMonth(text);
  if (!month) {
    throw UserError(
        ErrorCode::kBadArgument,
        fmt::format("{} '{}' is not a month: expected YYYY-MM, e.g. 2024-01", flag, text));
  }
  return *month;
}

uint64_t ParseSeed(const std::string& text) {
  uint64_t seed = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), seed);
  if (text.empty() || error != std::errc() || end != text.data() + text.size()) {
    throw UserError(ErrorCode::kBadArgument,
                    fmt::format("--seed '{}' is not a number: expected a whole number 0 … {}", text,
                                std::numeric_limits<uint64_t>::max()));
  }
  return seed;
}

synth::GeneratorOptions ToOptions(const GenerateFlags& flags) {
  synth::GeneratorOptions options;
  const auto preset = synth::FindScalePreset(flags.scale);
  if (!preset) {
    throw UserError(ErrorCode::kBadArgument,
                    fmt::format("--scale '{}' is not a scale: expected one of {}", flags.scale,
                                JoinNames(synth::ScalePresetNames())));
  }
  options.preset = *preset;
  options.seed = ParseSeed(flags.seed);
  options.from = flags.from.empty() ? preset->default_from : ParseMonthFlag("--from", flags.from);
  options.until =
      flags.until.empty() ? preset->default_until : ParseMonthFlag("--until", flags.until);
  options.threads = flags.threads > 0
                        ? flags.threads
                        : static_cast<int>(std::max(1U, std::thread::hardware_concurrency()));
  options.out_dir = flags.out;
  options.catalog_dir = CatalogDir(flags.catalog);
  options.force = flags.force;
  options.show_progress = !flags.quiet;
  return options;
}

void PrintSummary(const synth::GenerateSummary& summary, const synth::GeneratorOptions& options) {
  fmt::print(
      "generated scale {} seed {}: {} persons in {} municipalities, {} deliveries {} … {}, in "
      "{:.1f} s\n",
      options.preset.name, options.seed, summary.persons, summary.municipalities,
      summary.delivery_months, FormatYearMonth(options.from), FormatYearMonth(options.until),
      summary.seconds);
  uint64_t total_bytes = 0;
  for (int file = 0; file < synth::kSourceFileCount; ++file) {
    fmt::print("  {:<16} {:>13} rows {:>10.1f} MB\n", synth::kSourceFiles[file].file_name,
               summary.rows[file], summary.bytes[file] / 1e6);
    total_bytes += summary.bytes[file];
  }
  fmt::print("  {:<16} {:>13}      {:>10.1f} MB in {}\n", "total", "", total_bytes / 1e6,
             options.out_dir.string());
}

}  // namespace

void AddGenerateCommand(CLI::App& app, Action& action) {
  auto flags = std::make_shared<GenerateFlags>();
  CLI::App* command = app.add_subcommand(
      "generate",
      "Write a synthetic Denmark: one folder per delivery month with every source file of the "
      "data contract. The same scale and seed give byte-identical files.");
  command->add_option("--scale", flags->scale, "Size: " + JoinNames(synth::ScalePresetNames()))
      ->required();
  command->add_option("--seed", flags->seed, "Random seed, a whole number")->required();
  command->add_option("--out", flags->out, "Output folder (new or empty; see --force)")->required();
  command->add_option("--from", flags->from, "First delivery month YYYY-MM (default: the scale's)");
  command->add_option(
      "--until", flags->until,
      "Last delivery month YYYY-MM; its last day is the cut-off day (default: the scale's)");
  command->add_option("--threads", flags->threads, "Worker threads (default: all cores)")
      ->check(CLI::Range(1, 256));
  command->add_option("--catalog", flags->catalog,
                      "Catalogue folder (default: $JOBINDSIGT_CATALOG or the built-in path)");
  command->add_flag("--force", flags->force,
                    "Replace an output folder written by an earlier generate");
  command->add_flag("--quiet", flags->quiet, "No progress output");
  command->callback([flags, &action] {
    action = [flags] {
      const auto options = ToOptions(*flags);
      const auto summary = synth::Generate(options, StopFlag());
      PrintSummary(summary, options);
      return 0;
    };
  });
}

}  // namespace jobindsigt::cli
