// PC-Axis writer. The rules it meets are those of standards.md §4.1 as docs/exports.md lists
// them; tests/export/px_validator checks them independently.

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <optional>
#include <set>

#include "common/period.h"
#include "export/export_text.h"
#include "export/export_writers.h"

namespace jobindsigt::exporting {
namespace {

// Old PC-Axis readers cut lines at 256 bytes; Px.Utils recommends splitting strings longer
// than 150 characters. Both are kept with room for the closing `;`.
constexpr size_t kMaxLine = 256;
constexpr size_t kMaxPiece = 150;

// A PX string may not hold `"` or a line break; they become harmless look-alikes.
std::string Clean(std::string text) {
  for (char& ch : text) {
    if (ch == '"') ch = '\'';
    if (ch == '\n' || ch == '\r' || ch == '\t') ch = ' ';
  }
  return text;
}

// Variable and value names also stand in specifiers, which may not hold `;` (Px.Utils).
std::string CleanName(std::string text) {
  std::replace(text.begin(), text.end(), ';', ',');
  return Clean(std::move(text));
}

std::string Quoted(const std::string& text) {
  return "\"" + Clean(text) + "\"";
}

// Accumulates entries, keeping every line within kMaxLine bytes.
class PxOut {
 public:
  // KEY=value; with a value that needs no quoting (numbers, YES/NO).
  void Plain(const std::string& key, const std::string& value) {
    text_ += key + "=" + value + ";\n";
  }
  // KEY="text"; split into quoted pieces on separate lines when long.
  void Text(const std::string& key, const std::string& value) {
    const std::string clean = Clean(value);
    text_ += key + "=";
    size_t start = 0;
    do {
      size_t length = std::min(kMaxPiece, clean.size() - start);
      // Never cut inside a UTF-8 sequence: back off over continuation bytes.
      while (start + length < clean.size() && (clean[start + length] & 0xC0) == 0x80) --length;
      if (start > 0) text_ += "\n";
      text_ += "\"" + clean.substr(start, length) + "\"";
      start += length;
    } while (start < clean.size());
    text_ += ";\n";
  }
  // KEY="a","b",…; wrapping after a comma. `head` is written before the list unquoted
  // (TIMEVAL's TLIST(M1)).
  void List(const std::string& key, const std::vector<std::string>& items,
            const std::string& head = "") {
    std::string line = key + "=" + head;
    bool comma = !head.empty();
    for (const auto& item : items) {
      const std::string token = Quoted(item);
      if (!comma) {
        line += token;
      } else if (line.size() + token.size() + 2 > kMaxLine) {
        text_ += line + ",\n";
        line = token;
      } else {
        line += "," + token;
      }
      comma = true;
    }
    text_ += line + ";\n";
  }
  // DATA: one stub row per line (wrapped when long), cells separated by a space, every line
  // ending with a space.
  void Data(const std::vector<std::vector<std::string>>& rows) {
    text_ += "DATA=\n";
    for (size_t row = 0; row < rows.size(); ++row) {
      std::string line;
      for (const auto& cell : rows[row]) {
        if (line.size() + cell.size() + 2 > kMaxLine) {
          text_ += line + "\n";
          line.clear();
        }
        line += cell + " ";
      }
      text_ += line + (row + 1 == rows.size() ? ";\n" : "\n");
    }
  }
  std::string Take() { return std::move(text_); }

 private:
  std::string text_;
};

std::string PxDateTime(int64_t unix_seconds) {
  const CivilDate date = CivilFromDays(DayOfTimestamp(unix_seconds));
  const int minute = MinuteOfDay(unix_seconds);
  return fmt::format("{:04d}{:02d}{:02d} {:02d}:{:02d}", date.year, date.month, date.day,
                     minute / 60, minute % 60);
}

// The texts shown for a dimension's values, unique within the dimension (PX names a value by
// its text in specifiers): a duplicate gets its code added.
std::vector<std::string> ValueTexts(const engine::Dimension& dimension,
                                    const ExportContext& context) {
  std::vector<std::string> texts;
  std::set<std::string> seen;
  for (const auto& category : dimension.categories) {
    const std::string& label = Text(category, context.language);
    std::string text = context.labels == LabelMode::kCodes ? category.id
                       : context.labels == LabelMode::kLabels || label == category.id
                           ? label
                           : category.id + " " + label;
    text = CleanName(text);
    if (!seen.insert(text).second) text += " (" + CleanName(category.id) + ")";
    seen.insert(text);
    texts.push_back(text);
  }
  return texts;
}

// TLIST for periods of one whole-calendar type; nothing for mixed types, rolling years and
// years to date (no PX interval fits them).
std::optional<std::string> TimeList(const engine::Dimension& periods,
                                    std::vector<std::string>& stamps) {
  std::optional<PeriodType> type;
  for (const auto& category : periods.categories) {
    const std::optional<Period> period = ParsePeriod(category.id);
    if (!period || (type && *type != period->type)) return std::nullopt;
    type = period->type;
    const CivilDate first = CivilFromDays(period->first_day);
    switch (period->type) {
      case PeriodType::kYear:
        stamps.push_back(fmt::format("{:04d}", first.year));
        break;
      case PeriodType::kQuarter:
        stamps.push_back(fmt::format("{:04d}{}", first.year, (first.month + 2) / 3));
        break;
      case PeriodType::kMonth:
        stamps.push_back(fmt::format("{:04d}{:02d}", first.year, first.month));
        break;
      case PeriodType::kWeek:  // `2024W05` → `202405`
        stamps.push_back(category.id.substr(0, 4) + category.id.substr(5, 2));
        break;
      default:
        return std::nullopt;
    }
  }
  if (!type) return std::nullopt;
  switch (*type) {
    case PeriodType::kYear:
      return "TLIST(A1)";
    case PeriodType::kQuarter:
      return "TLIST(Q1)";
    case PeriodType::kWeek:
      return "TLIST(W1)";
    default:
      return "TLIST(M1)";
  }
}

// A cell in DATA: the number with its measure's decimals, or the dot symbol of its status.
std::string DataCell(double value, engine::CellStatus status, int decimals) {
  if (std::isnan(value)) {
    switch (status) {
      case engine::CellStatus::kNotApplicable:
        return "\".\"";
      case engine::CellStatus::kSuppressed:
        return "\"..\"";
      case engine::CellStatus::kNoDenominator:
        return "\"...\"";
      default:
        return "\"....\"";
    }
  }
  // Halves away from zero, as Excel and LibreOffice show them (printf would round 31.25 to
  // the even 31.2).
  const double scale = std::pow(10.0, decimals);
  std::string text = fmt::format("{:.{}f}", std::round(value * scale) / scale, decimals);
  // Rounding can leave "-0.0"; the reader should see a plain zero.
  if (text[0] == '-' && text.find_first_not_of("-0.") == std::string::npos) text.erase(0, 1);
  return text;
}

struct Layout {
  std::vector<size_t> stub;  // dimension indexes: statistic, area, breakdowns
  size_t heading = kPeriodDimension;
};

Layout MakeLayout(const engine::Cube& cube) {
  Layout layout;
  for (size_t index = 0; index < cube.dimensions.size(); ++index)
    if (index != kPeriodDimension) layout.stub.push_back(index);
  return layout;
}

// The cells in PX order: stub combinations (last stub varying fastest), periods across.
std::vector<std::vector<std::string>> DataRows(const engine::Cube& cube, const Layout& layout,
                                               const std::vector<int>& decimals) {
  size_t row_count = 1;
  for (const size_t index : layout.stub) row_count *= cube.dimensions[index].categories.size();
  const size_t periods = cube.dimensions[layout.heading].categories.size();
  std::vector<std::vector<std::string>> rows(row_count);
  std::vector<size_t> coordinates(cube.dimensions.size(), 0);
  for (size_t row = 0; row < row_count; ++row) {
    size_t rest = row;
    for (size_t stub = layout.stub.size(); stub-- > 0;) {
      const size_t size = cube.dimensions[layout.stub[stub]].categories.size();
      coordinates[layout.stub[stub]] = rest % size;
      rest /= size;
    }
    for (size_t period = 0; period < periods; ++period) {
      coordinates[layout.heading] = period;
      const size_t cell = cube.CellIndex(coordinates);
      rows[row].push_back(DataCell(cube.values[cell], cube.statuses[cell],
                                   decimals[coordinates[kStatisticDimension]]));
    }
  }
  return rows;
}

std::string VariableType(const engine::Dimension& dimension, size_t index) {
  if (index == kStatisticDimension) return "Content";
  if (index == kPeriodDimension) return "Time";
  if (index == kAreaDimension) return "Geographical";
  if (dimension.id == "age" || dimension.id == "duration" || dimension.id == "survival_week")
    return "Ordinal";
  return "Nominal";
}

// One PX file being written: the cube's texts as PX names them, then the entries in the
// order the PX specification lists them, DATA last.
class PxTable {
 public:
  PxTable(const engine::Cube& cube, const ExportContext& context)
      : cube_(cube),
        context_(context),
        language_(context.language),
        da_(Danish(context)),
        layout_(MakeLayout(cube)) {
    for (size_t index = 0; index < cube.dimensions[kStatisticDimension].categories.size();
         ++index) {
      measures_.push_back(MeasureFor(cube, context, index));
      decimals_.push_back(std::clamp(measures_.back().decimals, 0, 6));
      most_ = std::max(most_, decimals_.back());
      fewest_ = std::min(fewest_, decimals_.back());
    }
    for (const auto& dimension : cube.dimensions) {
      names_.push_back(CleanName(Text(dimension, language_)));
      values_.push_back(ValueTexts(dimension, context));
    }
    order_ = layout_.stub;
    order_.push_back(layout_.heading);
  }

  std::string Write() {
    Head();
    Variables();
    Contents();
    Notes();
    px_.Data(DataRows(cube_, layout_, decimals_));
    return px_.Take();
  }

 private:
  std::string Spec(size_t dimension) const { return "(" + Quoted(names_[dimension]) + ")"; }
  std::string Spec(size_t dimension, size_t value) const {
    return "(" + Quoted(names_[dimension]) + "," + Quoted(values_[dimension][value]) + ")";
  }
  std::string Unit(const MeasureInfo& measure) const {
    const std::string& unit = UnitText(measure, language_);
    return unit.empty() ? (da_ ? "antal" : "number") : unit;
  }

  void Head() {
    px_.Text("CHARSET", "Unicode");
    px_.Text("AXIS-VERSION", "2013");
    px_.Text("CODEPAGE", "UTF-8");
    px_.Text("LANGUAGE", da_ ? "da" : "en");
    px_.Text("CREATION-DATE", PxDateTime(context_.generated_unix));
    px_.Plain("DECIMALS", std::to_string(most_));
    px_.Plain("SHOWDECIMALS", std::to_string(fewest_));
    px_.Text("MATRIX", context_.table_id);
    px_.Text("SUBJECT-CODE", context_.subject_code);
    px_.Text("SUBJECT-AREA", da_ ? context_.subject_area_da : context_.subject_area_en);
    px_.Text("TABLEID", context_.table_id);
    px_.Text("TITLE", CubeTitle(cube_, language_));
    px_.Text("CONTENTS", CubeContents(cube_, language_));
    // The table's UNITS: each measure's unit once, in the measures' order.
    std::string units_text;
    std::set<std::string> units;
    for (const auto& measure : measures_) {
      if (units.insert(Unit(measure)).second)
        units_text += (units_text.empty() ? "" : ", ") + Unit(measure);
    }
    px_.Text("UNITS", units_text);
    std::vector<std::string> stub;
    for (const size_t index : layout_.stub) stub.push_back(names_[index]);
    px_.List("STUB", stub);
    px_.List("HEADING", {names_[layout_.heading]});
    px_.Text("CONTVARIABLE", names_[kStatisticDimension]);
  }

  void Variables() {
    for (const size_t index : order_) px_.List("VALUES" + Spec(index), values_[index]);
    std::vector<std::string> stamps;
    if (const auto tlist = TimeList(cube_.dimensions[kPeriodDimension], stamps))
      px_.List("TIMEVAL" + Spec(kPeriodDimension), stamps, *tlist);
    for (const size_t index : order_) {
      std::vector<std::string> codes;
      for (const auto& category : cube_.dimensions[index].categories) codes.push_back(category.id);
      px_.List("CODES" + Spec(index), codes);
    }
    for (const size_t index : order_) {
      px_.Text("VARIABLECODE" + Spec(index), cube_.dimensions[index].id);
      px_.Text("VARIABLE-TYPE" + Spec(index), VariableType(cube_.dimensions[index], index));
    }
    // A reader that leaves a variable out takes its total, which the engine computed exactly.
    for (const size_t index : order_) {
      const auto& categories = cube_.dimensions[index].categories;
      for (size_t value = 0; value < categories.size(); ++value)
        if (categories[value].id == engine::kTotalId)
          px_.Text("ELIMINATION" + Spec(index), values_[index][value]);
    }
  }

  // What standards.md asks per content value once CONTVARIABLE is set.
  void Contents() {
    const std::string updated =
        PxDateTime(context_.release_published_unix != 0 ? context_.release_published_unix
                                                        : context_.generated_unix);
    for (size_t index = 0; index < measures_.size(); ++index) {
      if (decimals_[index] > fewest_)
        px_.Plain("PRECISION" + Spec(kStatisticDimension, index), std::to_string(decimals_[index]));
      px_.Text("UNITS" + Spec(kStatisticDimension, index), Unit(measures_[index]));
      px_.Text("LAST-UPDATED" + Spec(kStatisticDimension, index), updated);
    }
  }

  void Notes() {
    // Preliminary is a property of the period (it holds the cut-off day), so it is said there.
    std::vector<bool> preliminary(cube_.dimensions[kPeriodDimension].categories.size(), false);
    const size_t per_period =
        preliminary.empty() ? 0 : cube_.CellCount() / (measures_.size() * preliminary.size());
    for (size_t cell = 0; per_period > 0 && cell < cube_.CellCount(); ++cell) {
      if (cube_.statuses[cell] == engine::CellStatus::kPreliminary)
        preliminary[cell / per_period % preliminary.size()] = true;
    }
    for (size_t period = 0; period < preliminary.size(); ++period) {
      if (preliminary[period])
        px_.Text("VALUENOTE" + Spec(kPeriodDimension, period),
                 std::string(StatusExplanation(engine::CellStatus::kPreliminary, language_)));
    }
    if (!context_.source.empty()) px_.Text("SOURCE", context_.source);
    if (!context_.contact.empty()) px_.Text("CONTACT", context_.contact);
    const std::string cut_off = FormatIsoDate(cube_.cut_off_day);
    std::string note = da_ ? fmt::format("Udgivelse {}, skæringsdag {}.", cube_.release_id, cut_off)
                           : fmt::format("Release {}, cut-off day {}.", cube_.release_id, cut_off);
    for (const auto& extra : cube_.notes) note += " " + extra;
    px_.Text("NOTE", note);
    // The dot symbols of DataCell and what they mean.
    px_.Text("DATASYMBOL1", std::string(StatusText(engine::CellStatus::kNotApplicable, language_)));
    px_.Text("DATASYMBOL2", std::string(StatusText(engine::CellStatus::kSuppressed, language_)));
    px_.Text("DATASYMBOL3", std::string(StatusText(engine::CellStatus::kNoDenominator, language_)));
    px_.Text("DATASYMBOL4", da_ ? "ingen værdi" : "no value");
  }

  const engine::Cube& cube_;
  const ExportContext& context_;
  Language language_;
  bool da_;
  Layout layout_;
  std::vector<size_t> order_;  // stub variables, then the heading
  std::vector<MeasureInfo> measures_;
  std::vector<int> decimals_;
  int most_ = 0;
  int fewest_ = 6;
  std::vector<std::string> names_;                // variable names, by dimension
  std::vector<std::vector<std::string>> values_;  // value texts, by dimension
  PxOut px_;
};

}  // namespace

std::string CubeToPx(const engine::Cube& cube, const ExportContext& context) {
  return PxTable(cube, context).Write();
}

}  // namespace jobindsigt::exporting
