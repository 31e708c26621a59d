#include "ingest/resolved_state.h"

#include <fmt/format.h>

#include "common/random.h"

namespace jobindsigt::ingest {

size_t RowKeyHash::operator()(const RowKey& key) const {
  uint64_t hash = 0;
  for (const int64_t part : key) hash = Mix64(hash ^ static_cast<uint64_t>(part));
  return static_cast<size_t>(hash);
}

ResolvedState::ResolvedState(const SourceSpec* spec) : spec_(spec), rows_(spec) {}

RowKey ResolvedState::KeyOf(const SourceRows& rows, size_t row) const {
  RowKey key{};
  for (size_t part = 0; part < spec_->key.size() && part < key.size(); ++part) {
    key[part] = rows.Int(spec_->key[part], row);
  }
  return key;
}

void ResolvedState::Apply(const SourceRows& rows, FileReport& report,
                          std::vector<QuarantinedRow>& quarantine) {
  // Index of "D" in the status enum (values = ["A", "D"]).
  int64_t deleted_status = -1;
  if (spec_->versioned() && spec_->resolve_versions) {
    const auto& values = spec_->fields[spec_->status_index].values;
    for (size_t index = 0; index < values.size(); ++index) {
      if (values[index] == "D") deleted_status = static_cast<int64_t>(index);
    }
  }
  // Text values are indexes into a dictionary the source's rows share across deliveries.
  if (rows.texts.size() > rows_.texts.size()) {
    rows_.texts = rows.texts;
    rows_.text_index = rows.text_index;
  }
  for (size_t row = 0; row < rows.size(); ++row) {
    const RowKey key = KeyOf(rows, row);
    const auto found = index_.find(key);
    const bool deletes = spec_->versioned() && rows.Int(spec_->status_index, row) == deleted_status;
    if (deletes) {
      if (found == index_.end()) {
        report.rows_loaded -= 1;
        report.rows_quarantined += 1;
        report.reasons["deletes_unknown_record"] += 1;
        quarantine.push_back({report.file, rows.file_line[row], spec_->fields[spec_->key[0]].name,
                              std::to_string(key[0]), "deletes_unknown_record",
                              "deletes a record that was never delivered"});
        continue;
      }
      alive_[found->second] = false;
      index_.erase(found);
      continue;
    }
    if (found != index_.end()) alive_[found->second] = false;
    index_[key] = rows_.size();
    rows_.AppendRow(rows, row);
    alive_.push_back(true);
  }
}

void ResolvedState::Load(const SourceRows& rows) {
  rows_.texts = rows.texts;
  rows_.text_index = rows.text_index;
  for (size_t row = 0; row < rows.size(); ++row) {
    index_[KeyOf(rows, row)] = rows_.size();
    rows_.AppendRow(rows, row);
    alive_.push_back(true);
  }
}

SourceRows ResolvedState::Live() const {
  SourceRows live(spec_);
  live.texts = rows_.texts;
  live.text_index = rows_.text_index;
  for (size_t row = 0; row < rows_.size(); ++row) {
    if (alive_[row]) live.AppendRow(rows_, row);
  }
  return live;
}

}  // namespace jobindsigt::ingest
