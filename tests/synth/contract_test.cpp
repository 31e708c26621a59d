// The tiny scale's deliveries checked field by field against the data contract (shared
// docs/data-contract.md). The files are read with the tests' own plain reader and the code lists
// straight from the catalogue, so a fault shared by the generator's writer and its built-in code
// tables cannot hide. Each check collects its violations and prints a sample with file, delivery
// month, line and field, so a systematic fault gives a readable report rather than 10,000 lines.

#include <gtest/gtest.h>
#include <toml++/toml.h>

#include <algorithm>
#include <atomic>
#include <climits>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "source_reader.h"
#include "support/generated_data.h"
#include "synth/generator.h"
#include "synth/scale.h"
#include "synth/world.h"

namespace jobindsigt::test {
namespace {

namespace fs = std::filesystem;

// The contract's files with their field lists, written out here instead of taken from the
// generator, so that a header the generator gets wrong fails.
const std::map<std::string, std::vector<std::string>>& ContractFiles() {
  static const auto* files = new std::map<std::string, std::vector<std::string>>{
      {"persons.csv", {"person_id", "birth_date", "sex", "origin", "education"}},
      {"residence.csv", {"person_id", "municipality_code", "from_date"}},
      {"benefits.csv",
       {"record_id", "person_id", "benefit_code", "municipality_code", "from_date", "to_date",
        "degree", "visitation", "unemployment_fund", "status"}},
      {"offers.csv",
       {"record_id", "person_id", "offer_type", "municipality_code", "from_date", "to_date",
        "hours_per_week", "provider", "price_dkk", "status"}},
      {"meetings.csv",
       {"record_id", "person_id", "municipality_code", "meeting_type", "due_date", "held_date",
        "outcome", "caseworker_id", "department_code", "status"}},
      {"payments.csv",
       {"person_id", "month", "benefit_code", "municipality_code", "gross_dkk", "refund_dkk"}},
      {"employment.csv", {"person_id", "month", "paid_hours", "industry"}},
      {"education.csv", {"record_id", "person_id", "from_date", "to_date", "level", "status"}},
      {"vacancies.csv",
       {"municipality_code", "month", "industry", "open_vacancies", "new_postings"}},
      {"caseworkers.csv", {"municipality_code", "department_code", "month", "caseworker_fte"}},
  };
  return *files;
}

// --- Parsing, strict and independent of src/common/date.h ---------------------------------

bool AllDigits(std::string_view text) {
  if (text.empty()) return false;
  for (char c : text) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

// Month number year * 12 + month - 1 (the generator's MonthIndex encoding) of valid parts.
std::optional<int> MonthNumber(std::string_view year, std::string_view month) {
  if (year.size() != 4 || month.size() != 2 || !AllDigits(year) || !AllDigits(month)) {
    return std::nullopt;
  }
  const int m = std::stoi(std::string(month));
  if (m < 1 || m > 12) return std::nullopt;
  return std::stoi(std::string(year)) * 12 + m - 1;
}

std::optional<int> YearMonth(std::string_view text) {  // YYYY-MM
  if (text.size() != 7 || text[4] != '-') return std::nullopt;
  return MonthNumber(text.substr(0, 4), text.substr(5, 2));
}

std::optional<int> MonthYear(std::string_view text) {  // MM-YYYY, the legacy payments format
  if (text.size() != 7 || text[2] != '-') return std::nullopt;
  return MonthNumber(text.substr(3, 4), text.substr(0, 2));
}

std::string MonthText(int month) {
  char text[16];
  std::snprintf(text, sizeof text, "%04d-%02d", month / 12, month % 12 + 1);
  return text;
}

int LastDay(int month) {
  return IsoDay(MonthText(month + 1) + "-01") - 1;
}

// The month of a `month` field: payments have the legacy MM-YYYY, the others YYYY-MM.
std::optional<int> MonthField(const std::string& file, std::string_view text) {
  return file == "payments.csv" ? MonthYear(text) : YearMonth(text);
}

// Day number of an ISO date that exists in the calendar (IsoDay alone accepts 2024-02-31).
std::optional<int> Day(std::string_view text) {
  if (text.size() != 10 || text[7] != '-') return std::nullopt;
  const auto month = YearMonth(text.substr(0, 7));
  const std::string_view day = text.substr(8, 2);
  if (!month || !AllDigits(day)) return std::nullopt;
  const int d = std::stoi(std::string(day));
  if (d < 1 || d > LastDay(*month) - LastDay(*month - 1)) return std::nullopt;
  return IsoDay(std::string(text));
}

// A positive integer that fits in int64 (ids are pseudonyms, never zero or signed).
bool IsId(std::string_view text) {
  if (!AllDigits(text) || text[0] == '0' || text.size() > 19) return false;
  return text.size() < 19 || text <= "9223372036854775807";
}

// A non-negative decimal with the given mark; the fraction is optional, the mark never bare.
std::optional<double> Decimal(std::string_view text, char mark) {
  const size_t at = text.find(mark);
  if (!AllDigits(text.substr(0, at))) return std::nullopt;
  if (at != std::string_view::npos && !AllDigits(text.substr(at + 1))) return std::nullopt;
  std::string plain(text);
  if (at != std::string_view::npos) plain[at] = '.';
  return std::stod(plain);
}

// Whether `value` has the contract's format for `field` of `file`. Field names decide, as they
// mean the same in every file; codes are checked against the catalogue elsewhere.
bool HasFormat(const std::string& file, const std::string& field, const std::string& value) {
  if (field == "record_id" || field == "person_id") return IsId(value);
  if (field == "held_date" && value.empty()) return true;  // a meeting not held
  // An open record has no end; only benefits and education have open records.
  if (field == "to_date" && value.empty()) {
    return file == "benefits.csv" || file == "education.csv";
  }
  if (field.ends_with("_date")) return Day(value).has_value();
  if (field == "degree") {
    const auto degree = Decimal(value, '.');
    return degree && *degree > 0 && *degree <= 1;
  }
  if (field == "status") return value == "A" || value == "D";
  if (field == "month") return MonthField(file, value).has_value();
  // The legacy payments format has a decimal comma; everything else a decimal point.
  if (field == "gross_dkk" || field == "refund_dkk") {
    return value.find(',') != std::string::npos && Decimal(value, ',').has_value();
  }
  if (field == "price_dkk" || field == "caseworker_fte") return Decimal(value, '.').has_value();
  if (field == "paid_hours" || field == "hours_per_week") {
    return AllDigits(value) && value.find_first_not_of('0') != std::string::npos;
  }
  if (field == "open_vacancies" || field == "new_postings") return AllDigits(value);
  return true;
}

// The catalogue list of each coded field; a field name means the same in every file.
const std::map<std::string, std::string>& ListOfField() {
  // clang-format off
  static const auto* lists = new std::map<std::string, std::string>{
      {"sex", "sex"}, {"origin", "origin"}, {"education", "education"}, {"level", "education"},
      {"benefit_code", "benefit"}, {"municipality_code", "municipality"},
      {"visitation", "visitation"}, {"unemployment_fund", "unemployment_fund"},
      {"offer_type", "offer_type"}, {"provider", "provider"}, {"meeting_type", "meeting_type"},
      {"department_code", "department"}, {"industry", "industry"}};
  // clang-format on
  return *lists;
}

// --- Rows and violations ------------------------------------------------------------------

struct Delivery {
  std::string name;  // the folder, YYYY-MM
  int month = 0;
  std::map<std::string, CsvFile> files;
};

// One data row with its place, read by field name.
struct Row {
  const std::string* file;
  const Delivery* delivery;
  size_t line;  // 1-based, the header is line 1
  const std::vector<std::string>* fields;

  const std::string& operator[](std::string_view field) const {
    const auto& names = ContractFiles().at(*file);
    for (size_t i = 0; i < names.size(); ++i) {
      if (names[i] == field) return (*fields)[i];
    }
    throw std::logic_error("no field " + std::string(field) + " in " + *file);
  }
  std::string Where(std::string_view field) const {
    return *file + " " + delivery->name + " line " + std::to_string(line) + " field " +
           std::string(field) + " = '" + (*this)[field] + "'";
  }
};

class Violations {
 public:
  void Add(const std::string& where, std::string_view why) {
    if (count_++ < kShown) text_ += "\n  " + where + ": " + std::string(why);
  }
  void Add(const Row& row, std::string_view field, std::string_view why) {
    Add(row.Where(field), why);
  }
  int64_t count() const { return count_; }
  std::string Report() const {
    return std::to_string(count_) + " violation(s), the first ones:" + text_;
  }

 private:
  static constexpr int64_t kShown = 25;
  int64_t count_ = 0;
  std::string text_;
};

// A catalogue code list: code -> first and last valid day (unbounded when absent).
struct CodeList {
  std::map<std::string, std::pair<int, int>> validity;
  std::set<std::string> paid_by_municipality;  // benefits only
  bool Has(const std::string& code) const { return validity.count(code) > 0; }
};

int TomlDay(const toml::node_view<const toml::node>& node, int fallback) {
  const auto date = node.value<toml::date>();
  if (!date) return fallback;
  char text[16];
  std::snprintf(text, sizeof text, "%04d-%02d-%02d", date->year, date->month, date->day);
  return IsoDay(text);
}

// Every code list in catalog/codes, keyed by its `list` id, plus the municipalities.
std::map<std::string, CodeList> LoadCatalogue(const fs::path& catalog) {
  std::map<std::string, CodeList> lists;
  for (const auto& entry : fs::directory_iterator(catalog / "codes")) {
    const toml::table table = toml::parse_file(entry.path().string());
    const auto* codes = table["code"].as_array();
    if (codes == nullptr) continue;  // benefit_groups.toml has groups, not codes
    CodeList& list = lists[table["list"].value_or(std::string())];
    for (const auto& node : *codes) {
      if (!node.is_table()) continue;
      const toml::table& code_table = *node.as_table();
      const toml::node_view<const toml::node> code(code_table);
      const std::string code_text = code["code"].value_or(std::string());
      list.validity[code_text] = {TomlDay(code["valid_from"], INT_MIN),
                                  TomlDay(code["valid_to"], INT_MAX)};
      if (code["paid_by_municipality"].value_or(false)) list.paid_by_municipality.insert(code_text);
    }
  }
  std::ifstream csv(catalog / "areas" / "municipalities.csv");
  std::string line;
  std::getline(csv, line);  // header
  while (std::getline(csv, line)) {
    lists["municipality"].validity[line.substr(0, line.find(','))] = {INT_MIN, INT_MAX};
  }
  return lists;
}

// --- The suite ----------------------------------------------------------------------------

// The whole suite shares one generated run, read once; the checks only look at it.
class ContractTest : public ::testing::Test {
 protected:
  struct Shared {
    fs::path root;  // holds only `sources`: the generator stages its files beside its output
    synth::ScalePreset preset;
    std::string error;
    std::vector<Delivery> deliveries;
    std::map<std::string, CodeList> lists;
  };

  static void SetUpTestSuite() {
    shared_ = new Shared;
    shared_->root = TestFolder("contract");
    try {
      fs::remove_all(shared_->root);
      fs::create_directories(shared_->root);
      const synth::GeneratorOptions options = OptionsFor("tiny", 7, Sources());
      synth::Generate(options, std::atomic<bool>{false});
      shared_->preset = options.preset;
      for (const std::string& name : DeliveryMonths(Sources())) {
        Delivery delivery{name, YearMonth(name).value(), {}};
        for (const auto& [file, fields] : ContractFiles()) {
          if (fs::exists(Sources() / name / file)) {
            delivery.files[file] = ReadCsv(Sources() / name / file);
          }
        }
        shared_->deliveries.push_back(std::move(delivery));
      }
      shared_->lists = LoadCatalogue(JOBINDSIGT_TEST_CATALOG_DIR);
      for (const auto& [field, list] : ListOfField()) {
        if (shared_->lists.count(list) == 0) shared_->error = "the catalogue has no list " + list;
      }
    } catch (const std::exception& error) {
      shared_->error = error.what();
    }
  }

  static void TearDownTestSuite() {
    std::error_code ignored;
    fs::remove_all(shared_->root, ignored);
    delete shared_;
    shared_ = nullptr;
  }

  void SetUp() override { ASSERT_EQ(shared_->error, "") << "generating or reading failed"; }

  static fs::path Sources() { return shared_->root / "sources"; }
  static const CodeList& List(const std::string& id) { return shared_->lists.at(id); }

  // Calls visit(row) for each row of `file` in delivery order; rows of the wrong width are
  // reported by HeadersAndFieldCounts and skipped here, so their fields are never misread.
  template <typename Visit>
  static void ForEachRow(const std::string& file, Visit visit) {
    for (const Delivery& delivery : shared_->deliveries) {
      const auto found = delivery.files.find(file);
      if (found == delivery.files.end()) continue;
      const auto& rows = found->second.rows;
      for (size_t i = 0; i < rows.size(); ++i) {
        if (rows[i].size() != ContractFiles().at(file).size()) continue;
        visit(Row{&found->first, &delivery, i + 2, &rows[i]});
      }
    }
  }

  static inline Shared* shared_ = nullptr;
};

TEST_F(ContractTest, EveryDeliveryMonthHoldsExactlyTheTenFiles) {
  std::vector<std::string> expected;
  for (int month = shared_->preset.default_from; month <= shared_->preset.default_until; ++month) {
    expected.push_back(MonthText(month));
  }
  std::vector<std::string> found;
  for (const auto& entry : fs::directory_iterator(Sources())) {
    found.push_back(entry.path().filename().string());
  }
  std::sort(found.begin(), found.end());
  EXPECT_EQ(found, expected) << "delivery folders in " << Sources();
  // Nothing half-written may be left beside the output (the staging folder is renamed away).
  EXPECT_EQ(std::distance(fs::directory_iterator(shared_->root), fs::directory_iterator()), 1);
  std::vector<std::string> files;
  for (const auto& [file, fields] : ContractFiles()) files.push_back(file);
  for (const auto& month : expected) {
    std::vector<std::string> in_folder;
    for (const auto& entry : fs::directory_iterator(Sources() / month)) {
      in_folder.push_back(entry.path().filename().string() +
                          (entry.is_regular_file() ? "" : " (not a regular file)"));
    }
    std::sort(in_folder.begin(), in_folder.end());
    EXPECT_EQ(in_folder, files) << "files of delivery " << month;
  }
}

TEST_F(ContractTest, HeadersAndFieldCountsFollowTheContract) {
  Violations violations;
  for (const Delivery& delivery : shared_->deliveries) {
    for (const auto& [file, fields] : ContractFiles()) {
      const auto found = delivery.files.find(file);
      if (found == delivery.files.end()) continue;  // reported by the folder layout check
      std::string header;
      for (const auto& field : fields) header += (header.empty() ? "" : ";") + field;
      if (found->second.header != header) {
        violations.Add(
            file + " " + delivery.name + " line 1 (header) = '" + found->second.header + "'",
            "expected '" + header + "'");
      }
      const auto& rows = found->second.rows;
      for (size_t i = 0; i < rows.size(); ++i) {
        if (rows[i].size() == fields.size()) continue;
        violations.Add(
            file + " " + delivery.name + " line " + std::to_string(i + 2),
            std::to_string(rows[i].size()) + " fields, expected " + std::to_string(fields.size()));
      }
    }
  }
  EXPECT_EQ(violations.count(), 0) << violations.Report();
}

TEST_F(ContractTest, FieldsHaveTheContractFormats) {
  Violations violations;
  for (const auto& [file, fields] : ContractFiles()) {
    ForEachRow(file, [&](const Row& row) {
      for (const std::string& field : fields) {
        if (!HasFormat(file, field, row[field])) violations.Add(row, field, "wrong format");
      }
      if (file == "benefits.csv" || file == "offers.csv" || file == "education.csv") {
        const auto from = Day(row["from_date"]);
        const auto to = Day(row["to_date"]);
        if (from && to && *from > *to) violations.Add(row, "to_date", "before from_date");
      }
      if (file == "payments.csv") {
        const auto gross = Decimal(row["gross_dkk"], ',');
        const auto refund = Decimal(row["refund_dkk"], ',');
        if (gross && *gross <= 0) violations.Add(row, "gross_dkk", "not positive");
        if (gross && refund && *refund > *gross) violations.Add(row, "refund_dkk", "> gross_dkk");
      }
    });
  }
  EXPECT_EQ(violations.count(), 0) << violations.Report();
}

TEST_F(ContractTest, CodesAreInTheCatalogueAndValid) {
  Violations violations;
  for (const auto& [file, fields] : ContractFiles()) {
    ForEachRow(file, [&](const Row& row) {
      for (const std::string& field : fields) {
        const auto list = ListOfField().find(field);
        const std::string& value = row[field];
        if (list == ListOfField().end() || List(list->second).Has(value)) continue;
        if (value.empty() && (field == "visitation" || field == "unemployment_fund")) continue;
        if (file == "residence.csv" && value == "0") continue;  // 0 = abroad
        violations.Add(row, field, "not in the catalogue list " + list->second);
      }
    });
  }
  ForEachRow("benefits.csv", [&](const Row& row) {
    // The fund is what makes a person insured: ADP rows carry one, no other benefit does.
    if ((row["benefit_code"] == "ADP") == row["unemployment_fund"].empty()) {
      violations.Add(row, "unemployment_fund", "must be set exactly on ADP rows");
    }
    // A code is used only in its validity (UDH from 2014, INT 2016-01-01 … 2019-06-30, …).
    const auto from = Day(row["from_date"]);
    for (const auto& [field, list] :
         {std::pair{"benefit_code", "benefit"}, std::pair{"visitation", "visitation"}}) {
      const auto found = List(list).validity.find(row[field]);
      if (!from || found == List(list).validity.end()) continue;
      if (*from < found->second.first || *from > found->second.second) {
        violations.Add(row, field, "not valid on from_date " + row["from_date"]);
      }
    }
  });
  ForEachRow("payments.csv", [&](const Row& row) {
    // EFT and BAR are paid by others, so a municipal finance system cannot book them.
    if (List("benefit").Has(row["benefit_code"]) &&
        List("benefit").paid_by_municipality.count(row["benefit_code"]) == 0) {
      violations.Add(row, "benefit_code", "not paid by the municipality");
    }
  });
  EXPECT_EQ(violations.count(), 0) << violations.Report();
}

TEST_F(ContractTest, NothingRunsAheadOfItsDelivery) {
  // A delivery reports what has happened by the end of its month: nothing may start later.
  std::map<std::string, int> birth;  // person -> birth day, for "impossible date" rows
  ForEachRow("persons.csv", [&](const Row& row) {
    if (const auto day = Day(row["birth_date"])) birth[row["person_id"]] = *day;
  });
  Violations violations;
  auto check_day = [&](const Row& row, const char* field) {
    const auto day = Day(row[field]);
    if (!day) return;
    if (*day > LastDay(row.delivery->month)) violations.Add(row, field, "after the delivery");
    const auto born = birth.find(row["person_id"]);
    if (born != birth.end() && *day < born->second) violations.Add(row, field, "before birth");
  };
  for (const char* file : {"residence.csv", "benefits.csv", "offers.csv", "education.csv"}) {
    ForEachRow(file, [&](const Row& row) { check_day(row, "from_date"); });
  }
  ForEachRow("meetings.csv", [&](const Row& row) {
    check_day(row, "due_date");
    check_day(row, "held_date");
    const std::string& outcome = row["outcome"];
    if (outcome != "held" && outcome != "no_show" && outcome != "cancelled") {
      violations.Add(row, "outcome", "not held/no_show/cancelled");
    }
    if ((outcome == "held") == row["held_date"].empty()) {
      violations.Add(row, "held_date", "must be empty exactly when outcome is not held");
    }
  });
  // Work in month M is known only after M ends, so it comes with a later delivery.
  for (const std::string file :
       {"payments.csv", "employment.csv", "vacancies.csv", "caseworkers.csv"}) {
    const int lag = file == "employment.csv" ? 1 : 0;
    ForEachRow(file, [&](const Row& row) {
      const auto month = MonthField(file, row["month"]);
      if (month && *month + lag > row.delivery->month) {
        violations.Add(row, "month", lag ? "not before the delivery" : "after the delivery");
      }
    });
  }
  EXPECT_EQ(violations.count(), 0) << violations.Report();
}

TEST_F(ContractTest, IdsAreKnownUniqueAndDeletedOnlyAfterDelivery) {
  Violations violations;
  std::map<std::string, int> first_delivered;  // person -> first delivery of persons.csv
  std::set<std::pair<int, std::string>> persons_seen;
  ForEachRow("persons.csv", [&](const Row& row) {
    first_delivered.emplace(row["person_id"], row.delivery->month);  // deliveries come in order
    if (!persons_seen.emplace(row.delivery->month, row["person_id"]).second) {
      violations.Add(row, "person_id", "more than once in one delivery");
    }
  });
  // The ingest rejects a row of an unknown person, so a person must come first or together.
  for (const auto& [file, fields] : ContractFiles()) {
    if (std::find(fields.begin(), fields.end(), "person_id") == fields.end()) continue;
    ForEachRow(file, [&](const Row& row) {
      const auto first = first_delivered.find(row["person_id"]);
      if (first == first_delivered.end() || first->second > row.delivery->month) {
        violations.Add(row, "person_id", "not in persons.csv of this or an earlier delivery");
      }
    });
  }
  for (const char* file : {"benefits.csv", "offers.csv", "meetings.csv", "education.csv"}) {
    std::map<std::string, int> first_added;  // record_id -> first delivery with status A
    std::set<std::pair<int, std::string>> seen;
    ForEachRow(file, [&](const Row& row) {
      const std::string& id = row["record_id"];
      // Two versions in one delivery would leave the replacement order undefined.
      if (!seen.emplace(row.delivery->month, id).second) {
        violations.Add(row, "record_id", "twice in one delivery");
      }
      if (row["status"] == "A") first_added.emplace(id, row.delivery->month);
      const auto added = first_added.find(id);
      if (row["status"] == "D" &&
          (added == first_added.end() || added->second >= row.delivery->month)) {
        violations.Add(row, "record_id", "deleted but not delivered with A in an earlier delivery");
      }
    });
  }
  EXPECT_EQ(violations.count(), 0) << violations.Report();
}

TEST_F(ContractTest, EmploymentOnlyForPersonsWhoHaveBeenOnABenefit) {
  Violations violations;
  std::map<std::string, std::string> first_benefit_month;  // person -> earliest from_date month
  ForEachRow("benefits.csv", [&](const Row& row) {
    const std::string month = row["from_date"].substr(0, 7);
    auto [entry, inserted] = first_benefit_month.emplace(row["person_id"], month);
    if (!inserted && month < entry->second) entry->second = month;
  });
  ForEachRow("employment.csv", [&](const Row& row) {
    const auto found = first_benefit_month.find(row["person_id"]);
    if (found == first_benefit_month.end()) {
      violations.Add(row, "person_id", "has no benefit record in any delivery");
    } else if (row["month"] < found->second) {
      violations.Add(row, "month", "before the person's first benefit record");
    }
  });
  EXPECT_EQ(violations.count(), 0) << violations.Report();
}

TEST_F(ContractTest, ScaleIsTinyTwoThousandPersonsInTwoMunicipalities) {
  std::set<std::string> persons;
  ForEachRow("persons.csv", [&](const Row& row) { persons.insert(row["person_id"]); });
  const int64_t contract_persons = 2000;  // data contract: tiny is about 2,000 persons
  EXPECT_GE(static_cast<int64_t>(persons.size()), contract_persons * 9 / 10);
  EXPECT_LE(static_cast<int64_t>(persons.size()), contract_persons * 11 / 10);
  std::set<std::string> expected = {"0"};  // abroad: emigrants and not yet arrived immigrants
  for (int code : shared_->preset.municipalities) expected.insert(std::to_string(code));
  ASSERT_EQ(expected.size(), 3u) << "the tiny preset should name two municipalities";
  std::set<std::string> found;
  ForEachRow("residence.csv", [&](const Row& row) { found.insert(row["municipality_code"]); });
  // 0 may be missing in a run without moves abroad; the two municipalities may not.
  if (found.count("0") == 0) expected.erase("0");
  EXPECT_EQ(found, expected) << "municipality codes in residence.csv";
}

}  // namespace
}  // namespace jobindsigt::test
