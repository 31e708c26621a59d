#include "ingest/delivery_plan.h"

#include <fmt/format.h>

#include <algorithm>

#include "common/error.h"

namespace jobindsigt::ingest {

std::vector<MonthIndex> PlanDeliveries(const std::filesystem::path& sources,
                                       const std::vector<MonthIndex>& ingested,
                                       std::optional<MonthIndex> until) {
  std::error_code error;
  if (!std::filesystem::is_directory(sources, error)) {
    throw UserError(ErrorCode::kBadInput,
                    fmt::format("--sources {} is not a folder: expected one folder per delivery "
                                "month (YYYY-MM)",
                                sources.string()));
  }
  std::vector<MonthIndex> found;
  for (const auto& entry : std::filesystem::directory_iterator(sources)) {
    const std::string name = entry.path().filename().string();
    if (name.empty() || name[0] == '.') continue;
    const auto month = ParseYearMonth(name);
    if (!entry.is_directory() || !month) {
      throw UserError(ErrorCode::kBadInput,
                      fmt::format("{}: '{}' is not a delivery: expected only folders named YYYY-MM",
                                  sources.string(), name));
    }
    found.push_back(*month);
  }
  std::sort(found.begin(), found.end());
  std::vector<MonthIndex> plan;
  const std::optional<MonthIndex> last_ingested =
      ingested.empty() ? std::nullopt : std::optional<MonthIndex>(ingested.back());
  for (const MonthIndex month : found) {
    if (until && month > *until) break;
    if (std::binary_search(ingested.begin(), ingested.end(), month)) continue;
    if (last_ingested && month < *last_ingested) {
      throw UserError(ErrorCode::kBadInput,
                      fmt::format("delivery {} arrives after {} was ingested: expected deliveries "
                                  "in order (re-ingest from scratch into a new store to take it)",
                                  FormatYearMonth(month), FormatYearMonth(*last_ingested)));
    }
    const MonthIndex expected = !plan.empty()   ? plan.back() + 1
                                : last_ingested ? *last_ingested + 1
                                                : month;
    if (month != expected) {
      throw UserError(ErrorCode::kBadInput,
                      fmt::format("delivery {} is missing in {}: expected every month from {} on "
                                  "before {}",
                                  FormatYearMonth(expected), sources.string(),
                                  FormatYearMonth(expected), FormatYearMonth(month)));
    }
    plan.push_back(month);
  }
  return plan;
}

}  // namespace jobindsigt::ingest
