#pragma once
// The release calendar (catalog/release_calendar.toml): the planned publication day of each
// delivery month's release, set beside the releases actually published (/api/v1/calendar).

#include <filesystem>
#include <nlohmann/json.hpp>
#include <vector>

#include "common/date.h"
#include "store/store.h"

namespace jobindsigt::server {

struct PlannedRelease {
  MonthIndex covers = 0;  // the delivery month the release adds (its cut-off month)
  DayNumber planned = 0;  // the planned publication day
};

// Reads `path`; entries come back sorted by month. A missing file is an empty calendar (none
// planned yet). Throws UserError(kBadCatalog) naming the file, the line, the entry and the
// field for a file that cannot be parsed, an unknown key, a month or day that is not a real
// one, a planned day before the month has ended, or a month listed twice.
std::vector<PlannedRelease> LoadReleaseCalendar(const std::filesystem::path& path);

// [{"covers": "2026-10", "planned": "2026-11-19", "release": "r000001" | null,
//   "published": "2026-11-26" | null}, …]: a release belongs to the entry of its cut-off
// month; when several do (a month published again), the first one created is shown.
nlohmann::ordered_json CalendarJson(const std::vector<PlannedRelease>& calendar,
                                    const store::Store& store);

}  // namespace jobindsigt::server
