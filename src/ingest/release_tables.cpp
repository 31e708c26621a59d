#include "ingest/release_tables.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <numeric>

#include "common/error.h"
#include "common/random.h"
#include "ingest/spells.h"

namespace jobindsigt::ingest {
namespace {

std::string ShardFolder(int shard) {
  return fmt::format("shard-{:03d}", shard);
}

// The column that says whose row it is: the person column, or persons' own id.
int PersonField(const SourceSpec& spec) {
  if (spec.person_index >= 0) return spec.person_index;
  return spec.defines_persons ? spec.key.front() : -1;
}

int FirstDateField(const SourceSpec& spec) {
  for (size_t index = 0; index < spec.fields.size(); ++index) {
    const FieldType type = spec.fields[index].type;
    if (type == FieldType::kDate || type == FieldType::kMonth) return static_cast<int>(index);
  }
  return -1;
}

// An end date is a date column another date may not follow: its empty value means open.
bool IsEndDate(const SourceSpec& spec, int field) {
  return spec.fields[field].type == FieldType::kDate && spec.fields[field].not_before >= 0;
}

std::vector<std::string> DictionaryOf(const SourceRows& rows, const FieldSpec& field) {
  std::vector<std::string> dictionary = {""};  // code 0 = empty
  if (field.type == FieldType::kCode) {
    for (const auto& entry : field.code_list->codes) dictionary.push_back(entry.code);
  } else if (field.type == FieldType::kEnum) {
    dictionary.insert(dictionary.end(), field.values.begin(), field.values.end());
  } else {
    dictionary.insert(dictionary.end(), rows.texts.begin(), rows.texts.end());
  }
  return dictionary;
}

// Stores whole numbers in the narrowest type that holds every value of the column: most
// columns are small codes, counts or months, and the store's size is mostly these.
void AddNarrowest(store::TableWriter& table, const std::string& name,
                  const std::vector<int64_t>& values) {
  int64_t low = 0;
  int64_t high = 0;
  for (const int64_t value : values) {
    low = std::min(low, value);
    high = std::max(high, value);
  }
  if (low >= 0 && high <= std::numeric_limits<uint8_t>::max()) {
    table.Add<uint8_t>(name, std::vector<uint8_t>(values.begin(), values.end()));
  } else if (low >= std::numeric_limits<int16_t>::min() &&
             high <= std::numeric_limits<int16_t>::max()) {
    table.Add<int16_t>(name, std::vector<int16_t>(values.begin(), values.end()));
  } else if (low >= std::numeric_limits<int32_t>::min() &&
             high <= std::numeric_limits<int32_t>::max()) {
    table.Add<int32_t>(name, std::vector<int32_t>(values.begin(), values.end()));
  } else {
    table.Add<int64_t>(name, values);
  }
}

// Reads a whole-number column of any stored width.
std::vector<int64_t> ReadWhole(const store::TableReader& table, const std::string& name) {
  std::vector<int64_t> values;
  values.reserve(table.rows());
  auto append = [&](auto span) { values.insert(values.end(), span.begin(), span.end()); };
  for (const auto& info : table.columns()) {
    if (info.name != name) continue;
    switch (info.type) {
      case store::ColumnType::kInt8:
        append(table.Column<int8_t>(name));
        break;
      case store::ColumnType::kUint8:
        append(table.Column<uint8_t>(name));
        break;
      case store::ColumnType::kInt16:
        append(table.Column<int16_t>(name));
        break;
      case store::ColumnType::kUint16:
        append(table.Column<uint16_t>(name));
        break;
      case store::ColumnType::kInt32:
        append(table.Column<int32_t>(name));
        break;
      case store::ColumnType::kInt64:
        append(table.Column<int64_t>(name));
        break;
      case store::ColumnType::kFloat64:
        throw UserError(ErrorCode::kBadStore,
                        fmt::format("{}: column {} holds decimals, expected whole numbers",
                                    table.path().string(), name));
    }
  }
  return values;
}

void AddField(const SourceRows& rows, int field_index, const std::vector<size_t>& order,
              store::TableWriter& table) {
  const SourceSpec& spec = *rows.spec;
  const FieldSpec& field = spec.fields[field_index];
  const auto& ints = rows.columns[field_index].ints;
  switch (field.type) {
    case FieldType::kDecimal: {
      std::vector<double> values;
      values.reserve(order.size());
      for (const size_t row : order) values.push_back(rows.columns[field_index].reals[row]);
      table.Add<double>(field.name, std::move(values));
      return;
    }
    case FieldType::kDate:
    case FieldType::kMonth: {
      const int32_t empty = IsEndDate(spec, field_index) ? kOpenDay : kMissingDay;
      std::vector<int32_t> values;
      values.reserve(order.size());
      for (const size_t row : order)
        values.push_back(ints[row] == kMissing ? empty : static_cast<int32_t>(ints[row]));
      table.Add<int32_t>(field.name, std::move(values));
      return;
    }
    case FieldType::kMunicipality: {
      std::vector<int16_t> values;
      values.reserve(order.size());
      for (const size_t row : order)
        values.push_back(ints[row] == kMissing ? int16_t{-1} : static_cast<int16_t>(ints[row]));
      table.Add<int16_t>(field.name, std::move(values));
      return;
    }
    case FieldType::kCode:
    case FieldType::kEnum:
    case FieldType::kText: {
      auto dictionary = DictionaryOf(rows, field);
      // The width follows the dictionary, so that every code of it fits.
      if (dictionary.size() <= 256) {
        std::vector<uint8_t> values;
        values.reserve(order.size());
        for (const size_t row : order)
          values.push_back(ints[row] == kMissing ? 0 : static_cast<uint8_t>(ints[row] + 1));
        table.Add<uint8_t>(field.name, std::move(values));
      } else {
        std::vector<int32_t> values;
        values.reserve(order.size());
        for (const size_t row : order)
          values.push_back(ints[row] == kMissing ? 0 : static_cast<int32_t>(ints[row] + 1));
        table.Add<int32_t>(field.name, std::move(values));
      }
      table.AddDictionary(field.name, std::move(dictionary));
      return;
    }
    case FieldType::kId:
    case FieldType::kInteger: {
      std::vector<int64_t> values;
      values.reserve(order.size());
      for (const size_t row : order) values.push_back(ints[row]);
      AddNarrowest(table, field.name, values);
      return;
    }
  }
}

}  // namespace

store::TableWriter BuildSourceTable(const SourceRows& rows, const std::vector<size_t>& order) {
  store::TableWriter table;
  const SourceSpec& spec = *rows.spec;
  for (size_t field = 0; field < spec.fields.size(); ++field)
    AddField(rows, static_cast<int>(field), order, table);
  std::vector<int16_t> delivery;  // month indexes fit 16 bits until the year 2730
  delivery.reserve(order.size());
  for (const size_t row : order) delivery.push_back(static_cast<int16_t>(rows.delivery[row]));
  table.Add<int16_t>("delivery", std::move(delivery));
  const int from = FirstDateField(spec);
  for (size_t field = 0; field < spec.fields.size(); ++field) {
    if (from >= 0 && spec.fields[field].not_before == from &&
        IsEndDate(spec, static_cast<int>(field))) {
      table.SetBlockIndex(spec.fields[from].name, spec.fields[field].name);
      break;
    }
  }
  return table;
}

RowOrder::RowOrder(const SourceRows& rows)
    : rows_(&rows), person_(PersonField(*rows.spec)), date_(FirstDateField(*rows.spec)) {}

bool RowOrder::operator()(size_t a, size_t b) const {
  const SourceRows& rows = *rows_;
  if (person_ >= 0 && rows.Int(person_, a) != rows.Int(person_, b)) {
    return rows.Int(person_, a) < rows.Int(person_, b);
  }
  if (date_ >= 0 && rows.Int(date_, a) != rows.Int(date_, b))
    return rows.Int(date_, a) < rows.Int(date_, b);
  for (const int key : rows.spec->key) {
    if (rows.Int(key, a) != rows.Int(key, b)) return rows.Int(key, a) < rows.Int(key, b);
  }
  return a < b;
}

bool KeyOrderIsRowOrder(const SourceSpec& spec) {
  const int person = PersonField(spec);
  if (person < 0 || spec.key.empty() || spec.key[0] != person) return false;
  return spec.key.size() == 1 || spec.key[1] == FirstDateField(spec);
}

void SortRows(const SourceRows& rows, std::vector<size_t>& order) {
  // The sort fields copied next to each row number: comparing them in place would jump
  // between columns at random, a cache miss per comparison.
  struct Entry {
    std::array<int64_t, 6> fields;
    size_t row;
  };
  const SourceSpec& spec = *rows.spec;
  const int person = PersonField(spec);
  const int date = FirstDateField(spec);
  std::vector<Entry> entries(order.size());
  for (size_t position = 0; position < order.size(); ++position) {
    const size_t row = order[position];
    Entry& entry = entries[position];
    entry.fields = {};
    entry.fields[0] = person >= 0 ? rows.Int(person, row) : 0;
    entry.fields[1] = date >= 0 ? rows.Int(date, row) : 0;
    for (size_t part = 0; part < spec.key.size() && part < 4; ++part)
      entry.fields[2 + part] = rows.Int(spec.key[part], row);
    entry.row = row;
  }
  std::sort(entries.begin(), entries.end(), [](const Entry& a, const Entry& b) {
    for (size_t field = 0; field < a.fields.size(); ++field) {
      if (a.fields[field] != b.fields[field]) return a.fields[field] < b.fields[field];
    }
    return a.row < b.row;
  });
  for (size_t position = 0; position < order.size(); ++position)
    order[position] = entries[position].row;
}

bool HasPersons(const SourceSpec& spec) {
  return PersonField(spec) >= 0;
}

int64_t PersonOf(const SourceRows& rows, size_t row) {
  return rows.Int(PersonField(*rows.spec), row);
}

std::string SourceTablePath(const SourceSpec& spec, int shard) {
  return (HasPersons(spec) ? ShardFolder(shard) : std::string("shared")) + "/" + spec.id + ".tbl";
}

std::string SpellTablePath(int shard) {
  return ShardFolder(shard) + "/spells.tbl";
}

namespace {

// Row order within each shard: by person, first date, then key.
std::vector<std::vector<size_t>> ShardOrder(const SourceRows& rows, const ShardPlan& plan) {
  const int person = PersonField(*rows.spec);
  const int shards = person >= 0 ? plan.shard_count : 1;
  std::vector<std::vector<size_t>> order(shards);
  for (size_t row = 0; row < rows.size(); ++row) {
    order[person >= 0 ? plan.ShardOf(rows.Int(person, row)) : 0].push_back(row);
  }
  for (auto& shard : order) SortRows(rows, shard);
  return order;
}

}  // namespace

int ShardPlan::ShardOf(int64_t person_id) const {
  return static_cast<int>(Mix64(static_cast<uint64_t>(person_id)) %
                          static_cast<uint64_t>(shard_count));
}

ShardPlan ShardPlan::ForPersons(size_t persons, size_t per_shard) {
  return ShardPlan{
      static_cast<int>(std::clamp<size_t>((persons + per_shard - 1) / per_shard, 1, 64))};
}

void WriteSourceTables(const SourceRows& rows, const ShardPlan& plan, const TableSink& sink) {
  const auto order = ShardOrder(rows, plan);
  for (size_t shard = 0; shard < order.size(); ++shard) {
    store::TableWriter table = BuildSourceTable(rows, order[shard]);
    sink(SourceTablePath(*rows.spec, static_cast<int>(shard)), table);
  }
}

SourceRows ReadSourceTables(const SourceSpec& spec, const std::vector<store::TableReader>& tables) {
  SourceRows rows(&spec);
  AppendSourceTables(tables, rows);
  return rows;
}

void AppendSourceTables(const std::vector<store::TableReader>& tables, SourceRows& rows,
                        size_t extra_rows) {
  const SourceSpec& spec = *rows.spec;
  size_t total = rows.size() + extra_rows;
  for (const auto& table : tables) total += table.rows();
  for (size_t index = 0; index < spec.fields.size(); ++index) {
    auto& column = rows.columns[index];
    if (spec.fields[index].type == FieldType::kDecimal) {
      column.reals.reserve(total);
    } else {
      column.ints.reserve(total);
    }
  }
  rows.delivery.reserve(total);
  rows.file_line.reserve(total);
  for (const auto& table : tables) {
    for (size_t index = 0; index < spec.fields.size(); ++index) {
      const FieldSpec& field = spec.fields[index];
      if (!table.HasColumn(field.name)) {
        throw UserError(ErrorCode::kBadStore,
                        fmt::format("{}: no column '{}' for source {}: the release "
                                    "was written with another declaration",
                                    table.path().string(), field.name, spec.id));
      }
      auto& column = rows.columns[index];
      switch (field.type) {
        case FieldType::kDecimal:
          for (const double value : table.Column<double>(field.name)) column.reals.push_back(value);
          break;
        case FieldType::kDate:
        case FieldType::kMonth:
          for (const int32_t value : table.Column<int32_t>(field.name)) {
            column.ints.push_back(value == kOpenDay || value == kMissingDay ? kMissing : value);
          }
          break;
        case FieldType::kMunicipality:
          for (const int16_t value : table.Column<int16_t>(field.name))
            column.ints.push_back(value < 0 ? kMissing : value);
          break;
        case FieldType::kId:
        case FieldType::kInteger:
          for (const int64_t value : ReadWhole(table, field.name)) column.ints.push_back(value);
          break;
        case FieldType::kCode:
        case FieldType::kEnum:
        case FieldType::kText: {
          const auto dictionary = table.Dictionary(field.name);
          std::vector<int64_t> mapping(dictionary.size(), kMissing);
          for (size_t code = 1; code < dictionary.size(); ++code) {
            std::optional<int> mapped;
            if (field.type == FieldType::kCode) {
              mapped = field.code_list->Find(dictionary[code]);
            } else if (field.type == FieldType::kEnum) {
              const auto found =
                  std::find(field.values.begin(), field.values.end(), dictionary[code]);
              if (found != field.values.end())
                mapped = static_cast<int>(found - field.values.begin());
            } else {
              const auto [entry, inserted] =
                  rows.text_index.emplace(std::string(dictionary[code]), rows.texts.size());
              if (inserted) rows.texts.emplace_back(dictionary[code]);
              mapped = static_cast<int>(entry->second);
            }
            if (!mapped) {
              throw UserError(
                  ErrorCode::kBadStore,
                  fmt::format("{}: column {} holds '{}', which the catalogue no longer has",
                              table.path().string(), field.name, dictionary[code]));
            }
            mapping[code] = *mapped;
          }
          for (const int64_t value : ReadWhole(table, field.name)) {
            if (value < 0 || static_cast<size_t>(value) >= mapping.size()) {
              throw UserError(ErrorCode::kBadStore,
                              fmt::format("{}: column {} has a code outside its dictionary",
                                          table.path().string(), field.name));
            }
            column.ints.push_back(mapping[value]);
          }
          break;
        }
      }
    }
    for (const int16_t month : table.Column<int16_t>("delivery")) {
      rows.delivery.push_back(month);
      rows.file_line.push_back(0);
    }
  }
}

SpellGroups SpellGroups::Of(const SourceSpec& benefits, const CodeLists& codes) {
  const CodeList& benefit_list = *benefits.fields[benefits.FieldIndex("benefit_code")].code_list;
  // Groups: each benefit on its own, then the catalogue's benefit groups.
  SpellGroups groups;
  for (size_t index = 0; index < benefit_list.codes.size(); ++index) {
    groups.names.push_back(benefit_list.codes[index].code);
    groups.masks.push_back(uint64_t{1} << index);
  }
  for (const auto& group : codes.benefit_groups) {
    uint64_t mask = 0;
    for (const auto& member : group.members) mask |= uint64_t{1} << *benefit_list.Find(member);
    groups.names.push_back(group.id);
    groups.masks.push_back(mask);
  }
  return groups;
}

int64_t WriteSpellTables(const SourceRows& benefits, const CodeLists& codes, DayNumber cutoff_day,
                         const ShardPlan& plan, const TableSink& sink) {
  const SpellGroups groups = SpellGroups::Of(*benefits.spec, codes);
  int64_t total = 0;
  const auto order = ShardOrder(benefits, plan);
  for (size_t shard = 0; shard < order.size(); ++shard) {
    store::TableWriter table = BuildSpellTable(benefits, order[shard], groups, cutoff_day);
    total += static_cast<int64_t>(table.rows());
    sink(SpellTablePath(static_cast<int>(shard)), table);
  }
  return total;
}

store::TableWriter BuildSpellTable(const SourceRows& benefits, const std::vector<size_t>& rows,
                                   const SpellGroups& groups, DayNumber cutoff_day) {
  const SourceSpec& spec = *benefits.spec;
  const int person = spec.person_index;
  const int code = spec.FieldIndex("benefit_code");
  const int from = spec.FieldIndex("from_date");
  const int to = spec.FieldIndex("to_date");
  const int record = spec.FieldIndex("record_id");
  std::vector<SpellRecord> selected;
  std::vector<Spell> spells;
  std::vector<int64_t> persons;
  std::vector<int32_t> group_codes, starts, ends, firsts, lasts;
  for (size_t begin = 0; begin < rows.size();) {
    size_t end = begin;
    while (end < rows.size() &&
           benefits.Int(person, rows[end]) == benefits.Int(person, rows[begin]))
      ++end;
    for (size_t group = 0; group < groups.masks.size(); ++group) {
      selected.clear();
      for (size_t position = begin; position < end; ++position) {
        const size_t row = rows[position];
        if ((groups.masks[group] >> benefits.Int(code, row) & 1) == 0) continue;
        // As docs/measures.md reads records: [from, min(to, cut-off)], an open record runs
        // to the cut-off day, and a record starting after the cut-off day is left out.
        if (benefits.Int(from, row) > cutoff_day) continue;
        const int64_t to_day = benefits.Int(to, row) == kMissing
                                   ? cutoff_day
                                   : std::min<int64_t>(benefits.Int(to, row), cutoff_day);
        selected.push_back({static_cast<DayNumber>(benefits.Int(from, row)),
                            static_cast<DayNumber>(to_day), benefits.Int(record, row),
                            static_cast<int32_t>(position)});
      }
      spells.clear();
      BuildSpells(selected, spells);
      for (const Spell& spell : spells) {
        persons.push_back(benefits.Int(person, rows[begin]));
        group_codes.push_back(static_cast<int32_t>(group + 1));
        starts.push_back(spell.start);
        ends.push_back(spell.end);
        firsts.push_back(spell.first_record);
        lasts.push_back(spell.end_record);
      }
    }
    begin = end;
  }
  store::TableWriter table;
  table.Add<int64_t>("person_id", std::move(persons));
  table.Add<int32_t>("group", std::move(group_codes));
  std::vector<std::string> dictionary = {""};
  dictionary.insert(dictionary.end(), groups.names.begin(), groups.names.end());
  table.AddDictionary("group", std::move(dictionary));
  table.Add<int32_t>("start", std::move(starts));
  table.Add<int32_t>("end", std::move(ends));
  table.Add<int32_t>("first_record", std::move(firsts));
  table.Add<int32_t>("end_record", std::move(lasts));
  table.SetBlockIndex("start", "end");
  return table;
}

}  // namespace jobindsigt::ingest
