#pragma once
// Persons and full-time days of one month-pass group by month and leaf, taken from spans of
// months rather than one contribution per month (month_pass.cpp, docs/decisions/0014-…).
// A benefit row held over many months counts its person in the same leaf every month it
// covers: that is one span, added in constant time to running differences, where a
// contribution per month cost most of a table of months. A person counts once per month and
// leaf however many of their spans cover it: their spans are merged by leaf before they are
// added. Internal to the month pass.

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <vector>

namespace jobindsigt::engine {

class MonthSpans {
 public:
  // For `months` months (numbered from 0) of `leaves` leaves each, counting persons and/or
  // full-time weight.
  void Reset(size_t months, size_t leaves, bool persons, bool weighted);

  // `person` is in `leaf` in every month of first … last. A person's spans come together:
  // a new person ends the previous one's (EndPerson).
  template <typename Shared>
  void AddPerson(uint32_t person, uint32_t leaf, uint32_t first, uint32_t last, Shared shared) {
    if (person != person_) {
      EndPerson(shared);
      person_ = person;
    }
    // The person's rows come by `from`: a row of the same leaf as the one before usually
    // follows on from it (payment periods one after another), and their union is one span. Joined
    // here, nearly every person ends with one span and needs no merging.
    if (!spans_.empty()) {
      Span& previous = spans_.back();
      if (previous.leaf == leaf && first <= previous.last + 1 && last + 1 >= previous.first) {
        previous.first = std::min(previous.first, first);
        previous.last = std::max(previous.last, last);
        return;
      }
    }
    spans_.push_back({leaf, first, last});
  }
  // In every month of first … last (each wholly covered): `millionths` for each of its days.
  void AddDegree(uint32_t leaf, uint32_t first, uint32_t last, int64_t millionths) {
    degree_[first * leaves_ + leaf] += millionths;
    degree_[(last + 1) * leaves_ + leaf] -= millionths;
  }
  // `weight` (full-time days in millionths) in `month`.
  void AddWeight(uint32_t leaf, uint32_t month, int64_t weight) {
    weight_[month * leaves_ + leaf] += weight;
  }
  // Adds the current person's spans (the last person's, before the sums are read). In a month
  // where they have several leaves (a move, two ages) they count once in each cell those
  // leaves share, which differences by leaf cannot say: those months are left to
  // shared(person, month, leaf), called for each such month and leaf.
  template <typename Shared>
  void EndPerson(Shared shared) {
    if (spans_.size() == 1) {  // nearly everyone: rows of one leaf in a run
      Add(spans_.front());
    } else if (!spans_.empty()) {
      MergeByLeaf();
      for (const Span& span : spans_) {
        // The parts of the span outside every month shared with another leaf.
        uint32_t from = span.first;
        for (const Span& shared_months : shared_) {
          if (shared_months.last < from || shared_months.first > span.last) continue;
          if (shared_months.first > from) Add({span.leaf, from, shared_months.first - 1});
          const uint32_t until = std::min(span.last, shared_months.last);
          for (uint32_t month = std::max(from, shared_months.first); month <= until; ++month)
            shared(person_, month, span.leaf);
          from = until + 1;
        }
        if (from <= span.last) Add({span.leaf, from, span.last});
      }
    }
    spans_.clear();
    person_ = std::numeric_limits<uint32_t>::max();  // (numbers are per shard)
  }
  // Calls add(month, leaf, persons, weight) for every month and leaf with a person or a
  // weight; `month_days[month]` is each month's number of days. Integers throughout: the
  // same sums in any order.
  template <typename Add>
  void ForEach(const std::vector<int64_t>& month_days, Add add) const {
    std::vector<int64_t> persons(persons_.empty() ? 0 : leaves_, 0);
    std::vector<int64_t> degree(degree_.empty() ? 0 : leaves_, 0);
    for (size_t month = 0; month < months_; ++month) {
      for (size_t leaf = 0; leaf < leaves_; ++leaf) {
        const size_t at = month * leaves_ + leaf;
        int64_t persons_here = 0;
        int64_t weight_here = 0;
        if (!persons_.empty()) persons_here = persons[leaf] += persons_[at];
        if (!degree_.empty()) {
          degree[leaf] += degree_[at];
          weight_here = degree[leaf] * month_days[month] + weight_[at];
        }
        if (persons_here != 0 || weight_here != 0) add(month, leaf, persons_here, weight_here);
      }
    }
  }

 private:
  struct Span {
    uint32_t leaf;
    uint32_t first;
    uint32_t last;
  };
  void Add(const Span& span) {
    persons_[span.first * leaves_ + span.leaf] += 1;
    persons_[(span.last + 1) * leaves_ + span.leaf] -= 1;
  }
  // Merges each leaf's spans into their union, and finds the months held by several leaves
  // (shared_, ascending and apart).
  void MergeByLeaf();

  size_t months_ = 0;
  size_t leaves_ = 0;
  // Differences over the months ([month × leaves + leaf], one month more): a span adds at its
  // first month and takes away after its last.
  std::vector<int64_t> persons_;
  std::vector<int64_t> degree_;
  std::vector<int64_t> weight_;  // the partly covered months' weight, as it is
  std::vector<Span> spans_;      // the current person's
  std::vector<Span> shared_;     // months of the current person held by several leaves
  uint32_t person_ = std::numeric_limits<uint32_t>::max();
};

}  // namespace jobindsigt::engine
