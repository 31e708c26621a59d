#include "ingest/release_notes.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <unordered_map>

#include "common/period.h"
#include "ingest/release_tables.h"

namespace jobindsigt::ingest {
namespace {

// Whether two versions agree on every field but `skip_field` (-1: compare all).
bool SameValues(const SourceRows& a, size_t row_a, const SourceRows& b, size_t row_b,
                int skip_field = -1) {
  for (size_t field = 0; field < a.columns.size(); ++field) {
    if (static_cast<int>(field) == skip_field) continue;
    if (a.spec->fields[field].type == FieldType::kDecimal) {
      const double left = a.columns[field].reals[row_a];
      const double right = b.columns[field].reals[row_b];
      if (left != right && !(std::isnan(left) && std::isnan(right))) return false;
    } else if (a.columns[field].ints[row_a] != b.columns[field].ints[row_b]) {
      return false;
    }
  }
  return true;
}

// Where a source keeps what a record's first affected day is made of.
struct DayFields {
  int code = -1;  // benefit_code, when the source has one
  int to = -1;    // to_date, when the source has one: a change of the end alone
  std::vector<int> days;
  std::vector<int> months;
};

DayFields DayFieldsOf(const SourceSpec& spec) {
  DayFields fields;
  const int code = spec.FieldIndex("benefit_code");
  if (code >= 0 && spec.fields[code].type == FieldType::kCode) fields.code = code;
  const int to = spec.FieldIndex("to_date");
  if (to >= 0 && spec.fields[to].type == FieldType::kDate) fields.to = to;
  for (size_t field = 0; field < spec.fields.size(); ++field) {
    if (spec.fields[field].type == FieldType::kDate) fields.days.push_back(static_cast<int>(field));
    if (spec.fields[field].type == FieldType::kMonth)
      fields.months.push_back(static_cast<int>(field));
  }
  return fields;
}

// The earliest of a record's dates and months (the first day of a month); a record without
// any counts from the start.
DayNumber EarliestDay(const SourceRows& rows, size_t row, const DayFields& fields) {
  int64_t day = std::numeric_limits<int64_t>::max();
  for (const int field : fields.days) {
    const int64_t value = rows.Int(field, row);
    if (value != kMissing) day = std::min(day, value);
  }
  for (const int field : fields.months) {
    const int64_t value = rows.Int(field, row);
    if (value != kMissing)
      day = std::min<int64_t>(day, FirstDayOfMonth(static_cast<MonthIndex>(value)));
  }
  if (day == std::numeric_limits<int64_t>::max()) return std::numeric_limits<DayNumber>::min();
  return static_cast<DayNumber>(day);
}

// The first day from which a touched pair (previous row or -1, surviving row or -1) can
// change numbers; kNoChange when both versions agree.
DayNumber FirstAffectedDay(const SourceRows& rows, int64_t old_row, int64_t row,
                           const DayFields& fields) {
  if (old_row < 0 && row < 0) return kNoChange;
  if (old_row < 0) return EarliestDay(rows, static_cast<size_t>(row), fields);
  if (row < 0) return EarliestDay(rows, static_cast<size_t>(old_row), fields);
  const auto before = static_cast<size_t>(old_row);
  const auto now = static_cast<size_t>(row);
  if (SameValues(rows, before, rows, now)) return kNoChange;
  if (fields.to >= 0 && SameValues(rows, before, rows, now, fields.to)) {
    auto end_of = [&](size_t index) {
      const int64_t value = rows.Int(fields.to, index);
      return value == kMissing ? std::numeric_limits<int64_t>::max() : value;
    };
    const int64_t end = std::min(end_of(before), end_of(now));
    if (end >= std::numeric_limits<DayNumber>::max() - 1) return kNoChange;  // both open
    return static_cast<DayNumber>(end + 1);
  }
  return std::min(EarliestDay(rows, before, fields), EarliestDay(rows, now, fields));
}

}  // namespace

SourceChanges::SourceChanges(size_t code_count)
    : by_code(code_count, kNoChange),
      had_data(std::max<size_t>(code_count, 1), false),
      has_data(std::max<size_t>(code_count, 1), false) {}

void SourceChanges::CompareTouched(const SourceRows& rows, size_t previous_count,
                                   const std::vector<size_t>& live,
                                   const std::vector<std::pair<int64_t, int64_t>>& touched,
                                   bool by_person) {
  const DayFields fields = DayFieldsOf(*rows.spec);
  const bool of_persons = HasPersons(*rows.spec);
  if (fields.code >= 0) {
    const size_t codes = rows.spec->fields[fields.code].code_list->codes.size();
    if (by_code.size() < codes) by_code.resize(codes, kNoChange);
    if (had_data.size() < codes) had_data.resize(codes, false);
    if (has_data.size() < codes) has_data.resize(codes, false);
  }
  if (had_data.empty()) had_data.assign(1, false);
  if (has_data.empty()) has_data.assign(1, false);
  if (fields.code >= 0) {
    for (size_t row = 0; row < previous_count; ++row) had_data[rows.Int(fields.code, row)] = true;
    for (const size_t row : live) has_data[rows.Int(fields.code, row)] = true;
  } else {
    had_data[0] = had_data[0] || previous_count > 0;
    has_data[0] = has_data[0] || !live.empty();
  }
  auto note = [&](int64_t old_row, int64_t row) {
    // A person new to the release changes nothing by itself: their records are new too and
    // count from their own days. A changed person changes every period of theirs.
    if (rows.spec->defines_persons && (old_row < 0 || row < 0)) return;
    const DayNumber day = FirstAffectedDay(rows, old_row, row, fields);
    if (day == kNoChange) return;
    any = std::min(any, day);
    if (fields.code >= 0) {
      for (const int64_t version : {old_row, row}) {
        if (version < 0) continue;
        DayNumber& first = by_code[rows.Int(fields.code, static_cast<size_t>(version))];
        first = std::min(first, day);
      }
    } else if (of_persons && by_person) {
      persons.emplace_back(PersonOf(rows, static_cast<size_t>(row >= 0 ? row : old_row)), day);
    }
  };
  if (previous_count == 0) {
    // Nothing before in this shard: every live row is a new record. Visited in storage order
    // rather than key order, so that a first ingest reads the columns sequentially.
    std::vector<bool> alive(rows.size(), false);
    for (const size_t row : live) alive[row] = true;
    for (size_t row = 0; row < rows.size(); ++row) {
      if (alive[row]) note(-1, static_cast<int64_t>(row));
    }
  } else {
    for (const auto& [old_row, row] : touched) note(old_row, row);
  }
  std::sort(persons.begin(), persons.end());
  // Sorted by person, then day: the first of each person is its earliest.
  persons.erase(std::unique(persons.begin(), persons.end(),
                            [](const auto& a, const auto& b) { return a.first == b.first; }),
                persons.end());
}

void SourceChanges::ResolvePersons(const PersonCodes& codes) {
  for (const auto& [person, day] : persons) {
    const auto found = std::lower_bound(
        codes.begin(), codes.end(), person,
        [](const std::pair<int64_t, uint64_t>& entry, int64_t id) { return entry.first < id; });
    if (found == codes.end() || found->first != person) continue;
    for (size_t code = 0; code < by_code.size() && code < 64; ++code) {
      if ((found->second >> code) & 1U) by_code[code] = std::min(by_code[code], day);
    }
  }
  persons.clear();
  persons.shrink_to_fit();
}

void SourceChanges::Merge(const SourceChanges& other) {
  if (by_code.empty() && had_data.empty()) {
    *this = other;
    return;
  }
  for (size_t code = 0; code < by_code.size() && code < other.by_code.size(); ++code)
    by_code[code] = std::min(by_code[code], other.by_code[code]);
  any = std::min(any, other.any);
  for (size_t index = 0; index < had_data.size() && index < other.had_data.size(); ++index) {
    had_data[index] = had_data[index] || other.had_data[index];
    has_data[index] = has_data[index] || other.has_data[index];
  }
  persons.insert(persons.end(), other.persons.begin(), other.persons.end());
}

PersonCodes CodesByPerson(const SourceRows& benefits, const std::vector<size_t>& live,
                          const std::vector<std::pair<int64_t, int64_t>>& touched) {
  const int code = benefits.spec->FieldIndex("benefit_code");
  PersonCodes codes;
  auto add = [&](size_t row) {
    const int64_t person = PersonOf(benefits, row);
    const int64_t index = benefits.Int(code, row);
    const uint64_t bit = index < 64 ? uint64_t{1} << index : 0;
    if (!codes.empty() && codes.back().first == person) {
      codes.back().second |= bit;
    } else {
      codes.emplace_back(person, bit);
    }
  };
  for (const size_t row : live) add(row);  // in table order: by person
  bool sorted = true;
  for (const auto& [old_row, row] : touched) {
    if (old_row < 0) continue;  // a previous version may have been of another benefit
    add(static_cast<size_t>(old_row));
    sorted = false;
  }
  if (!sorted) {
    std::sort(codes.begin(), codes.end());
    PersonCodes merged;
    for (const auto& entry : codes) {
      if (!merged.empty() && merged.back().first == entry.first) {
        merged.back().second |= entry.second;
      } else {
        merged.push_back(entry);
      }
    }
    codes = std::move(merged);
  }
  return codes;
}

namespace {

// The period of the measure's finest type (its frequency) holding `day`.
std::string PeriodOf(DayNumber day, const std::string& frequency) {
  PeriodType type = PeriodType::kMonth;
  if (frequency == "weekly") type = PeriodType::kWeek;
  if (frequency == "quarterly") type = PeriodType::kQuarter;
  if (frequency == "yearly") type = PeriodType::kYear;
  return PeriodContaining(type, day).id;
}

}  // namespace

std::vector<MeasureNote> MeasureNotes(const MeasureCatalog& measures,
                                      const std::vector<SourceSpec>& sources,
                                      const std::vector<SourceChanges>& changes,
                                      bool had_previous_release, DayNumber first_day) {
  auto source_index = [&](std::string_view id) -> int {
    for (size_t source = 0; source < sources.size(); ++source) {
      if (sources[source].id == id) return static_cast<int>(source);
    }
    return -1;
  };
  const int benefits = source_index("benefits");
  const CodeList* benefit_list =
      benefits < 0
          ? nullptr
          : sources[benefits].fields[sources[benefits].FieldIndex("benefit_code")].code_list;
  std::vector<MeasureNote> notes;
  for (const MeasureDefinition& measure : measures.measures) {
    std::vector<size_t> codes;
    if (benefit_list != nullptr) {
      for (const auto& code : measure.benefit_codes) {
        for (size_t index = 0; index < benefit_list->codes.size(); ++index) {
          if (benefit_list->codes[index].code == code) codes.push_back(index);
        }
      }
    }
    const bool population = measure.statistic == engine::Statistic::kPopulation;
    const bool status_after = measure.statistic == engine::Statistic::kStatusAfter;
    const int k = status_after ? measure.status_after_months.value_or(0) : 0;
    auto shifted = [&](DayNumber day) {
      if (day == kNoChange || k == 0) return day;
      return FirstDayOfMonth(MonthOfDay(day) - k);
    };
    DayNumber first = kNoChange;
    for (const auto& id : measure.sources) {
      const int source = source_index(id);
      if (source < 0 || static_cast<size_t>(source) >= changes.size()) continue;
      const SourceChanges& change = changes[source];
      if (population || id == "residence") {  // population: every resident, no benefit group
        first = std::min(first, change.any);
        continue;
      }
      // status_after: the status month k months after the end month reads benefit records
      // of any code, employment and education (of the persons with spells in the group).
      for (size_t code = 0; code < change.by_code.size(); ++code) {
        const bool in_group = std::find(codes.begin(), codes.end(), code) != codes.end();
        const DayNumber day = change.by_code[code];
        if (!status_after || id == "persons") {
          if (in_group) first = std::min(first, day);
        } else if (in_group || id == "benefits") {
          first = std::min(first, shifted(day));
        }
      }
    }
    // Whether the measure has data: its main source's records for its benefits.
    const bool expenditure = engine::IsExpenditure(measure.statistic);
    const int main = population ? source_index("residence")
                                : (expenditure ? source_index("payments") : benefits);
    bool has = false;
    bool had = false;
    if (main >= 0 && static_cast<size_t>(main) < changes.size()) {
      const SourceChanges& change = changes[main];
      if (population) {
        has = !change.has_data.empty() && change.has_data[0];
        had = !change.had_data.empty() && change.had_data[0];
      } else {
        for (const size_t code : codes) {
          if (code < change.has_data.size()) {
            has = has || change.has_data[code];
            had = had || change.had_data[code];
          }
        }
      }
    }
    MeasureNote note;
    note.measure = measure.id;
    note.is_new = has && (!had_previous_release || !had);
    note.changed = first != kNoChange || note.is_new;
    if (note.changed) {
      note.first_period =
          PeriodOf(first == kNoChange ? first_day : std::max(first, first_day), measure.frequency);
    }
    notes.push_back(std::move(note));
  }
  return notes;
}

BenefitChanges::BenefitChanges(size_t benefit_count)
    : first_change_(benefit_count, kNoChange),
      had_data_(benefit_count, false),
      has_data_(benefit_count, false) {}

void BenefitChanges::Note(const SourceRows& previous, int64_t old_row, const SourceRows& current,
                          int64_t row) {
  const int code = fields_.code;
  const int from = fields_.from;
  const int to = fields_.to;
  auto note = [&](int64_t benefit, int64_t day) {
    first_change_[benefit] =
        std::min<DayNumber>(first_change_[benefit], static_cast<DayNumber>(day));
  };
  if (old_row < 0) {  // a new record
    note(current.Int(code, row), current.Int(from, row));
    return;
  }
  if (row < 0) {  // a deleted one
    note(previous.Int(code, old_row), previous.Int(from, old_row));
    return;
  }
  const auto before = static_cast<size_t>(old_row);
  const auto now = static_cast<size_t>(row);
  if (SameValues(previous, before, current, now)) return;
  auto end_of = [&](const SourceRows& rows, size_t index) {
    const int64_t value = rows.Int(to, index);
    return value == kMissing ? std::numeric_limits<int64_t>::max() : value;
  };
  // Only the end moved (a running record closed, a correction of the end): numbers change
  // from the day after the earlier of the two ends.
  const bool only_end = SameValues(previous, before, current, now, to);
  const int64_t day = only_end ? std::min(end_of(previous, before), end_of(current, now)) + 1
                               : std::min(previous.Int(from, before), current.Int(from, now));
  note(current.Int(code, now), day);
  note(previous.Int(code, before), day);
}

void BenefitChanges::Compare(const SourceRows& previous, const std::vector<size_t>& previous_rows,
                             const SourceRows& current, const std::vector<size_t>& current_rows) {
  const SourceSpec& spec = *current.spec;
  const int id = spec.FieldIndex("record_id");
  const int code = spec.FieldIndex("benefit_code");
  if (first_change_.empty()) *this = BenefitChanges(spec.fields[code].code_list->codes.size());
  fields_ = Fields{code, spec.FieldIndex("from_date"), spec.FieldIndex("to_date")};
  std::unordered_map<int64_t, size_t> old_rows;
  for (const size_t row : previous_rows) {
    old_rows[previous.Int(id, row)] = row;
    had_data_[previous.Int(code, row)] = true;
  }
  for (const size_t row : current_rows) {
    has_data_[current.Int(code, row)] = true;
    const auto found = old_rows.find(current.Int(id, row));
    if (found == old_rows.end()) {
      Note(previous, -1, current, static_cast<int64_t>(row));
      continue;
    }
    Note(previous, static_cast<int64_t>(found->second), current, static_cast<int64_t>(row));
    old_rows.erase(found);
  }
  for (const auto& [record, row] : old_rows) Note(previous, static_cast<int64_t>(row), current, -1);
}

void BenefitChanges::CompareTouched(const SourceRows& rows, size_t previous_count,
                                    const std::vector<size_t>& live,
                                    const std::vector<std::pair<int64_t, int64_t>>& touched) {
  const int code = rows.spec->FieldIndex("benefit_code");
  if (first_change_.empty())
    *this = BenefitChanges(rows.spec->fields[code].code_list->codes.size());
  fields_ = Fields{code, rows.spec->FieldIndex("from_date"), rows.spec->FieldIndex("to_date")};
  for (size_t row = 0; row < previous_count; ++row) had_data_[rows.Int(code, row)] = true;
  for (const size_t row : live) has_data_[rows.Int(code, row)] = true;
  for (const auto& [old_row, row] : touched) Note(rows, old_row, rows, row);
}

void BenefitChanges::Merge(const BenefitChanges& other) {
  if (first_change_.empty()) {
    *this = other;
    return;
  }
  for (size_t benefit = 0; benefit < other.first_change_.size(); ++benefit) {
    first_change_[benefit] = std::min(first_change_[benefit], other.first_change_[benefit]);
    had_data_[benefit] = had_data_[benefit] || other.had_data_[benefit];
    has_data_[benefit] = has_data_[benefit] || other.has_data_[benefit];
  }
}

std::vector<ReleaseNote> BenefitChanges::Notes(const SourceSpec& benefits,
                                               bool had_previous_release) const {
  const auto& codes = benefits.fields[benefits.FieldIndex("benefit_code")].code_list->codes;
  std::vector<ReleaseNote> notes;
  for (size_t benefit = 0; benefit < codes.size(); ++benefit) {
    const bool known = benefit < first_change_.size();
    ReleaseNote entry;
    entry.benefit = codes[benefit].code;
    entry.changed = known && first_change_[benefit] != kNoChange;
    entry.is_new = known && has_data_[benefit] && (!had_previous_release || !had_data_[benefit]);
    if (entry.changed) {
      const MonthIndex month = MonthOfDay(first_change_[benefit]);
      entry.first_period = fmt::format("{:04d}M{:02d}", YearOfMonth(month), MonthOfYear(month));
    }
    notes.push_back(std::move(entry));
  }
  return notes;
}

std::vector<ReleaseNote> CompareBenefits(const SourceRows& previous, const SourceRows& current,
                                         bool had_previous_release) {
  std::vector<size_t> previous_rows(previous.size());
  std::iota(previous_rows.begin(), previous_rows.end(), size_t{0});
  std::vector<size_t> current_rows(current.size());
  std::iota(current_rows.begin(), current_rows.end(), size_t{0});
  BenefitChanges changes;
  changes.Compare(previous, previous_rows, current, current_rows);
  return changes.Notes(*current.spec, had_previous_release);
}

}  // namespace jobindsigt::ingest
