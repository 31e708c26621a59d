#pragma once
// Danish and English names of what the answer shows: statistics, totals, the country.

#include <string>

#include "engine/query.h"

namespace jobindsigt::engine {

struct Labels {
  std::string da;
  std::string en;
};

Labels StatisticLabels(Statistic statistic);
Labels TotalLabels();
Labels CountryLabels();
Labels StatusAfterLabels(int state);  // 0 benefit, 1 employed, 2 education, 3 other

// "a, b, c" of at most `limit` items, then "… (N in all)": for error messages.
std::string JoinedForMessage(const std::vector<std::string>& items, size_t limit = 20);

}  // namespace jobindsigt::engine
