#include "ingest/file_reader.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <fstream>
#include <numeric>
#include <sstream>

#include "common/random.h"
#include "ingest/field_parser.h"
#include "ingest/resolved_state.h"

namespace jobindsigt::ingest {
namespace {

namespace fs = std::filesystem;

struct FieldError {
  std::string reason;
  std::string message;
};

std::string_view Truncated(std::string_view text) {
  return text.substr(0, 300);
}

std::string Latin1ToUtf8(std::string_view bytes) {
  std::string result;
  result.reserve(bytes.size());
  for (const char ch : bytes) {
    const auto byte = static_cast<unsigned char>(ch);
    if (byte < 0x80) {
      result.push_back(ch);
    } else {
      result.push_back(static_cast<char>(0xC0 | (byte >> 6)));
      result.push_back(static_cast<char>(0x80 | (byte & 0x3F)));
    }
  }
  return result;
}

const char* DateFormatText(DateFormat format) {
  return format == DateFormat::kIso ? "YYYY-MM-DD" : "DD-MM-YYYY";
}

class FileParser {
 public:
  FileParser(const SourceSpec& spec, const ReadContext& context, std::string label, SourceRows& out,
             std::vector<QuarantinedRow>& quarantine, FileReport& report)
      : spec_(spec),
        context_(context),
        label_(std::move(label)),
        out_(out),
        quarantine_(quarantine),
        report_(report),
        ints_(spec.fields.size()),
        reals_(spec.fields.size()) {
    municipality_known_.assign(1000, false);
    for (const auto& municipality : context.catalog->municipalities) {
      municipality_known_[municipality.code] = true;
    }
    packed_codes_.resize(spec.fields.size());
    for (size_t index = 0; index < spec.fields.size(); ++index) {
      const FieldSpec& field = spec.fields[index];
      if (field.type != FieldType::kCode) continue;
      std::vector<uint64_t> packed;
      for (const auto& entry : field.code_list->codes) {
        const auto word = Packed(entry.code);
        if (!word) break;
        packed.push_back(*word);
      }
      if (packed.size() == field.code_list->codes.size()) packed_codes_[index] = std::move(packed);
    }
  }

  void ParseLine(std::string_view line, int64_t line_number);
  void QuarantineDuplicateKeys(size_t first_row);
  // Asks for the persons-table slot of the person named on `line`, which will be parsed a
  // few lines later: each lookup in the large table is a cache miss, and the rows of a file
  // name their persons in no useful order.
  void PrefetchPersonOf(std::string_view line) const;

 private:
  std::optional<FieldError> ParseField(int index, std::string_view text);
  std::optional<FieldError> CheckRelations(int index);
  const KnownPerson* FindPerson(int64_t id);
  void Reject(int64_t line_number, std::string field, std::string_view value, FieldError error);

  const SourceSpec& spec_;
  const ReadContext& context_;
  std::string label_;
  SourceRows& out_;
  std::vector<QuarantinedRow>& quarantine_;
  FileReport& report_;
  std::vector<int64_t> ints_;
  std::vector<double> reals_;
  std::vector<std::string_view> texts_;
  std::vector<bool> municipality_known_;
  // A code of at most 7 bytes as one word (bytes, then the length in the top byte), so that a
  // row's code is found by comparing words rather than strings.
  static std::optional<uint64_t> Packed(std::string_view text) {
    if (text.size() > 7) return std::nullopt;
    uint64_t word = static_cast<uint64_t>(text.size()) << 56;
    std::memcpy(&word, text.data(), text.size());
    return word;
  }
  std::optional<int> FindCode(int index, std::string_view text) const;

  // [field]: the code list of a code field packed (Packed), in list order; empty when a code
  // is longer, or for other fields.
  std::vector<std::vector<uint64_t>> packed_codes_;
  int64_t last_person_id_ = kMissing;
  const KnownPerson* last_person_ = nullptr;
};

void FileParser::Reject(int64_t line_number, std::string field, std::string_view value,
                        FieldError error) {
  report_.rows_quarantined += 1;
  report_.reasons[error.reason] += 1;
  quarantine_.push_back({label_, line_number, std::move(field), std::string(Truncated(value)),
                         std::move(error.reason), std::move(error.message)});
}

void FileParser::ParseLine(std::string_view line, int64_t line_number) {
  report_.rows_read += 1;
  texts_.clear();
  size_t start = 0;
  while (true) {
    const size_t end = line.find(spec_.format.separator, start);
    texts_.push_back(line.substr(start, end == std::string_view::npos ? end : end - start));
    if (end == std::string_view::npos) break;
    start = end + 1;
  }
  if (texts_.size() != spec_.fields.size()) {
    Reject(
        line_number, "", line,
        {"wrong_field_count", fmt::format("{} fields, expected {} separated by '{}'", texts_.size(),
                                          spec_.fields.size(), spec_.format.separator)});
    return;
  }
  for (size_t index = 0; index < texts_.size(); ++index) {
    if (auto error = ParseField(static_cast<int>(index), texts_[index])) {
      Reject(line_number, spec_.fields[index].name, texts_[index], std::move(*error));
      return;
    }
  }
  for (size_t index = 0; index < texts_.size(); ++index) {
    if (auto error = CheckRelations(static_cast<int>(index))) {
      Reject(line_number, spec_.fields[index].name, texts_[index], std::move(*error));
      return;
    }
  }
  for (size_t index = 0; index < texts_.size(); ++index) {
    if (spec_.fields[index].type == FieldType::kDecimal) {
      out_.columns[index].reals.push_back(reals_[index]);
    } else {
      out_.columns[index].ints.push_back(ints_[index]);
    }
  }
  out_.delivery.push_back(context_.delivery);
  out_.file_line.push_back(static_cast<int32_t>(line_number));
  report_.rows_loaded += 1;
}

std::optional<FieldError> FileParser::ParseField(int index, std::string_view text) {
  const FieldSpec& field = spec_.fields[index];
  ints_[index] = kMissing;
  reals_[index] = std::nan("");
  if (text.empty()) {
    if (field.required) return FieldError{"missing_value", "empty: a value is required"};
    return std::nullopt;
  }
  auto range_error = [&](double value) -> std::optional<FieldError> {
    const bool below =
        field.min && (field.min_exclusive ? value <= *field.min : value < *field.min);
    if (below || (field.max && value > *field.max)) {
      return FieldError{
          "out_of_range",
          fmt::format("expected {} {} and at most {}", field.min_exclusive ? "above" : "at least",
                      field.min.value_or(-INFINITY), field.max.value_or(INFINITY))};
    }
    return std::nullopt;
  };
  switch (field.type) {
    case FieldType::kId: {
      const auto value = ParseInteger(text);
      if (!value || *value <= 0) return FieldError{"not_an_id", "expected a positive whole number"};
      ints_[index] = *value;
      return std::nullopt;
    }
    case FieldType::kInteger: {
      const auto value = ParseInteger(text);
      if (!value) return FieldError{"not_a_number", "expected a whole number"};
      ints_[index] = *value;
      return range_error(static_cast<double>(*value));
    }
    case FieldType::kDecimal: {
      const auto value = ParseDecimal(text, spec_.format.decimal_mark);
      if (!value) {
        return FieldError{"not_a_number", fmt::format("expected a number with '{}' as decimal mark",
                                                      spec_.format.decimal_mark)};
      }
      reals_[index] = *value;
      return range_error(*value);
    }
    case FieldType::kDate: {
      const auto day = ParseDate(text, spec_.format.date_format);
      if (!day) {
        return FieldError{"not_a_date", fmt::format("expected a real date {}",
                                                    DateFormatText(spec_.format.date_format))};
      }
      if (field.min_date && *day < *field.min_date) {
        return FieldError{"out_of_range", "expected on or after " + FormatIsoDate(*field.min_date)};
      }
      ints_[index] = *day;
      return std::nullopt;
    }
    case FieldType::kMonth: {
      const auto month = ParseMonth(text, spec_.format.month_format);
      if (!month) {
        return FieldError{"not_a_month", spec_.format.month_format == MonthFormat::kIso
                                             ? "expected a month YYYY-MM"
                                             : "expected a month MM-YYYY"};
      }
      ints_[index] = *month;
      return std::nullopt;
    }
    case FieldType::kCode: {
      const auto code = FindCode(index, text);
      if (!code)
        return FieldError{"unknown_code", "not in the code list '" + field.code_list->id + "'"};
      ints_[index] = *code;
      return std::nullopt;
    }
    case FieldType::kMunicipality: {
      const auto value = ParseInteger(text);
      const bool abroad = value && *value == 0 && field.allow_abroad;
      if (!value || ((*value < 0 || *value >= 1000 || !municipality_known_[*value]) && !abroad)) {
        return FieldError{"unknown_code", field.allow_abroad
                                              ? "expected a municipality code or 0 (abroad)"
                                              : "expected one of the 98 municipality codes"};
      }
      ints_[index] = *value;
      return std::nullopt;
    }
    case FieldType::kEnum: {
      const auto found = std::find(field.values.begin(), field.values.end(), text);
      if (found == field.values.end()) {
        std::string allowed;
        for (const auto& value : field.values) allowed += (allowed.empty() ? "" : "|") + value;
        return FieldError{"not_allowed_value", "expected one of " + allowed};
      }
      ints_[index] = found - field.values.begin();
      return std::nullopt;
    }
    case FieldType::kText: {
      if (field.max_length > 0 && static_cast<int>(text.size()) > field.max_length) {
        return FieldError{"too_long",
                          fmt::format("expected at most {} characters", field.max_length)};
      }
      const auto [entry, inserted] = out_.text_index.emplace(std::string(text), out_.texts.size());
      if (inserted) out_.texts.emplace_back(text);
      ints_[index] = entry->second;
      return std::nullopt;
    }
  }
  return std::nullopt;
}

std::optional<FieldError> FileParser::CheckRelations(int index) {
  const FieldSpec& field = spec_.fields[index];
  if (field.valid_on >= 0 && ints_[index] != kMissing && ints_[field.valid_on] != kMissing) {
    const CodeEntry& entry = field.code_list->codes[ints_[index]];
    const auto day = static_cast<DayNumber>(ints_[field.valid_on]);
    if (day < entry.valid_from || day > entry.valid_to) {
      return FieldError{"code_not_valid",
                        fmt::format("{} is not in use on {} ({})", entry.code, FormatIsoDate(day),
                                    spec_.fields[field.valid_on].name)};
    }
  }
  if (field.not_before >= 0 && ints_[index] != kMissing && ints_[field.not_before] != kMissing &&
      ints_[index] < ints_[field.not_before]) {
    return FieldError{"date_order", "before " + spec_.fields[field.not_before].name};
  }
  if (field.not_above >= 0 && reals_[index] > reals_[field.not_above]) {
    return FieldError{"above_limit", "above " + spec_.fields[field.not_above].name};
  }
  if (index == spec_.person_index && context_.persons != nullptr &&
      FindPerson(ints_[index]) == nullptr) {
    return FieldError{"unknown_person", "not in persons.csv of this or an earlier delivery"};
  }
  if (field.not_before_birth && ints_[index] != kMissing && context_.persons != nullptr &&
      spec_.person_index >= 0) {
    const KnownPerson* person = FindPerson(ints_[spec_.person_index]);
    if (person != nullptr && ints_[index] < person->birth) {
      return FieldError{"before_birth",
                        "before the person's birth " + FormatIsoDate(person->birth)};
    }
  }
  return std::nullopt;
}

std::optional<int> FileParser::FindCode(int index, std::string_view text) const {
  const std::vector<uint64_t>& packed = packed_codes_[index];
  if (packed.empty()) return spec_.fields[index].code_list->Find(text);
  const auto word = Packed(text);
  if (!word) return std::nullopt;  // longer than every code of the list
  const auto found = std::find(packed.begin(), packed.end(), *word);
  if (found == packed.end()) return std::nullopt;
  return static_cast<int>(found - packed.begin());
}

void FileParser::PrefetchPersonOf(std::string_view line) const {
  if (context_.persons == nullptr || spec_.person_index < 0) return;
  size_t start = 0;
  for (int field = 0; field < spec_.person_index; ++field) {
    start = line.find(spec_.format.separator, start);
    if (start == std::string_view::npos) return;
    ++start;
  }
  const size_t end = line.find(spec_.format.separator, start);
  const auto id =
      ParseInteger(line.substr(start, end == std::string_view::npos ? end : end - start));
  if (id) context_.persons->Prefetch(*id);
}

// Rows of one person mostly follow each other, so the last answer is kept: the persons table
// is large and each lookup in it is a cache miss.
const KnownPerson* FileParser::FindPerson(int64_t id) {
  if (id == last_person_id_ && last_person_ != nullptr) return last_person_;
  const KnownPerson* person = context_.persons->Find(id);
  if (person != nullptr && person->since > context_.delivery) person = nullptr;
  last_person_id_ = id;
  last_person_ = person;
  return person;
}

// Two rows with the same key in one file leave it unclear which is right: both are
// quarantined rather than one chosen by position.
void FileParser::QuarantineDuplicateKeys(size_t first_row) {
  const size_t count = out_.size() - first_row;
  auto key_of = [&](size_t row) {
    RowKey key{};
    for (size_t part = 0; part < spec_.key.size() && part < key.size(); ++part)
      key[part] = out_.Int(spec_.key[part], row);
    return key;
  };
  // Duplicates are rare: the rows whose key was seen before in this file are found through an
  // open-addressing table of (hash, row) slots, one probe per row instead of a sort of all.
  size_t capacity = 16;
  while (capacity < count * 2) capacity *= 2;
  struct Slot {
    uint32_t hash = 0;
    uint32_t position = UINT32_MAX;
  };
  std::vector<Slot> slots(capacity);
  std::vector<size_t> duplicated;  // rows whose key appears more than once
  std::vector<bool> listed(count, false);
  for (size_t position = 0; position < count; ++position) {
    const RowKey key = key_of(first_row + position);
    uint64_t hash = 0;
    for (const int64_t part : key) hash = Mix64(hash ^ static_cast<uint64_t>(part));
    const auto tag = static_cast<uint32_t>(hash >> 32);
    size_t slot = hash & (capacity - 1);
    for (; slots[slot].position != UINT32_MAX; slot = (slot + 1) & (capacity - 1)) {
      const uint32_t other = slots[slot].position;
      if (slots[slot].hash != tag || !KeyEqual(key_of(first_row + other), key)) continue;
      for (const size_t seen : {static_cast<size_t>(other), position}) {
        if (!listed[seen]) duplicated.push_back(first_row + seen);
        listed[seen] = true;
      }
      break;
    }
    if (slots[slot].position == UINT32_MAX)
      slots[slot] = Slot{tag, static_cast<uint32_t>(position)};
  }
  if (duplicated.empty()) return;
  // Quarantined by key, then line: the order a reader of the file would list them in.
  std::sort(duplicated.begin(), duplicated.end(), [&](size_t a, size_t b) {
    const RowKey left = key_of(a);
    const RowKey right = key_of(b);
    return KeyEqual(left, right) ? a < b : KeyLess(left, right);
  });
  std::vector<bool> keep(out_.size(), true);
  for (size_t begin = 0; begin < duplicated.size();) {
    size_t end = begin + 1;
    while (end < duplicated.size() && KeyEqual(key_of(duplicated[begin]), key_of(duplicated[end])))
      ++end;
    for (size_t position = begin; position < end; ++position) {
      const size_t row = duplicated[position];
      keep[row] = false;
      report_.rows_loaded -= 1;
      Reject(out_.file_line[row], spec_.fields[spec_.key.front()].name,
             std::to_string(out_.Int(spec_.key.front(), row)),
             {"duplicate_key", fmt::format("the key appears {} times in this file", end - begin)});
    }
    begin = end;
  }
  out_.Compact(keep);
}

// Read in one piece into a string of the file's size (a stream into an ostringstream grew
// and copied the text several times: delivery files are tens of megabytes).
std::optional<std::string> ReadWholeFile(const fs::path& path) {
  std::ifstream input(path, std::ios::binary | std::ios::ate);
  if (!input) return std::nullopt;
  const std::streamoff size = input.tellg();
  if (size < 0) return std::nullopt;
  std::string bytes(static_cast<size_t>(size), '\0');
  input.seekg(0);
  if (!input.read(bytes.data(), size)) return std::nullopt;
  // A file that grew meanwhile: the rest is read too, so nothing is silently cut off.
  char extra[65536];
  while (input.read(extra, sizeof(extra)) || input.gcount() > 0)
    bytes.append(extra, static_cast<size_t>(input.gcount()));
  return bytes;
}

// Checks presence, encoding and header; returns the text after the header, or the reason
// the whole file is rejected.
std::optional<FieldError> CheckFile(const SourceSpec& spec, const fs::path& path,
                                    std::string& content, size_t& body_start) {
  std::error_code error;
  if (!fs::exists(path, error)) {
    return FieldError{"missing_file", "the file is missing: every delivery must have " + spec.file};
  }
  auto bytes = ReadWholeFile(path);
  if (!bytes) return FieldError{"unreadable_file", "the file cannot be read"};
  content = std::move(*bytes);
  if (content.empty())
    return FieldError{"empty_file", "the file is empty: expected at least the header row"};
  bool multibyte = false;
  const bool valid_utf8 = IsValidUtf8(content, multibyte);
  const bool bom = content.rfind("\xEF\xBB\xBF", 0) == 0;
  if (spec.format.encoding == Encoding::kUtf8) {
    if (!valid_utf8) return FieldError{"wrong_encoding", "not valid UTF-8: expected UTF-8"};
    if (bom) content.erase(0, 3);
  } else {
    if (bom || (valid_utf8 && multibyte)) {
      return FieldError{"wrong_encoding",
                        "the file is UTF-8 encoded: expected ISO-8859-1 (legacy format)"};
    }
    content = Latin1ToUtf8(content);
  }
  const size_t header_end = content.find('\n');
  std::string header = content.substr(0, header_end);
  if (!header.empty() && header.back() == '\r') header.pop_back();
  if (header != spec.ExpectedHeader()) {
    return FieldError{"wrong_header", fmt::format("header is '{}': expected '{}'",
                                                  Truncated(header), spec.ExpectedHeader())};
  }
  body_start = header_end == std::string::npos ? content.size() : header_end + 1;
  return std::nullopt;
}

}  // namespace

FileReport ReadSourceFile(const SourceSpec& spec, const fs::path& path, const ReadContext& context,
                          SourceRows& out, std::vector<QuarantinedRow>& quarantine) {
  FileReport report;
  report.file = FormatYearMonth(context.delivery) + "/" + spec.file;
  std::string content;
  size_t body_start = 0;
  if (auto rejection = CheckFile(spec, path, content, body_start)) {
    report.rejected = true;
    report.rejection = rejection->reason + ": " + rejection->message;
    // Count the lines as read and set aside, so that nothing goes unaccounted.
    const auto lines = std::count(content.begin(), content.end(), '\n');
    report.rows_read = std::max<int64_t>(0, lines - 1);
    report.rows_quarantined = report.rows_read;
    if (report.rows_read > 0) report.reasons["file_rejected"] = report.rows_read;
    return report;
  }
  FileParser parser(spec, context, report.file, out, quarantine, report);
  const size_t first_row = out.size();
  int64_t line_number = 1;
  size_t position = body_start;
  // `ahead` runs kLinesAhead lines in front of `position`, asking for their persons' slots.
  constexpr int kLinesAhead = 12;
  size_t ahead = body_start;
  auto prefetch_next = [&] {
    if (ahead >= content.size()) return;
    size_t end = content.find('\n', ahead);
    if (end == std::string::npos) end = content.size();
    parser.PrefetchPersonOf(std::string_view(content.data() + ahead, end - ahead));
    ahead = end + 1;
  };
  for (int line = 0; line < kLinesAhead; ++line) prefetch_next();
  while (position < content.size()) {
    prefetch_next();
    size_t end = content.find('\n', position);
    if (end == std::string::npos) end = content.size();
    std::string_view line(content.data() + position, end - position);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    parser.ParseLine(line, ++line_number);
    position = end + 1;
  }
  parser.QuarantineDuplicateKeys(first_row);
  return report;
}

SourceRows::SourceRows(const SourceSpec* source) : spec(source) {
  if (source != nullptr) columns.resize(source->fields.size());
}

void SourceRows::Compact(const std::vector<bool>& keep) {
  size_t kept = 0;
  for (size_t row = 0; row < size(); ++row) {
    if (!keep[row]) continue;
    for (auto& column : columns) {
      if (!column.ints.empty()) column.ints[kept] = column.ints[row];
      if (!column.reals.empty()) column.reals[kept] = column.reals[row];
    }
    delivery[kept] = delivery[row];
    file_line[kept] = file_line[row];
    ++kept;
  }
  for (auto& column : columns) {
    column.ints.resize(std::min(kept, column.ints.size()));
    column.reals.resize(std::min(kept, column.reals.size()));
  }
  delivery.resize(kept);
  file_line.resize(kept);
}

void SourceRows::ClearRows() {
  for (auto& column : columns) {
    column.ints.clear();
    column.reals.clear();
  }
  delivery.clear();
  file_line.clear();
}

void SourceRows::AppendRow(const SourceRows& other, size_t row) {
  for (size_t field = 0; field < columns.size(); ++field) {
    if (spec->fields[field].type == FieldType::kDecimal) {
      columns[field].reals.push_back(other.columns[field].reals[row]);
    } else {
      columns[field].ints.push_back(other.columns[field].ints[row]);
    }
  }
  delivery.push_back(other.delivery[row]);
  file_line.push_back(other.file_line[row]);
}

}  // namespace jobindsigt::ingest
