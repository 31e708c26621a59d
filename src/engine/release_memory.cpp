// Where a loaded release's memory goes (MemoryByPart, release_data.h): the bytes each part's
// arrays hold, for the engine benchmark.
#include <algorithm>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "engine/release_data.h"

namespace jobindsigt::engine {

size_t NarrowAmounts::bytes() const {
  return narrow_.capacity() * sizeof(int32_t) + wide_.capacity() * sizeof(wide_[0]);
}

namespace {

template <typename T>
size_t BytesOf(const std::vector<T>& values) {
  return values.capacity() * sizeof(T);
}

template <typename T>
size_t BytesOf(const std::vector<std::vector<T>>& lists) {
  size_t bytes = lists.capacity() * sizeof(std::vector<T>);
  for (const auto& list : lists) bytes += BytesOf(list);
  return bytes;
}

}  // namespace

std::vector<std::pair<std::string, size_t>> MemoryByPart(const ReleaseData& data) {
  std::map<std::string, size_t> parts;
  for (const Shard& shard : data.shards) {
    const PersonColumns& persons = shard.persons;
    parts["persons"] += BytesOf(persons.id) + BytesOf(persons.birth_day) +
                        BytesOf(persons.birth_packed) + BytesOf(persons.sex) +
                        BytesOf(persons.origin) + BytesOf(persons.education);
    const BenefitColumns& benefits = shard.benefits;
    parts["benefits"] += BytesOf(benefits.ranges.begin) + BytesOf(benefits.record_order) +
                         BytesOf(benefits.benefit) + BytesOf(benefits.municipality) +
                         BytesOf(benefits.from) + BytesOf(benefits.to) +
                         BytesOf(benefits.degree_millionths) + BytesOf(benefits.visitation) +
                         BytesOf(benefits.fund);
    parts["benefits: row person, spell start, stretches"] +=
        BytesOf(benefits.person) + BytesOf(benefits.own_spell_start) + BytesOf(benefits.apart) +
        BytesOf(benefits.spell_first) + BytesOf(benefits.spell_end);
    for (const GroupSpellBits& bits : benefits.group_spells)
      parts["benefits: spells of the catalogue's groups"] +=
          BytesOf(bits.first) + BytesOf(bits.end);
    const OfferColumns& offers = shard.offers;
    parts["offers"] += BytesOf(offers.ranges.begin) + BytesOf(offers.from) + BytesOf(offers.to) +
                       BytesOf(offers.type) + BytesOf(offers.provider);
    const MeetingColumns& meetings = shard.meetings;
    parts["meetings"] += BytesOf(meetings.ranges.begin) + BytesOf(meetings.municipality) +
                         BytesOf(meetings.due) + BytesOf(meetings.held) + BytesOf(meetings.outcome);
    const PaymentColumns& payments = shard.payments;
    parts["payments"] += BytesOf(payments.month_begin) + BytesOf(payments.person) +
                         BytesOf(payments.benefit) + BytesOf(payments.municipality) +
                         payments.gross_ore.bytes() + payments.refund_ore.bytes();
    parts["employment"] += BytesOf(shard.employment.ranges.begin) +
                           BytesOf(shard.employment.first) + BytesOf(shard.employment.last);
    parts["education"] += BytesOf(shard.education.ranges.begin) + BytesOf(shard.education.from) +
                          BytesOf(shard.education.to);
    parts["residence"] += BytesOf(shard.residence.ranges.begin) + BytesOf(shard.residence.from) +
                          BytesOf(shard.residence.municipality);
    parts["benefit municipality index"] += BytesOf(shard.benefit_municipalities);
    parts["benefit month index"] += BytesOf(shard.benefit_months.begin) +
                                    BytesOf(shard.benefit_months.beginning) +
                                    BytesOf(shard.benefit_months.rows);
    parts["benefit code sets"] += BytesOf(shard.benefit_code_sets.months);
    const BenefitColumns& runs = shard.runs;
    parts["benefit runs and their month index, latest months"] +=
        BytesOf(runs.person) + BytesOf(runs.benefit) + BytesOf(runs.municipality) +
        BytesOf(runs.from) + BytesOf(runs.to) + BytesOf(runs.degree_millionths) +
        BytesOf(runs.visitation) + BytesOf(runs.fund) + BytesOf(shard.run_months.begin) +
        BytesOf(shard.run_months.beginning) + BytesOf(shard.run_months.rows);
  }
  parts["resident table"] += BytesOf(data.residents.counts);
  parts["sums by month, code and municipality"] += BytesOf(data.sums.fte_day_millionths) +
                                                   BytesOf(data.sums.gross_ore) +
                                                   BytesOf(data.sums.refund_ore);
  const MonthCodeSums::ByAge& by_age = data.sums.by_age;
  parts["full-time sums by age, latest months"] +=
      BytesOf(by_age.fte_day_millionths) + BytesOf(by_age.contributions);
  parts["persons by month, municipality and age, latest months"] +=
      BytesOf(by_age.persons) + BytesOf(by_age.several_begin) + BytesOf(by_age.several_codes) +
      BytesOf(by_age.mixed_begin) + BytesOf(by_age.mixed_places) + BytesOf(by_age.places);
  parts["meetings by month, municipality and codes"] +=
      BytesOf(data.meetings.month_begin) + BytesOf(data.meetings.entries);
  std::vector<std::pair<std::string, size_t>> result(parts.begin(), parts.end());
  std::stable_sort(result.begin(), result.end(),
                   [](const auto& a, const auto& b) { return a.second > b.second; });
  return result;
}

}  // namespace jobindsigt::engine
