#include "reference_evaluator.h"

#include <algorithm>
#include <stdexcept>

#include "reference_items.h"

namespace jobindsigt::test {

using engine::Statistic;

namespace {

// Whole weeks from `start` to `day`, both included: floor((day − start + 1) ÷ 7).
int WholeWeeks(DayNumber start, DayNumber day) {
  return (day - start + 1) / 7;
}

}  // namespace

ReferenceEvaluator::ReferenceEvaluator(const std::filesystem::path& sources,
                                       const std::filesystem::path& catalog_dir)
    : data_(ReadSources(sources, catalog_dir)), catalogue_(LoadRefCatalogue(catalog_dir)) {
  for (size_t i = 0; i < data_.benefits.size(); ++i) {
    benefits_of_[data_.benefits[i].person].push_back(i);
    benefits_with_[data_.benefits[i].code].push_back(i);
  }
  for (size_t i = 0; i < data_.offers.size(); ++i) offers_of_[data_.offers[i].person].push_back(i);
  for (size_t i = 0; i < data_.enrolments.size(); ++i) {
    enrolments_of_[data_.enrolments[i].person].push_back(i);
  }
}

const std::vector<RefSpell>& ReferenceEvaluator::Spells(const std::set<std::string>& codes) const {
  return SpellsOf(codes).spells;
}

const ReferenceEvaluator::GroupSpells& ReferenceEvaluator::SpellsOf(
    const std::set<std::string>& codes) const {
  const auto cached = spells_.find(codes);
  if (cached != spells_.end()) return cached->second;
  GroupSpells result;
  for (const auto& [person, all_records] : benefits_of_) {
    std::vector<size_t> records;
    for (const size_t r : all_records) {
      if (codes.count(data_.benefits[r].code) != 0) records.push_back(r);
    }
    std::sort(records.begin(), records.end(), [&](size_t a, size_t b) {
      const RefBenefit& x = data_.benefits[a];
      const RefBenefit& y = data_.benefits[b];
      return std::make_pair(x.from, x.record_id) < std::make_pair(y.from, y.record_id);
    });
    // Walk in order of `from`: a gap of fewer than 28 days off continues the spell.
    std::vector<std::vector<size_t>> spells;
    DayNumber latest_to = 0;
    for (const size_t r : records) {
      const RefBenefit& record = data_.benefits[r];
      if (spells.empty() || record.from - latest_to - 1 >= 28) {
        spells.emplace_back();
        latest_to = record.to;
      }
      spells.back().push_back(r);
      latest_to = std::max(latest_to, record.to);
    }
    for (const auto& members : spells) {
      RefSpell spell;
      spell.person = person;
      spell.first_record = members.front();
      spell.start = data_.benefits[members.front()].from;
      spell.end = spell.start;
      for (const size_t r : members) spell.end = std::max(spell.end, data_.benefits[r].to);
      bool found = false;
      for (const size_t r : members) {
        const RefBenefit& record = data_.benefits[r];
        if (record.to == spell.end &&
            (!found || record.record_id < data_.benefits[spell.end_record].record_id)) {
          spell.end_record = r;
          found = true;
        }
      }
      spell.ended = data_.cut_off - spell.end >= 28;
      for (const size_t r : members) result.spell_of_record[r] = result.spells.size();
      result.spells.push_back(spell);
    }
  }
  return spells_.emplace(codes, std::move(result)).first->second;
}

std::optional<size_t> ReferenceEvaluator::CoveringRecord(int64_t person,
                                                         const std::set<std::string>& codes,
                                                         DayNumber day) const {
  std::optional<size_t> best;
  const auto found = benefits_of_.find(person);
  if (found == benefits_of_.end()) return best;
  for (const size_t r : found->second) {
    const RefBenefit& record = data_.benefits[r];
    if (codes.count(record.code) == 0 || record.from > day || record.to < day) continue;
    if (!best || std::make_pair(record.from, record.record_id) <
                     std::make_pair(data_.benefits[*best].from, data_.benefits[*best].record_id)) {
      best = r;
    }
  }
  return best;
}

std::string ReferenceEvaluator::StatusIn(int64_t person, MonthIndex month) const {
  const DayNumber first = FirstDayOfMonth(month);
  const DayNumber last = LastDayOfMonth(month);
  const auto benefits = benefits_of_.find(person);
  if (benefits != benefits_of_.end()) {
    for (const size_t r : benefits->second) {
      if (data_.benefits[r].from <= last && data_.benefits[r].to >= first) return "benefit";
    }
  }
  if (data_.employed.count({person, month}) != 0) return "employed";
  const auto enrolments = enrolments_of_.find(person);
  if (enrolments != enrolments_of_.end()) {
    for (const size_t e : enrolments->second) {
      if (data_.enrolments[e].from <= last && data_.enrolments[e].to >= first) return "education";
    }
  }
  return "other";
}

int ReferenceEvaluator::ActivatedDays(int64_t person, DayNumber from, DayNumber to,
                                      const std::set<std::string>* types,
                                      const std::set<std::string>* providers) const {
  const auto offers = offers_of_.find(person);
  if (offers == offers_of_.end()) return 0;
  int days = 0;
  for (DayNumber day = from; day <= to; ++day) {
    for (const size_t o : offers->second) {
      const RefOffer& offer = data_.offers[o];
      if (offer.from > day || offer.to < day) continue;
      if (types != nullptr && types->count(offer.type) == 0) continue;
      if (providers != nullptr && providers->count(offer.provider) == 0) continue;
      ++days;
      break;
    }
  }
  return days;
}

void ReferenceEvaluator::FillItems(Block& block) const {
  const Period& period = block.period;
  const std::set<std::string>& codes = *block.group;
  const GroupSpells& group = SpellsOf(codes);
  std::vector<size_t> in_group;  // the benefit records with a code in G
  for (const auto& code : codes) {
    const auto found = benefits_with_.find(code);
    if (found != benefits_with_.end()) {
      in_group.insert(in_group.end(), found->second.begin(), found->second.end());
    }
  }
  // An item from a benefit record in G evaluated on `day`.
  auto from_record = [&](size_t r, DayNumber day) {
    const RefBenefit& record = data_.benefits[r];
    Item item;
    item.person = record.person;
    item.municipality = record.municipality;
    item.day = day;
    item.duration = WholeWeeks(group.spells[group.spell_of_record.at(r)].start, day);
    item.benefit = record.code;
    item.visitation = record.visitation;
    item.fund = record.fund;
    item.degree = record.degree;
    return item;
  };
  auto add_contributions = [&] {
    for (const size_t r : in_group) {
      const RefBenefit& record = data_.benefits[r];
      if (record.from > period.last_day || record.to < period.first_day) continue;
      Item item = from_record(r, std::min(record.to, period.last_day));
      item.from = std::max(record.from, period.first_day);
      item.to = item.day;
      block.items.push_back(item);
    }
  };
  auto add_residents = [&](bool resident) {
    for (const auto& [id, person] : data_.persons) {
      const auto moves = data_.moves.find(id);
      if (moves == data_.moves.end()) continue;
      // docs/measures.md: residents on the last day of P, also when it lies after the
      // cut-off day (a preliminary period).
      const DayNumber resident_day = period.last_day;
      const auto after = moves->second.upper_bound(resident_day);
      if (after == moves->second.begin()) continue;  // no move on or before the day
      const int municipality = std::prev(after)->second;
      if (municipality == 0) continue;  // abroad
      const int age = WholeYears(person.birth, resident_day);
      if (age < 16 || age > 66) continue;
      Item item;
      item.person = id;
      item.municipality = municipality;
      item.day = resident_day;
      item.resident = resident;
      block.items.push_back(item);
    }
  };
  auto add_meeting = [&](const RefMeeting& meeting, DayNumber day) {
    const auto record = CoveringRecord(meeting.person, codes, day);
    if (!record) return;
    Item item = from_record(*record, day);
    item.municipality = meeting.municipality;
    item.timely = meeting.held && *meeting.held <= meeting.due;
    block.items.push_back(item);
  };
  auto in_period = [&](DayNumber day) { return day >= period.first_day && day <= period.last_day; };

  switch (block.statistic) {
    case Statistic::kPersons:
    case Statistic::kFte:
    case Statistic::kActivatedPersons:
    case Statistic::kActivatedFte:
    case Statistic::kActivationRate:
      add_contributions();
      break;
    case Statistic::kShareOfPopulation:
      add_contributions();
      add_residents(true);
      break;
    case Statistic::kPopulation:
      add_residents(false);
      break;
    case Statistic::kPersonsStart:
    case Statistic::kPersonsEnd: {
      const DayNumber day =
          block.statistic == Statistic::kPersonsStart ? period.first_day : period.last_day;
      for (const size_t r : in_group) {
        const RefBenefit& record = data_.benefits[r];
        if (record.from <= day && record.to >= day) {
          block.items.push_back(from_record(r, day));
        }
      }
      break;
    }
    case Statistic::kSpellsStarted:
    case Statistic::kPersonsStarted:
    case Statistic::kSurvival:
      for (const RefSpell& spell : group.spells) {
        if (!in_period(spell.start)) continue;
        Item item = from_record(spell.first_record, spell.start);
        item.ended = spell.ended;
        item.survival_weeks = WholeWeeks(spell.start, spell.ended ? spell.end : data_.cut_off);
        block.items.push_back(item);
      }
      break;
    case Statistic::kSpellsEnded:
    case Statistic::kDurationEnded:
    case Statistic::kStatusAfter:
      for (const RefSpell& spell : group.spells) {
        if (!spell.ended || !in_period(spell.end)) continue;
        Item item = from_record(spell.end_record, spell.end);
        item.weeks = (spell.end - spell.start + 1) / 7.0;
        const MonthIndex month = MonthOfDay(spell.end) + block.months;
        if (month <= data_.last_month) item.status = StatusIn(spell.person, month);
        block.items.push_back(item);
      }
      break;
    case Statistic::kMeetingsDue:
    case Statistic::kMeetingsTimely:
    case Statistic::kTimeliness:
    case Statistic::kNoShows:
      for (const RefMeeting& meeting : data_.meetings) {
        if (!in_period(meeting.due)) continue;
        if (block.statistic == Statistic::kNoShows && meeting.outcome != "no_show") continue;
        add_meeting(meeting, meeting.due);
      }
      break;
    case Statistic::kMeetingsHeld:
      for (const RefMeeting& meeting : data_.meetings) {
        if (meeting.held && in_period(*meeting.held)) add_meeting(meeting, *meeting.held);
      }
      break;
    case Statistic::kExpenditureGross:
    case Statistic::kExpenditureNet:
      for (const RefPayment& payment : data_.payments) {
        if (codes.count(payment.benefit) == 0) continue;
        if (payment.month < period.first_month() || payment.month > period.last_month()) continue;
        Item item;
        item.person = payment.person;
        item.municipality = payment.municipality;
        item.day = LastDayOfMonth(payment.month);
        item.benefit = payment.benefit;
        item.cents = block.statistic == Statistic::kExpenditureGross
                         ? payment.gross_cents
                         : payment.gross_cents - payment.refund_cents;
        block.items.push_back(item);
      }
      break;
  }
}

}  // namespace jobindsigt::test
