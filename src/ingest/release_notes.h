#pragma once
// Release notes: for each benefit, whether its records changed against the previous release
// and the first month from which numbers can differ. Computed from the records themselves:
// a new, deleted or changed record changes its benefit from its first affected day.

#include <vector>

#include "ingest/run_report.h"

namespace jobindsigt::ingest {

std::vector<ReleaseNote> CompareBenefits(const SourceRows& previous, const SourceRows& current,
                                         bool had_previous_release);

}  // namespace jobindsigt::ingest
