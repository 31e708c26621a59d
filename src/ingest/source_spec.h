#pragma once
// Declarations of the source files and the monthly dataflows, read from catalog/dataflows/ at
// run time: adding a column or a source is an edit to a file, not a compile.

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "catalog/code_lists.h"
#include "catalog/municipalities.h"
#include "common/date.h"

namespace jobindsigt::ingest {

enum class FieldType { kId, kInteger, kDecimal, kDate, kMonth, kCode, kMunicipality, kEnum, kText };
enum class Encoding { kUtf8, kLatin1 };
enum class DateFormat { kIso, kDayMonthYear };  // YYYY-MM-DD, DD-MM-YYYY
enum class MonthFormat { kIso, kMonthYear };    // YYYY-MM, MM-YYYY

struct FieldSpec {
  std::string name;
  FieldType type = FieldType::kText;
  bool required = true;
  std::optional<double> min;
  std::optional<double> max;
  bool min_exclusive = false;
  std::optional<DayNumber> min_date;
  const CodeList* code_list = nullptr;  // kCode
  int valid_on = -1;                    // kCode: field index of the date the code must be valid on
  bool allow_abroad = false;            // kMunicipality: 0 = abroad allowed
  std::vector<std::string> values;      // kEnum
  int max_length = 0;                   // kText; 0 = no limit
  int not_before = -1;                  // field index this date may not precede
  int not_above = -1;                   // field index this number may not exceed
  bool not_before_birth = false;        // dates may not precede the person's birth
};

struct SourceFormat {
  Encoding encoding = Encoding::kUtf8;
  char separator = ';';
  bool header = true;
  char decimal_mark = '.';
  DateFormat date_format = DateFormat::kIso;
  MonthFormat month_format = MonthFormat::kIso;
  double quarantine_limit = 0.01;
};

struct SourceSpec {
  std::string id;    // "benefits"
  std::string file;  // "benefits.csv"
  std::filesystem::path declared_in;
  SourceFormat format;
  std::vector<FieldSpec> fields;
  std::vector<int> key;   // field indexes; a single record_id key means versioned records
  int status_index = -1;  // A/D column of versioned records
  int person_index = -1;  // rows must reference a known person
  bool defines_persons = false;
  // From the steps of its dataflow (dataflows.toml), checked when the catalogue is loaded:
  // what the run does with the source's rows.
  std::string dataflow;
  bool resolve_versions = false;  // replace and delete by key (else resolve_keys: latest row)
  bool build_spells = false;      // spells by the four-week rule from its records

  bool versioned() const { return status_index >= 0; }
  std::string ExpectedHeader() const;
  int FieldIndex(std::string_view name) const;
};

struct Dataflow {
  std::string id;
  std::vector<std::string> inputs;
  std::vector<std::string> steps;
  std::vector<std::string> outputs;
  std::vector<std::string> depends_on;
};

struct DataflowCatalog {
  // Field specs point into `codes`: the catalogue moves but is never copied.
  DataflowCatalog() = default;
  DataflowCatalog(const DataflowCatalog&) = delete;
  DataflowCatalog& operator=(const DataflowCatalog&) = delete;
  DataflowCatalog(DataflowCatalog&&) = default;
  DataflowCatalog& operator=(DataflowCatalog&&) = default;

  CodeLists codes;
  std::vector<Municipality> municipalities;
  std::vector<SourceSpec> sources;  // in dependency order: persons first
  std::vector<Dataflow> dataflows;  // in dependency order

  const SourceSpec* FindSource(std::string_view id) const;
};

// Reads and checks catalog/dataflows/ with the code lists and areas it refers to. Throws
// UserError(kBadCatalog) naming the file and what is wrong: an unknown type, list, column,
// step or source, a dependency cycle, a source in no dataflow, and steps that do not fit
// their inputs (a versioned source without resolve_versions, a keyed one without
// resolve_keys, build_spells on a source without the columns of benefit records, the
// source of persons without latest_person, a dataflow without read_validate, an output
// no step produces).
DataflowCatalog LoadDataflowCatalog(const std::filesystem::path& catalog_dir);

}  // namespace jobindsigt::ingest
