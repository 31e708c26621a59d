// The release's meetings summed by the month of their due day, municipality and the codes of
// the person's benefit records covering the due day (MeetingSums, release_data.h).
#include <algorithm>
#include <atomic>
#include <map>
#include <thread>
#include <tuple>
#include <unordered_map>
#include <vector>

#include "engine/release_data.h"

namespace jobindsigt::engine {
namespace {

struct Key {
  MonthIndex month = 0;
  int16_t municipality = -1;
  uint64_t codes = 0;
  bool operator==(const Key&) const = default;
  bool operator<(const Key& other) const {
    return std::tie(month, municipality, codes) <
           std::tie(other.month, other.municipality, other.codes);
  }
};

struct KeyHash {
  size_t operator()(const Key& key) const {
    return std::hash<uint64_t>()(key.codes * 0x9e3779b97f4a7c15ULL ^
                                 (static_cast<uint64_t>(static_cast<uint32_t>(key.month)) << 16) ^
                                 static_cast<uint16_t>(key.municipality));
  }
};

using Counts = std::unordered_map<Key, MeetingSums::Entry, KeyHash>;

// Adds one shard's meetings to `counts`: each meeting due on or before the cut-off whose
// person has a benefit record covering the due day (PersonPass::Meetings counts no other).
void AddShard(const Shard& shard, DayNumber cut_off, Counts& counts) {
  const MeetingColumns& meetings = shard.meetings;
  const BenefitColumns& benefits = shard.benefits;
  for (size_t person = 0; person < shard.persons.size(); ++person) {
    const uint32_t first_row = benefits.ranges.First(person);
    const uint32_t end_row = benefits.ranges.Last(person);
    if (first_row == end_row) continue;
    for (uint32_t meeting = meetings.ranges.First(person); meeting < meetings.ranges.Last(person);
         ++meeting) {
      const DayNumber due = meetings.due[meeting];
      if (due == kNoDay || due > cut_off) continue;
      uint64_t codes = 0;  // the person's rows are sorted by from
      for (uint32_t row = first_row; row < end_row && benefits.from[row] <= due; ++row) {
        const int code = CodeOf(benefits.benefit[row]);
        if (code >= 0 && benefits.to[row] >= due) codes |= uint64_t{1} << code;
      }
      if (codes == 0) continue;
      MeetingSums::Entry& entry = counts[{MonthOfDay(due), meetings.municipality[meeting], codes}];
      const DayNumber held = meetings.held[meeting];
      ++entry.due;
      entry.timely += held != kNoDay && held <= due ? 1 : 0;
      entry.no_shows += meetings.outcome[meeting] == kNoShow ? 1 : 0;
    }
  }
}

}  // namespace

MeetingSums SumMeetings(const ReleaseData& data, int threads) {
  const int workers =
      std::clamp(threads, 1, static_cast<int>(std::max<size_t>(data.shards.size(), 1)));
  std::vector<Counts> partial(static_cast<size_t>(workers));
  std::atomic<size_t> next{0};
  auto work = [&](size_t worker) {
    for (size_t shard = next++; shard < data.shards.size(); shard = next++)
      AddShard(data.shards[shard], data.cut_off_day, partial[worker]);
  };
  {
    std::vector<std::jthread> others;
    for (size_t worker = 1; worker < partial.size(); ++worker) others.emplace_back(work, worker);
    work(0);
  }
  std::map<Key, MeetingSums::Entry> ordered;
  for (const Counts& part : partial) {
    for (const auto& [key, counts] : part) {
      MeetingSums::Entry& entry = ordered[key];
      entry.due += counts.due;
      entry.timely += counts.timely;
      entry.no_shows += counts.no_shows;
    }
  }
  MeetingSums sums;
  if (ordered.empty()) return sums;
  sums.first_month = ordered.begin()->first.month;
  for (const auto& [key, counts] : ordered) {
    const auto at = static_cast<size_t>(key.month - sums.first_month);
    while (sums.month_begin.size() <= at)
      sums.month_begin.push_back(static_cast<uint32_t>(sums.entries.size()));
    MeetingSums::Entry entry = counts;
    entry.codes = key.codes;
    entry.municipality = key.municipality;
    sums.entries.push_back(entry);
  }
  sums.month_begin.push_back(static_cast<uint32_t>(sums.entries.size()));
  return sums;
}

}  // namespace jobindsigt::engine
