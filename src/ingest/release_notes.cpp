#include "ingest/release_notes.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <unordered_map>

namespace jobindsigt::ingest {
namespace {

constexpr DayNumber kNoChange = std::numeric_limits<DayNumber>::max();

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

}  // namespace

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
