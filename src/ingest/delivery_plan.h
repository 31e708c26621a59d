#pragma once
// Which delivery folders an ingest run takes: those not yet ingested, in order, with no month
// missing and none arriving after a later month was ingested.

#include <filesystem>
#include <optional>
#include <vector>

#include "common/date.h"

namespace jobindsigt::ingest {

// `ingested`: the months the current release holds (sorted; empty for a new store).
// `until`: take no month after it. Throws UserError(kBadInput) naming the month and what
// was expected when a month is missing or out of order, or a folder name is not a month.
std::vector<MonthIndex> PlanDeliveries(const std::filesystem::path& sources,
                                       const std::vector<MonthIndex>& ingested,
                                       std::optional<MonthIndex> until);

}  // namespace jobindsigt::ingest
