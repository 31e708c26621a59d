#include "ingest/spells.h"

namespace jobindsigt::ingest {

void BuildSpells(std::span<const SpellRecord> records, std::vector<Spell>& spells) {
  if (records.empty()) return;
  Spell current{records[0].from, records[0].to, records[0].index, records[0].index};
  int64_t end_record_id = records[0].record_id;
  for (size_t position = 1; position < records.size(); ++position) {
    const SpellRecord& record = records[position];
    const int64_t gap = static_cast<int64_t>(record.from) - current.end - 1;
    if (gap >= kSpellGapDays) {
      spells.push_back(current);
      current = {record.from, record.to, record.index, record.index};
      end_record_id = record.record_id;
      continue;
    }
    if (record.to > current.end || (record.to == current.end && record.record_id < end_record_id)) {
      current.end = record.to;
      current.end_record = record.index;
      end_record_id = record.record_id;
    }
  }
  spells.push_back(current);
}

}  // namespace jobindsigt::ingest
