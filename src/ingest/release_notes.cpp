#include "ingest/release_notes.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
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

std::vector<ReleaseNote> CompareBenefits(const SourceRows& previous, const SourceRows& current,
                                         bool had_previous_release) {
  const SourceSpec& spec = *current.spec;
  const int id = spec.FieldIndex("record_id");
  const int code = spec.FieldIndex("benefit_code");
  const int from = spec.FieldIndex("from_date");
  const int to = spec.FieldIndex("to_date");
  const auto& codes = spec.fields[code].code_list->codes;
  std::vector<DayNumber> first_change(codes.size(), kNoChange);
  std::vector<bool> had_data(codes.size(), false);
  std::vector<bool> has_data(codes.size(), false);
  auto note = [&](int64_t benefit, int64_t day) {
    first_change[benefit] = std::min<DayNumber>(first_change[benefit], static_cast<DayNumber>(day));
  };
  auto end_of = [&](const SourceRows& rows, size_t row) {
    const int64_t value = rows.Int(to, row);
    return value == kMissing ? std::numeric_limits<int64_t>::max() : value;
  };
  std::unordered_map<int64_t, size_t> old_rows;
  for (size_t row = 0; row < previous.size(); ++row) {
    old_rows[previous.Int(id, row)] = row;
    had_data[previous.Int(code, row)] = true;
  }
  for (size_t row = 0; row < current.size(); ++row) {
    has_data[current.Int(code, row)] = true;
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

  std::vector<ReleaseNote> notes;
  for (size_t benefit = 0; benefit < codes.size(); ++benefit) {
    ReleaseNote entry;
    entry.benefit = codes[benefit].code;
    entry.changed = first_change[benefit] != kNoChange;
    entry.is_new = has_data[benefit] && (!had_previous_release || !had_data[benefit]);
    if (entry.changed) {
      const MonthIndex month = MonthOfDay(first_change[benefit]);
      entry.first_period = fmt::format("{:04d}M{:02d}", YearOfMonth(month), MonthOfYear(month));
    }
    notes.push_back(std::move(entry));
  }
  return notes;
}

}  // namespace jobindsigt::ingest
