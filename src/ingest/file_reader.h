#pragma once
// Reads one delivered source file as its declaration says, checks every field, and sets
// aside what fails: a whole file (missing, wrong header, wrong encoding, empty) is rejected;
// a row that fails is quarantined with its file, line, field, value and reason. For every
// file: rows read = rows loaded + rows quarantined.

#include <filesystem>
#include <vector>

#include "ingest/source_rows.h"

namespace jobindsigt::ingest {

struct ReadContext {
  const DataflowCatalog* catalog = nullptr;
  const PersonBirths* persons = nullptr;  // null for the file that defines persons
  MonthIndex delivery = 0;
};

// Appends the file's good rows to `out` and its bad rows to `quarantine`.
FileReport ReadSourceFile(const SourceSpec& spec, const std::filesystem::path& path,
                          const ReadContext& context, SourceRows& out,
                          std::vector<QuarantinedRow>& quarantine);

}  // namespace jobindsigt::ingest
