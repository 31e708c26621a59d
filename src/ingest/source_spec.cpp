#include "ingest/source_spec.h"

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <toml++/toml.h>

#include <algorithm>
#include <set>

#include "common/error.h"

namespace jobindsigt::ingest {
namespace {

namespace fs = std::filesystem;

const std::set<std::string, std::less<>> kKnownSteps = {
    "read_validate", "resolve_versions", "resolve_keys", "latest_person", "build_spells"};

[[noreturn]] void Fail(const fs::path& path, const std::string& what) {
  throw UserError(ErrorCode::kBadCatalog, fmt::format("{}: {}", path.string(), what));
}

toml::table ParseToml(const fs::path& path) {
  try {
    return toml::parse_file(path.string());
  } catch (const toml::parse_error& error) {
    Fail(path, fmt::format("line {}: {}", error.source().begin.line, error.description()));
  }
}

std::optional<FieldType> ParseFieldType(std::string_view name) {
  static const std::pair<std::string_view, FieldType> kTypes[] = {
      {"id", FieldType::kId},
      {"integer", FieldType::kInteger},
      {"decimal", FieldType::kDecimal},
      {"date", FieldType::kDate},
      {"month", FieldType::kMonth},
      {"code", FieldType::kCode},
      {"municipality", FieldType::kMunicipality},
      {"enum", FieldType::kEnum},
      {"text", FieldType::kText}};
  for (const auto& [text, type] : kTypes) {
    if (text == name) return type;
  }
  return std::nullopt;
}

// Reads format keys from `table` over `format` (defaults first, then the source's own).
void ReadFormat(const toml::table& table, const fs::path& path, SourceFormat& format) {
  if (const auto encoding = table["encoding"].value<std::string>()) {
    if (*encoding == "UTF-8") {
      format.encoding = Encoding::kUtf8;
    } else if (*encoding == "ISO-8859-1") {
      format.encoding = Encoding::kLatin1;
    } else {
      Fail(path, fmt::format("encoding '{}': expected UTF-8 or ISO-8859-1", *encoding));
    }
  }
  auto one_char = [&](const char* key, char& target) {
    if (const auto text = table[key].value<std::string>()) {
      if (text->size() != 1) Fail(path, fmt::format("{} '{}': expected one character", key, *text));
      target = (*text)[0];
    }
  };
  one_char("separator", format.separator);
  one_char("decimal_mark", format.decimal_mark);
  format.header = table["header"].value_or(format.header);
  if (const auto date = table["date_format"].value<std::string>()) {
    if (*date == "YYYY-MM-DD") {
      format.date_format = DateFormat::kIso;
    } else if (*date == "DD-MM-YYYY") {
      format.date_format = DateFormat::kDayMonthYear;
    } else {
      Fail(path, fmt::format("date_format '{}': expected YYYY-MM-DD or DD-MM-YYYY", *date));
    }
  }
  if (const auto month = table["month_format"].value<std::string>()) {
    if (*month == "YYYY-MM") {
      format.month_format = MonthFormat::kIso;
    } else if (*month == "MM-YYYY") {
      format.month_format = MonthFormat::kMonthYear;
    } else {
      Fail(path, fmt::format("month_format '{}': expected YYYY-MM or MM-YYYY", *month));
    }
  }
  format.quarantine_limit = table["quarantine_limit"].value_or(format.quarantine_limit);
  if (format.quarantine_limit < 0 || format.quarantine_limit > 1) {
    Fail(path, "quarantine_limit: expected a share between 0 and 1");
  }
}

FieldSpec ReadField(const toml::table& table, const fs::path& path, const CodeLists& codes) {
  FieldSpec field;
  field.name = table["name"].value_or(std::string());
  if (field.name.empty()) Fail(path, "a [[column]] has no name");
  const std::string type = table["type"].value_or(std::string());
  const auto parsed = ParseFieldType(type);
  if (!parsed) {
    Fail(path, fmt::format("column {}: type '{}' is unknown: expected id, integer, decimal, date, "
                           "month, code, municipality, enum or text",
                           field.name, type));
  }
  field.type = *parsed;
  field.required = table["required"].value_or(true);
  if (const auto min = table["min"].value<double>()) field.min = *min;
  if (const auto max = table["max"].value<double>()) field.max = *max;
  field.min_exclusive = table["min_exclusive"].value_or(false);
  field.allow_abroad = table["allow_abroad"].value_or(false);
  field.not_before_birth = table["not_before_birth"].value_or(false);
  field.max_length = table["max_length"].value_or(0);
  if (field.type == FieldType::kDate) {
    if (const auto min = table["min"].value<std::string>()) {
      const auto day = ParseIsoDate(*min);
      if (!day)
        Fail(path, fmt::format("column {}: min '{}' is no YYYY-MM-DD date", field.name, *min));
      field.min_date = *day;
    }
  }
  if (field.type == FieldType::kCode) {
    const std::string list = table["list"].value_or(std::string());
    field.code_list = codes.Find(list);
    if (field.code_list == nullptr) {
      Fail(path,
           fmt::format("column {}: code list '{}' is not in catalog/codes", field.name, list));
    }
  }
  if (field.type == FieldType::kEnum) {
    if (const auto* values = table["values"].as_array()) {
      for (const auto& value : *values) field.values.push_back(value.value_or(std::string()));
    }
    if (field.values.empty())
      Fail(path, fmt::format("column {}: an enum needs values", field.name));
  }
  return field;
}

// Resolves a reference to another column by name; -1 when the key is absent.
int ReferencedField(const toml::table& table, const char* key, const SourceSpec& spec,
                    const std::string& field_name) {
  const auto name = table[key].value<std::string>();
  if (!name) return -1;
  const int index = spec.FieldIndex(*name);
  if (index < 0) {
    Fail(spec.declared_in, fmt::format("column {}: {} = '{}' is not a column of this source",
                                       field_name, key, *name));
  }
  return index;
}

SourceSpec ReadSource(const fs::path& path, const SourceFormat& defaults, const CodeLists& codes) {
  const toml::table root = ParseToml(path);
  SourceSpec spec;
  spec.declared_in = path;
  spec.id = root["source"].value_or(std::string());
  spec.file = root["file"].value_or(std::string());
  if (spec.id.empty() || spec.file.empty()) Fail(path, "'source' and 'file' are required");
  spec.format = defaults;
  ReadFormat(root, path, spec.format);
  const auto* columns = root["column"].as_array();
  if (columns == nullptr || columns->empty()) Fail(path, "no [[column]] entries");
  for (const auto& node : *columns) {
    const auto* table = node.as_table();
    if (table == nullptr) Fail(path, "a [[column]] is not a table");
    FieldSpec field = ReadField(*table, path, codes);
    if (spec.FieldIndex(field.name) >= 0) Fail(path, "column " + field.name + " appears twice");
    spec.fields.push_back(std::move(field));
  }
  // References need all columns first.
  size_t index = 0;
  for (const auto& node : *columns) {
    const auto& table = *node.as_table();
    FieldSpec& field = spec.fields[index++];
    field.valid_on = ReferencedField(table, "valid_on", spec, field.name);
    field.not_before = ReferencedField(table, "not_before", spec, field.name);
    field.not_above = ReferencedField(table, "not_above", spec, field.name);
  }
  if (const auto* keys = root["key"].as_array()) {
    for (const auto& key : *keys) {
      const int key_index = spec.FieldIndex(key.value_or(std::string()));
      if (key_index < 0) Fail(path, "key names a column the source does not have");
      spec.key.push_back(key_index);
    }
  }
  if (spec.key.empty())
    Fail(path, "'key' is required: record_id or the columns that identify a row");
  if (const auto status = root["status_column"].value<std::string>()) {
    spec.status_index = spec.FieldIndex(*status);
    if (spec.status_index < 0) Fail(path, "status_column names no column");
  }
  if (const auto person = root["person_column"].value<std::string>()) {
    spec.person_index = spec.FieldIndex(*person);
    if (spec.person_index < 0) Fail(path, "person_column names no column");
  }
  spec.defines_persons = root["defines_persons"].value_or(false);
  return spec;
}

std::vector<std::string> Strings(const toml::table& table, const char* key) {
  std::vector<std::string> result;
  if (const auto* array = table[key].as_array()) {
    for (const auto& value : *array) result.push_back(value.value_or(std::string()));
  }
  return result;
}

// Orders dataflows so that each comes after what it depends on; fails on cycles.
void OrderDataflows(std::vector<Dataflow>& dataflows, const fs::path& path) {
  std::set<std::string> ids;
  for (const auto& flow : dataflows) {
    if (!ids.insert(flow.id).second)
      Fail(path, fmt::format("dataflow '{}' is declared twice", flow.id));
  }
  for (const auto& flow : dataflows) {
    for (const auto& id : flow.depends_on) {
      if (!ids.count(id))
        Fail(path,
             fmt::format("dataflow {}: depends_on names '{}', which is no dataflow; known: {}",
                         flow.id, id, fmt::join(ids, ", ")));
    }
  }
  std::vector<Dataflow> ordered;
  std::set<std::string> done;
  while (ordered.size() < dataflows.size()) {
    bool progressed = false;
    for (const auto& flow : dataflows) {
      if (done.count(flow.id)) continue;
      const bool ready = std::all_of(flow.depends_on.begin(), flow.depends_on.end(),
                                     [&](const std::string& id) { return done.count(id) > 0; });
      if (!ready) continue;
      ordered.push_back(flow);
      done.insert(flow.id);
      progressed = true;
    }
    if (!progressed) {
      std::vector<std::string> waiting;
      for (const auto& flow : dataflows) {
        if (!done.count(flow.id)) waiting.push_back(flow.id);
      }
      Fail(path, fmt::format("the dataflows' depends_on form a cycle: {} wait for each other",
                             fmt::join(waiting, ", ")));
    }
  }
  dataflows = std::move(ordered);
}

bool Has(const std::vector<std::string>& list, std::string_view value) {
  return std::find(list.begin(), list.end(), value) != list.end();
}

// Whether the dataflow's steps make sense for its inputs; sets what the run does with each.
void ApplySteps(const Dataflow& flow, std::vector<SourceSpec>& sources, const fs::path& path) {
  auto fail = [&](const std::string& what) {
    Fail(path, fmt::format("dataflow {}: {}", flow.id, what));
  };
  if (!Has(flow.steps, "read_validate"))
    fail("steps lack 'read_validate': its inputs would never be read");
  bool persons = false;
  for (const auto& input : flow.inputs) {
    for (auto& spec : sources) {
      if (spec.id != input) continue;
      spec.dataflow = flow.id;
      persons = persons || spec.defines_persons;
      if (spec.versioned()) {
        if (!Has(flow.steps, "resolve_versions"))
          fail(
              fmt::format("source '{}' has versioned records (status_column) but the steps lack "
                          "'resolve_versions'",
                          spec.id));
        spec.resolve_versions = true;
      } else if (!Has(flow.steps, "resolve_keys")) {
        fail(
            fmt::format("source '{}' has keyed rows (no status_column) but the steps lack "
                        "'resolve_keys'",
                        spec.id));
      }
      if (spec.defines_persons && !Has(flow.steps, "latest_person"))
        fail(fmt::format("source '{}' defines the persons but the steps lack 'latest_person'",
                         spec.id));
      if (Has(flow.steps, "build_spells")) {
        // Spells are built from benefit records: a record_id key, the person, the benefit
        // code and the from and to dates.
        const std::pair<const char*, FieldType> needed[] = {{"record_id", FieldType::kId},
                                                            {"benefit_code", FieldType::kCode},
                                                            {"from_date", FieldType::kDate},
                                                            {"to_date", FieldType::kDate}};
        for (const auto& [name, type] : needed) {
          const int field = spec.FieldIndex(name);
          if (field < 0 || spec.fields[field].type != type)
            fail(fmt::format("step 'build_spells' needs source '{}' to have a {} column '{}'",
                             spec.id, type == FieldType::kDate ? "date" : "code or id", name));
        }
        if (spec.key != std::vector<int>{spec.FieldIndex("record_id")} || spec.person_index < 0)
          fail(
              fmt::format("step 'build_spells' needs source '{}' keyed by record_id with a "
                          "person_column",
                          spec.id));
        spec.build_spells = true;
      }
    }
  }
  if (Has(flow.steps, "latest_person") && !persons)
    fail("step 'latest_person' but no input defines the persons (defines_persons)");
  for (const auto& output : flow.outputs) {
    const bool produced =
        Has(flow.inputs, output) || (output == "spells" && Has(flow.steps, "build_spells"));
    if (!produced)
      fail(
          fmt::format("output '{}' is produced by no step (outputs are the inputs' tables, "
                      "and 'spells' with build_spells)",
                      output));
  }
  if (Has(flow.steps, "build_spells") && !Has(flow.outputs, "spells"))
    fail("step 'build_spells' but 'spells' is not among the outputs");
}

}  // namespace

std::string SourceSpec::ExpectedHeader() const {
  std::string header;
  for (const auto& field : fields) {
    if (!header.empty()) header.push_back(format.separator);
    header += field.name;
  }
  return header;
}

int SourceSpec::FieldIndex(std::string_view name) const {
  for (size_t index = 0; index < fields.size(); ++index) {
    if (fields[index].name == name) return static_cast<int>(index);
  }
  return -1;
}

const SourceSpec* DataflowCatalog::FindSource(std::string_view id) const {
  for (const auto& source : sources) {
    if (source.id == id) return &source;
  }
  return nullptr;
}

DataflowCatalog LoadDataflowCatalog(const fs::path& catalog_dir) {
  DataflowCatalog catalog;
  catalog.codes = LoadCodeLists(catalog_dir);
  catalog.municipalities = LoadMunicipalities(catalog_dir);
  const fs::path folder = catalog_dir / "dataflows";
  SourceFormat defaults;
  const toml::table defaults_file = ParseToml(folder / "defaults.toml");
  if (const auto* format = defaults_file["format"].as_table()) {
    ReadFormat(*format, folder / "defaults.toml", defaults);
  }
  std::vector<fs::path> files;
  std::error_code error;
  for (const auto& entry : fs::directory_iterator(folder / "sources", error)) {
    if (entry.path().extension() == ".toml") files.push_back(entry.path());
  }
  if (error || files.empty()) Fail(folder / "sources", "no source declarations (*.toml)");
  std::sort(files.begin(), files.end());
  std::vector<SourceSpec> sources;
  for (const auto& path : files) {
    SourceSpec spec = ReadSource(path, defaults, catalog.codes);
    for (const auto& other : sources) {
      if (other.id == spec.id) Fail(path, "source '" + spec.id + "' is declared twice");
    }
    sources.push_back(std::move(spec));
  }

  const fs::path flows_path = folder / "dataflows.toml";
  const toml::table flows = ParseToml(flows_path);
  const auto* entries = flows["dataflow"].as_array();
  if (entries == nullptr || entries->empty()) Fail(flows_path, "no [[dataflow]] entries");
  std::set<std::string> used_sources;
  for (const auto& node : *entries) {
    const auto& table = *node.as_table();
    Dataflow flow{table["id"].value_or(std::string()), Strings(table, "inputs"),
                  Strings(table, "steps"), Strings(table, "outputs"), Strings(table, "depends_on")};
    if (flow.id.empty()) Fail(flows_path, "a dataflow has no id");
    for (const auto& input : flow.inputs) {
      if (std::none_of(sources.begin(), sources.end(), [&](auto& s) { return s.id == input; })) {
        Fail(flows_path,
             fmt::format("dataflow {}: input '{}' is no declared source", flow.id, input));
      }
      if (!used_sources.insert(input).second) {
        Fail(flows_path, fmt::format("source '{}' is an input of two dataflows", input));
      }
    }
    for (const auto& step : flow.steps) {
      if (!kKnownSteps.count(step)) {
        Fail(flows_path, fmt::format("dataflow {}: step '{}' is unknown; known steps: {}", flow.id,
                                     step, fmt::join(kKnownSteps, ", ")));
      }
    }
    ApplySteps(flow, sources, flows_path);
    catalog.dataflows.push_back(std::move(flow));
  }
  for (const auto& source : sources) {
    if (!used_sources.count(source.id)) {
      Fail(flows_path, fmt::format("source '{}' is in no dataflow", source.id));
    }
  }
  OrderDataflows(catalog.dataflows, flows_path);
  int spell_builders = 0;
  for (const auto& source : sources) spell_builders += source.build_spells ? 1 : 0;
  if (spell_builders > 1)
    Fail(flows_path,
         "'build_spells' is a step of more than one source; a release has one spells "
         "table per shard");
  // Sources in dataflow order, so persons are known before the rows that refer to them.
  for (const auto& flow : catalog.dataflows) {
    for (const auto& input : flow.inputs) {
      for (auto& source : sources) {
        if (source.id == input) catalog.sources.push_back(std::move(source));
      }
    }
  }
  return catalog;
}

}  // namespace jobindsigt::ingest
