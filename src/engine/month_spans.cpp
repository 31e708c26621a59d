#include "engine/month_spans.h"

#include <algorithm>
#include <tuple>

namespace jobindsigt::engine {

void MonthSpans::Reset(size_t months, size_t leaves, bool persons, bool weighted) {
  months_ = months;
  leaves_ = leaves;
  const size_t size = (months + 1) * leaves;
  persons_.assign(persons ? size : 0, 0);
  degree_.assign(weighted ? size : 0, 0);
  weight_.assign(weighted ? size : 0, 0);
  spans_.clear();
  person_ = std::numeric_limits<uint32_t>::max();
}

void MonthSpans::MergeByLeaf() {
  std::sort(spans_.begin(), spans_.end(), [](const Span& left, const Span& right) {
    return std::tie(left.leaf, left.first) < std::tie(right.leaf, right.first);
  });
  size_t kept = 0;  // overlapping or touching spans of one leaf become one
  for (size_t at = 1; at < spans_.size(); ++at) {
    Span& merged = spans_[kept];
    const Span& next = spans_[at];
    if (next.leaf == merged.leaf && next.first <= merged.last + 1) {
      merged.last = std::max(merged.last, next.last);
    } else {
      spans_[++kept] = next;
    }
  }
  spans_.resize(kept + 1);
  // The months covered by two spans or more (now of different leaves): where the running count
  // of spans, by first month (+1) and month after the last (−1), is two or more.
  thread_local std::vector<std::pair<uint32_t, int>> changes;
  changes.clear();
  for (const Span& span : spans_) {
    changes.emplace_back(span.first, 1);
    changes.emplace_back(span.last + 1, -1);
  }
  std::sort(changes.begin(), changes.end());
  shared_.clear();
  int covering = 0;
  for (size_t at = 0; at < changes.size();) {
    const uint32_t month = changes[at].first;
    const int before = covering;
    for (; at < changes.size() && changes[at].first == month; ++at) covering += changes[at].second;
    if (before < 2 && covering >= 2) shared_.push_back({0, month, 0});
    if (before >= 2 && covering < 2) shared_.back().last = month - 1;
  }
}

}  // namespace jobindsigt::engine
