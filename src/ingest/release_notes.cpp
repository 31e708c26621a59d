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

void BenefitChanges::Compare(const SourceRows& previous, const std::vector<size_t>& previous_rows,
                             const SourceRows& current, const std::vector<size_t>& current_rows) {
  const SourceSpec& spec = *current.spec;
  const int id = spec.FieldIndex("record_id");
  const int code = spec.FieldIndex("benefit_code");
  const int from = spec.FieldIndex("from_date");
  const int to = spec.FieldIndex("to_date");
  if (first_change_.empty()) *this = BenefitChanges(spec.fields[code].code_list->codes.size());
  auto note = [&](int64_t benefit, int64_t day) {
    first_change_[benefit] =
        std::min<DayNumber>(first_change_[benefit], static_cast<DayNumber>(day));
  };
  auto end_of = [&](const SourceRows& rows, size_t row) {
    const int64_t value = rows.Int(to, row);
    return value == kMissing ? std::numeric_limits<int64_t>::max() : value;
  };
  std::unordered_map<int64_t, size_t> old_rows;
  for (const size_t row : previous_rows) {
    old_rows[previous.Int(id, row)] = row;
    had_data_[previous.Int(code, row)] = true;
  }
  for (const size_t row : current_rows) {
    has_data_[current.Int(code, row)] = true;
    const auto found = old_rows.find(current.Int(id, row));
    if (found == old_rows.end()) {
      note(current.Int(code, row), current.Int(from, row));
      continue;
    }
    const size_t old_row = found->second;
    old_rows.erase(found);
    if (SameValues(previous, old_row, current, row)) continue;
    // Only the end moved (a running record closed, a correction of the end): numbers change
    // from the day after the earlier of the two ends.
    const bool only_end = SameValues(previous, old_row, current, row, to);
    const int64_t day = only_end ? std::min(end_of(previous, old_row), end_of(current, row)) + 1
                                 : std::min(previous.Int(from, old_row), current.Int(from, row));
    note(current.Int(code, row), day);
    note(previous.Int(code, old_row), day);
  }
  for (const auto& [record, row] : old_rows) note(previous.Int(code, row), previous.Int(from, row));
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
