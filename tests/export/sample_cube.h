#pragma once
// The small hand-built answer every export test writes: 2 statistics × 2 periods × 2 areas
// (Tårnby and `_T`) × 2 offer types (LTP and `_T`), with ok, preliminary, no_denominator and
// not_applicable cells and æ, ø, å in the labels. The expected files in golden/ were written
// from this cube by hand.

#include <string>

#include "engine/cube.h"
#include "export/export_writers.h"

namespace jobindsigt::exporting::testing {

engine::Cube SampleCube();
// Danish, codes and labels, the measures' texts, generated 2026-03-05 09:30 UTC.
ExportContext SampleContext();

// The folder of the checked-in expected files and the node script (tests/export).
std::string ExportTestDir();
std::string ReadFile(const std::string& path);
void WriteFile(const std::string& path, const std::string& bytes);
// A fresh private folder under the system's temporary folder.
std::string MakeTempDir(const std::string& prefix);

// Runs `command` through /bin/sh; returns its exit code and stdout in `output`.
int RunCommand(const std::string& command, std::string& output);
// Whether `program` is on the PATH.
bool HaveProgram(const std::string& program);

}  // namespace jobindsigt::exporting::testing
