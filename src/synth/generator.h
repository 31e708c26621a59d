#pragma once
// `jobindsigt generate`: writes a synthetic Denmark as monthly deliveries of the data contract.
//
// Threading contract: persons are simulated in chunks on `threads` workers; each chunk's rows
// are kept in memory (at most threads + 2 chunks at a time) and appended to the files by the
// calling thread in chunk order. Every random draw is keyed by (seed, purpose, person), so
// the files are byte-identical whatever the number of threads.
//
// Nothing half-written is left behind: the files are written into a staging folder beside
// the output folder and renamed into place only when complete.

#include <array>
#include <atomic>
#include <cstdint>

#include "synth/source_files.h"
#include "synth/world.h"

namespace jobindsigt::synth {

struct GenerateSummary {
  int64_t persons = 0;
  int municipalities = 0;
  int delivery_months = 0;
  std::array<uint64_t, kSourceFileCount> rows{};
  std::array<uint64_t, kSourceFileCount> bytes{};
  double seconds = 0;
};

// Throws UserError for bad options or output folders, and when `stop` becomes true.
GenerateSummary Generate(const GeneratorOptions& options, const std::atomic<bool>& stop);

}  // namespace jobindsigt::synth
