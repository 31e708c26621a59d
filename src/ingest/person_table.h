#pragma once
// The persons known so far, by id: an open-addressing table (linear probing, at most half
// full). Every row of every source looks its person up, and at full scale the table has
// millions of entries, so a lookup should cost one cache miss, not a node chase.

#include <cstdint>
#include <limits>
#include <vector>

#include "common/date.h"
#include "common/prefetch.h"
#include "common/random.h"

namespace jobindsigt::ingest {

// A person as the checks of other sources see them: birth day (the latest delivered) and
// the first delivery that had them; a row of an earlier delivery does not know them yet.
struct KnownPerson {
  DayNumber birth = 0;
  MonthIndex since = std::numeric_limits<MonthIndex>::min();
};

class PersonTable {
 public:
  size_t size() const { return size_; }

  const KnownPerson* Find(int64_t id) const {
    if (slots_.empty() || id == kEmpty) return nullptr;
    for (size_t slot = SlotOf(id);; slot = (slot + 1) & mask_) {
      if (slots_[slot].id == id) return &slots_[slot].person;
      if (slots_[slot].id == kEmpty) return nullptr;
    }
  }

  // Asks for the cache line of the slot a Find(id) starts at.
  void Prefetch(int64_t id) const {
    if (slots_.empty()) return;
    jobindsigt::Prefetch(&slots_[SlotOf(id)]);
  }

  // The entry of `id`, added with `person` when absent; `added` says which.
  KnownPerson& Insert(int64_t id, const KnownPerson& person, bool& added) {
    if ((size_ + 1) * 2 > slots_.size()) Grow();
    size_t slot = SlotOf(id);
    while (slots_[slot].id != kEmpty && slots_[slot].id != id) slot = (slot + 1) & mask_;
    added = slots_[slot].id == kEmpty;
    if (added) {
      slots_[slot] = Slot{id, person};
      ++size_;
    }
    return slots_[slot].person;
  }

 private:
  // Ids are positive (type `id`), so the smallest integer marks a free slot.
  static constexpr int64_t kEmpty = std::numeric_limits<int64_t>::min();
  struct Slot {
    int64_t id = kEmpty;
    KnownPerson person;
  };

  size_t SlotOf(int64_t id) const { return Mix64(static_cast<uint64_t>(id)) & mask_; }

  void Grow() {
    std::vector<Slot> old = std::move(slots_);
    slots_.assign(old.empty() ? 1024 : old.size() * 2, Slot{});
    mask_ = slots_.size() - 1;
    size_ = 0;
    bool added = false;
    for (const Slot& slot : old) {
      if (slot.id != kEmpty) Insert(slot.id, slot.person, added);
    }
  }

  std::vector<Slot> slots_;
  size_t mask_ = 0;
  size_t size_ = 0;
};

}  // namespace jobindsigt::ingest
