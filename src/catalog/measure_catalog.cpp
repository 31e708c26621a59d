#include "catalog/measure_catalog.h"

#include <fmt/format.h>
#include <toml++/toml.h>

#include <algorithm>
#include <array>
#include <initializer_list>
#include <map>
#include <set>

#include "common/error.h"
#include "engine/query_resolver.h"

namespace jobindsigt {
namespace {

namespace fs = std::filesystem;
using engine::BreakdownKind;
using engine::Statistic;

constexpr std::string_view kGroupsFile = "groups.toml";
constexpr std::string_view kBandsFile = "bands.toml";
constexpr std::array<std::string_view, 7> kUnits = {"persons", "fte", "spells",  "weeks",
                                                    "percent", "dkk", "meetings"};
constexpr std::array<std::string_view, 4> kFrequencies = {"weekly", "monthly", "quarterly",
                                                          "yearly"};
constexpr int kMaxDecimals = 4;
// Status after up to three years: later months are rarely inside a release's span.
constexpr int kMaxStatusAfterMonths = 36;
constexpr int kBreakdownCount = static_cast<int>(BreakdownKind::kSurvivalWeek) + 1;

template <typename Range>
std::string Joined(const Range& items) {
  return fmt::format("{}", fmt::join(items, ", "));
}

template <typename Range>
bool Contains(const Range& items, std::string_view item) {
  return std::find(items.begin(), items.end(), item) != items.end();
}

[[noreturn]] void FailFile(const fs::path& path, const std::string& problem) {
  throw UserError(ErrorCode::kBadCatalog, fmt::format("{}: {}", path.string(), problem));
}

toml::table ParseFile(const fs::path& path) {
  try {
    return toml::parse_file(path.string());
  } catch (const toml::parse_error& parse_error) {
    FailFile(path, fmt::format("line {}: {}", parse_error.source().begin.line,
                               parse_error.description()));
  }
}

// One table of a catalogue file, with the words every message about it starts with
// ("measures/sickness.toml: measure 'sdp_persons': field 'unit': …").
class Entry {
 public:
  Entry(const toml::table& table, fs::path file, std::string what)
      : table_(table), file_(std::move(file)), what_(std::move(what)) {}

  [[noreturn]] void Fail(std::string_view field, const std::string& problem) const {
    throw UserError(ErrorCode::kBadCatalog,
                    fmt::format("{}: {}: field '{}' {}", file_.string(), what_, field, problem));
  }

  // A misspelt key must not be ignored silently: the field it meant would keep its default.
  void OnlyKeys(std::initializer_list<std::string_view> known) const {
    for (const auto& [key, node] : table_) {
      if (!Contains(known, key.str()))
        Fail(key.str(), "is not a known field; known: " + Joined(known));
    }
  }

  bool Has(std::string_view key) const { return table_.contains(key); }
  bool IsList(std::string_view key) const { return Has(key) && Node(key).is_array(); }

  std::string Text(std::string_view key) const {
    const auto value = Node(key).value_exact<std::string>();
    if (!value) Fail(key, "must be a string");
    if (value->empty()) Fail(key, "is empty");
    return *value;
  }

  std::vector<std::string> List(std::string_view key, bool may_be_empty) const {
    const auto* array = Node(key).as_array();
    if (array == nullptr) Fail(key, "must be a list of strings, e.g. [\"age\", \"sex\"]");
    std::vector<std::string> items;
    for (const auto& item : *array) {
      const auto value = item.value_exact<std::string>();
      if (!value || value->empty()) Fail(key, "must hold non-empty strings only");
      if (std::find(items.begin(), items.end(), *value) != items.end()) {
        Fail(key, "lists '" + *value + "' twice");
      }
      items.push_back(*value);
    }
    if (items.empty() && !may_be_empty) Fail(key, "is an empty list");
    return items;
  }

  int Int(std::string_view key, int low, int high) const {
    const auto* integer = Node(key).as_integer();
    if (integer == nullptr) Fail(key, "must be a whole number");
    if (integer->get() < low || integer->get() > high) {
      Fail(key, fmt::format("is {}; allowed: {} to {}", integer->get(), low, high));
    }
    return static_cast<int>(integer->get());
  }

  bool Bool(std::string_view key) const {
    const auto value = Node(key).value_exact<bool>();
    if (!value) Fail(key, "must be true or false");
    return *value;
  }

 private:
  const toml::node& Node(std::string_view key) const {
    const toml::node* node = table_.get(key);
    if (node == nullptr) Fail(key, "is missing");
    return *node;
  }

  const toml::table& table_;
  fs::path file_;
  std::string what_;
};

bool IsSnakeCase(std::string_view id) {
  return !id.empty() && id.front() >= 'a' && id.front() <= 'z' &&
         id.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789_") == std::string_view::npos;
}

// The names and plain docs every catalogue entry carries.
template <typename Item>
void ReadTexts(const Entry& entry, Item& item) {
  item.name_da = entry.Text("name_da");
  item.name_en = entry.Text("name_en");
  item.doc_da = entry.Text("doc_da");
  item.doc_en = entry.Text("doc_en");
}

// The [[name]] entries of a file, each as an Entry named by its id ("measure 'sdp_fte'").
std::vector<std::pair<std::string, Entry>> EntriesOf(const toml::table& root, std::string_view name,
                                                     const fs::path& path) {
  const toml::node* node = root.get(name);
  if (node == nullptr) FailFile(path, fmt::format("no [[{}]] entries", name));
  const auto* array = node->as_array();
  if (array == nullptr || !array->is_array_of_tables()) {
    FailFile(path, fmt::format("'{}' must be written as [[{}]] tables", name, name));
  }
  std::vector<std::pair<std::string, Entry>> entries;
  for (size_t index = 0; index < array->size(); ++index) {
    const toml::table& table = *array->get(index)->as_table();
    const Entry unnamed(table, path, fmt::format("[[{}]] number {}", name, index + 1));
    std::string id = unnamed.Text("id");
    if (!IsSnakeCase(id)) unnamed.Fail("id", "'" + id + "' must be snake_case: a-z, 0-9 and _");
    Entry entry(table, path, fmt::format("{} '{}'", name, id));
    entries.emplace_back(std::move(id), std::move(entry));
  }
  return entries;
}

// What each statistic counts in, and the sources it reads (docs/measures.md). A measure must name
// at least these sources, so its technical documentation cannot leave out where a number comes
// from.
struct StatisticNeeds {
  Statistic statistic;
  std::string_view unit;
  std::array<std::string_view, 4> sources;  // empty ones unused
};
constexpr std::array<StatisticNeeds, engine::kStatisticCount> kNeeds = {{
    {Statistic::kPersons, "persons", {"benefits", "persons"}},
    {Statistic::kFte, "fte", {"benefits", "persons"}},
    {Statistic::kPersonsStart, "persons", {"benefits", "persons"}},
    {Statistic::kPersonsEnd, "persons", {"benefits", "persons"}},
    {Statistic::kSpellsStarted, "spells", {"benefits", "persons"}},
    {Statistic::kPersonsStarted, "persons", {"benefits", "persons"}},
    {Statistic::kSpellsEnded, "spells", {"benefits", "persons"}},
    {Statistic::kDurationEnded, "weeks", {"benefits", "persons"}},
    {Statistic::kSurvival, "percent", {"benefits", "persons"}},
    {Statistic::kStatusAfter, "spells", {"benefits", "persons", "employment", "education"}},
    {Statistic::kActivatedPersons, "persons", {"benefits", "persons", "offers"}},
    {Statistic::kActivatedFte, "fte", {"benefits", "persons", "offers"}},
    {Statistic::kActivationRate, "percent", {"benefits", "persons", "offers"}},
    {Statistic::kMeetingsDue, "meetings", {"benefits", "persons", "meetings"}},
    {Statistic::kMeetingsTimely, "meetings", {"benefits", "persons", "meetings"}},
    {Statistic::kTimeliness, "percent", {"benefits", "persons", "meetings"}},
    {Statistic::kMeetingsHeld, "meetings", {"benefits", "persons", "meetings"}},
    {Statistic::kNoShows, "meetings", {"benefits", "persons", "meetings"}},
    {Statistic::kExpenditureGross, "dkk", {"payments", "persons"}},
    {Statistic::kExpenditureNet, "dkk", {"payments", "persons"}},
    {Statistic::kPopulation, "persons", {"residence", "persons"}},
    {Statistic::kShareOfPopulation, "percent", {"benefits", "persons", "residence"}},
}};

const StatisticNeeds& NeedsOf(Statistic statistic) {
  static const StatisticNeeds kUnknown{};  // a statistic missing above fails every unit check
  for (const auto& needs : kNeeds) {
    if (needs.statistic == statistic) return needs;
  }
  return kUnknown;
}

std::string StatisticIds() {
  std::vector<std::string_view> ids;
  ids.reserve(engine::kStatisticCount);
  for (int index = 0; index < engine::kStatisticCount; ++index) {
    ids.push_back(engine::StatisticId(static_cast<Statistic>(index)));
  }
  return Joined(ids);
}

// Every breakdown id, or those that apply to `statistic`.
std::string BreakdownIds(std::optional<Statistic> statistic) {
  std::vector<std::string_view> ids;
  for (int index = 0; index < kBreakdownCount; ++index) {
    const auto kind = static_cast<BreakdownKind>(index);
    if (!statistic || engine::BreakdownApplies(kind, *statistic)) {
      ids.push_back(engine::BreakdownId(kind));
    }
  }
  return Joined(ids);
}

// The source ids declared in catalog/dataflows/sources (the `source` key of each file).
std::set<std::string, std::less<>> ReadSourceIds(const fs::path& catalog_dir) {
  const fs::path folder = catalog_dir / "dataflows" / "sources";
  std::error_code error;
  std::set<std::string, std::less<>> ids;
  for (const auto& file : fs::directory_iterator(folder, error)) {
    if (file.path().extension() != ".toml") continue;
    const toml::table root = ParseFile(file.path());
    if (const auto id = root["source"].value<std::string>()) ids.insert(*id);
  }
  if (error || ids.empty()) FailFile(folder, "no source declarations; measures name their sources");
  return ids;
}

class Loader {
 public:
  Loader(const fs::path& catalog_dir, const CodeLists& codes)
      : folder_(catalog_dir / "measures"), codes_(codes), sources_(ReadSourceIds(catalog_dir)) {
    benefit_list_ = codes.Find("benefit");
    if (benefit_list_ == nullptr) FailFile(catalog_dir / "codes", "no code list 'benefit'");
  }

  MeasureCatalog Load();

 private:
  void ReadGroups(const fs::path& path);
  void ReadBands(const fs::path& path);
  void ReadMeasures(const fs::path& path);
  MeasureDefinition ReadMeasure(const std::string& id, const Entry& entry) const;
  void ReadBenefits(const Entry& entry, MeasureDefinition& measure) const;
  void ReadBreakdowns(const Entry& entry, MeasureDefinition& measure) const;
  void ReadFormat(const Entry& entry, MeasureDefinition& measure) const;
  std::string ReadBandSet(const Entry& entry, const MeasureDefinition& measure,
                          BreakdownKind kind) const;
  std::optional<std::vector<std::string>> MembersOf(std::string_view code_or_group) const;
  std::string BenefitIds() const;

  fs::path folder_;
  const CodeLists& codes_;
  const CodeList* benefit_list_ = nullptr;
  std::set<std::string, std::less<>> sources_;
  std::map<std::string, std::set<std::string>, std::less<>> subject_members_;
  std::map<std::string, std::string, std::less<>> measure_files_;  // id → file, for duplicates
  MeasureCatalog catalog_;
};

std::optional<std::vector<std::string>> Loader::MembersOf(std::string_view code_or_group) const {
  if (benefit_list_->Find(code_or_group))
    return std::vector<std::string>{std::string(code_or_group)};
  for (const auto& group : codes_.benefit_groups) {
    if (group.id == code_or_group) return group.members;
  }
  return std::nullopt;
}

std::string Loader::BenefitIds() const {
  std::vector<std::string> ids;
  for (const auto& code : benefit_list_->codes) ids.push_back(code.code);
  for (const auto& group : codes_.benefit_groups) ids.push_back(group.id);
  return Joined(ids);
}

MenuEntry ReadMenuEntry(const std::string& id, const Entry& entry, bool subject) {
  if (subject) {
    entry.OnlyKeys({"id", "name_da", "name_en", "order", "benefits", "doc_da", "doc_en"});
  } else {
    entry.OnlyKeys({"id", "name_da", "name_en", "order", "doc_da", "doc_en"});
  }
  MenuEntry menu;
  menu.id = id;
  ReadTexts(entry, menu);
  menu.order = entry.Int("order", 1, 1000);
  if (subject) menu.benefits = entry.List("benefits", false);
  return menu;
}

void Loader::ReadGroups(const fs::path& path) {
  const toml::table root = ParseFile(path);
  Entry(root, path, "the file").OnlyKeys({"subject", "topic", "group"});
  std::set<std::string, std::less<>> subject_ids;
  std::set<std::string, std::less<>> topic_ids;
  for (const auto& [id, entry] : EntriesOf(root, "subject", path)) {
    if (!subject_ids.insert(id).second) entry.Fail("id", "is used by another subject");
    catalog_.subjects.push_back(ReadMenuEntry(id, entry, true));
    for (const auto& benefit : catalog_.subjects.back().benefits) {
      const auto members = MembersOf(benefit);
      if (!members) {
        entry.Fail("benefits", "names '" + benefit + "', neither a benefit code nor a benefit " +
                                   "group; allowed: " + BenefitIds());
      }
      subject_members_[id].insert(members->begin(), members->end());
    }
  }
  for (const auto& [id, entry] : EntriesOf(root, "topic", path)) {
    if (!topic_ids.insert(id).second) entry.Fail("id", "is used by another topic");
    catalog_.topics.push_back(ReadMenuEntry(id, entry, false));
  }
  for (const auto& [id, entry] : EntriesOf(root, "group", path)) {
    entry.OnlyKeys({"id", "name_da", "name_en", "subject", "topic", "order", "doc_da", "doc_en"});
    if (catalog_.FindGroup(id) != nullptr) entry.Fail("id", "is used by another group");
    MeasureGroup group;
    group.id = id;
    ReadTexts(entry, group);
    group.subject = entry.Text("subject");
    group.topic = entry.Text("topic");
    group.order = entry.Int("order", 1, 1000);
    if (!subject_ids.contains(group.subject)) {
      entry.Fail("subject",
                 "'" + group.subject + "' is not a [[subject]]; allowed: " + Joined(subject_ids));
    }
    if (!topic_ids.contains(group.topic)) {
      entry.Fail("topic",
                 "'" + group.topic + "' is not a [[topic]]; allowed: " + Joined(topic_ids));
    }
    catalog_.groups.push_back(std::move(group));
  }
}

void Loader::ReadBands(const fs::path& path) {
  const toml::table root = ParseFile(path);
  Entry(root, path, "the file").OnlyKeys({"band_set"});
  std::map<BreakdownKind, int> defaults;
  for (const auto& [id, entry] : EntriesOf(root, "band_set", path)) {
    entry.OnlyKeys(
        {"id", "breakdown", "default", "name_da", "name_en", "bands", "doc_da", "doc_en"});
    if (catalog_.FindBandSet(id) != nullptr) entry.Fail("id", "is used by another band set");
    BandSet set;
    set.id = id;
    set.is_default = entry.Bool("default");
    ReadTexts(entry, set);
    const std::string breakdown = entry.Text("breakdown");
    const auto kind = engine::ParseBreakdown(breakdown);
    if (!kind || !engine::TakesBands(*kind)) {
      entry.Fail("breakdown", "is '" + breakdown + "'; allowed: age, duration");
    }
    set.breakdown = *kind;
    for (const auto& text : entry.List("bands", false)) {
      const auto band = engine::ParseBand(text);
      if (!band) entry.Fail("bands", "'" + text + "' is not a band; write 'a-b' or 'a-'");
      if (!set.bands.empty() && (!set.bands.back().high || band->low <= *set.bands.back().high)) {
        entry.Fail("bands", "'" + text + "' overlaps or comes before '" + set.bands.back().text +
                                "'; bands must ascend without overlap");
      }
      set.bands.push_back(*band);
    }
    if (set.is_default) ++defaults[set.breakdown];
    catalog_.band_sets.push_back(std::move(set));
  }
  for (const BreakdownKind kind : {BreakdownKind::kAge, BreakdownKind::kDuration}) {
    if (defaults[kind] != 1) {
      FailFile(path, fmt::format("{} band sets of '{}' have default = true; exactly one must",
                                 defaults[kind], engine::BreakdownId(kind)));
    }
  }
}

void Loader::ReadBenefits(const Entry& entry, MeasureDefinition& measure) const {
  // A list holds benefit codes (an ad hoc group); a single string names a code or a group.
  const bool list = entry.IsList("benefits");
  measure.benefits =
      list ? entry.List("benefits", false) : std::vector<std::string>{entry.Text("benefits")};
  std::set<std::string> members;
  for (const auto& item : measure.benefits) {
    const auto codes = list && !benefit_list_->Find(item) ? std::nullopt : MembersOf(item);
    if (!codes) {
      entry.Fail("benefits",
                 "names '" + item + "', which is no benefit code" +
                     (list ? "" : " or benefit group") +
                     " (a list holds codes, a single string names a code or a group); " +
                     "allowed: " + BenefitIds());
    }
    members.insert(codes->begin(), codes->end());
  }
  // The menu shows a measure under its group's subject: its benefits must belong there.
  const MeasureGroup* group = catalog_.FindGroup(measure.group);
  const auto& subject = subject_members_.find(group->subject)->second;
  for (const auto& code : benefit_list_->codes) {
    if (!members.contains(code.code)) continue;
    if (!subject.contains(code.code)) {
      entry.Fail("benefits", fmt::format("holds {}, which the subject '{}' of group '{}' does not "
                                         "cover; the subject covers {}",
                                         code.code, group->subject, group->id, Joined(subject)));
    }
    measure.benefit_codes.push_back(code.code);
  }
}

// Reads a list of breakdown ids into `ids`; `problem` says what is wrong with a known one ("").
template <typename Problem>
std::vector<BreakdownKind> ReadBreakdownList(const Entry& entry, std::string_view field,
                                             std::vector<std::string>& ids, Problem problem) {
  ids = entry.List(field, true);
  std::vector<BreakdownKind> kinds;
  for (const auto& id : ids) {
    const auto kind = engine::ParseBreakdown(id);
    if (!kind) {
      entry.Fail(field, fmt::format("lists '{}', not a breakdown; allowed: {}", id,
                                    BreakdownIds(std::nullopt)));
    }
    if (const std::string text = problem(*kind); !text.empty()) {
      entry.Fail(field, fmt::format("lists '{}', which {}", id, text));
    }
    kinds.push_back(*kind);
  }
  return kinds;
}

void Loader::ReadBreakdowns(const Entry& entry, MeasureDefinition& measure) const {
  measure.allowed_breakdowns = ReadBreakdownList(
      entry, "allowed_breakdowns", measure.allowed_breakdown_ids, [&](BreakdownKind kind) {
        if (engine::BreakdownApplies(kind, measure.statistic)) return std::string();
        return fmt::format(
            "does not apply to statistic '{}' (docs/measures.md); those that "
            "apply: {}",
            measure.statistic_id, BreakdownIds(measure.statistic));
      });
  measure.default_breakdowns = ReadBreakdownList(
      entry, "default_breakdowns", measure.default_breakdown_ids, [&](BreakdownKind kind) {
        if (measure.Allows(kind)) return std::string();
        return "is not in allowed_breakdowns; allowed: " + Joined(measure.allowed_breakdown_ids);
      });
  // survival and status_after have no value without their own breakdown (docs/measures.md).
  for (const auto& [statistic, kind] :
       {std::pair{Statistic::kSurvival, BreakdownKind::kSurvivalWeek},
        std::pair{Statistic::kStatusAfter, BreakdownKind::kStatusAfter}}) {
    if (measure.statistic != statistic) continue;
    const auto id = std::string(engine::BreakdownId(kind));
    const bool in_default =
        std::find(measure.default_breakdowns.begin(), measure.default_breakdowns.end(), kind) !=
        measure.default_breakdowns.end();
    if (!measure.Allows(kind) || !in_default) {
      entry.Fail(measure.Allows(kind) ? "default_breakdowns" : "allowed_breakdowns",
                 "must list '" + id + "': statistic '" + measure.statistic_id + "' needs it");
    }
  }
  const bool status_after = measure.statistic == Statistic::kStatusAfter;
  if (status_after) {
    measure.status_after_months = entry.Int("status_after_months", 1, kMaxStatusAfterMonths);
  } else if (entry.Has("status_after_months")) {
    entry.Fail("status_after_months", "is only for statistic 'status_after'");
  }
}

std::string Loader::ReadBandSet(const Entry& entry, const MeasureDefinition& measure,
                                BreakdownKind kind) const {
  const std::string field = std::string(engine::BreakdownId(kind)) + "_bands";
  if (!entry.Has(field)) {
    if (!measure.Allows(kind)) return {};
    for (const auto& set : catalog_.band_sets) {
      if (set.breakdown == kind && set.is_default) return set.id;
    }
  }
  std::string id = entry.Text(field);
  const BandSet* set = catalog_.FindBandSet(id);
  if (set == nullptr || set->breakdown != kind) {
    std::vector<std::string> known;
    for (const auto& other : catalog_.band_sets) {
      if (other.breakdown == kind) known.push_back(other.id);
    }
    entry.Fail(field, "names '" + id + "', not a band set of " +
                          std::string(engine::BreakdownId(kind)) +
                          " in bands.toml; allowed: " + Joined(known));
  }
  if (!measure.Allows(kind)) {
    entry.Fail(field, "is given, but allowed_breakdowns does not list '" +
                          std::string(engine::BreakdownId(kind)) + "'");
  }
  return id;
}

void Loader::ReadFormat(const Entry& entry, MeasureDefinition& measure) const {
  measure.unit = entry.Text("unit");
  if (!Contains(kUnits, measure.unit)) {
    entry.Fail("unit", "is '" + measure.unit + "'; allowed: " + Joined(kUnits));
  }
  if (measure.unit != NeedsOf(measure.statistic).unit) {
    entry.Fail("unit", fmt::format("is '{}', but statistic '{}' counts in '{}'", measure.unit,
                                   measure.statistic_id, NeedsOf(measure.statistic).unit));
  }
  measure.decimals = entry.Int("decimals", 0, kMaxDecimals);
  measure.frequency = entry.Text("frequency");
  if (!Contains(kFrequencies, measure.frequency)) {
    entry.Fail("frequency", "is '" + measure.frequency + "'; allowed: " + Joined(kFrequencies));
  }
  const bool expenditure = IsExpenditure(measure.statistic);
  if (expenditure && measure.frequency == "weekly") {
    entry.Fail("frequency", "is 'weekly', but expenditure is only for periods of whole months");
  }
  measure.sources = entry.List("sources", false);
  for (const auto& source : measure.sources) {
    if (!sources_.contains(source)) {
      entry.Fail("sources", "lists '" + source + "', not a source of catalog/dataflows/sources; " +
                                "allowed: " + Joined(sources_));
    }
  }
  for (const auto needed : NeedsOf(measure.statistic).sources) {
    if (!needed.empty() && std::find(measure.sources.begin(), measure.sources.end(), needed) ==
                               measure.sources.end()) {
      entry.Fail("sources", fmt::format("must list '{}': statistic '{}' reads it", needed,
                                        measure.statistic_id));
    }
  }
}

MeasureDefinition Loader::ReadMeasure(const std::string& id, const Entry& entry) const {
  entry.OnlyKeys({"id", "name_da", "name_en", "group", "statistic", "benefits",
                  "default_breakdowns", "allowed_breakdowns", "status_after_months", "age_bands",
                  "duration_bands", "unit", "decimals", "frequency", "sources", "doc_da", "doc_en",
                  "technical_da", "technical_en"});
  MeasureDefinition measure;
  measure.id = id;
  ReadTexts(entry, measure);
  measure.group = entry.Text("group");
  if (catalog_.FindGroup(measure.group) == nullptr) {
    entry.Fail("group",
               "names '" + measure.group + "', not a [[group]] of " + std::string(kGroupsFile));
  }
  measure.statistic_id = entry.Text("statistic");
  const auto statistic = engine::ParseStatistic(measure.statistic_id);
  if (!statistic) {
    entry.Fail("statistic", "is '" + measure.statistic_id + "'; allowed: " + StatisticIds());
  }
  measure.statistic = *statistic;
  ReadBenefits(entry, measure);
  ReadBreakdowns(entry, measure);
  measure.age_bands = ReadBandSet(entry, measure, BreakdownKind::kAge);
  measure.duration_bands = ReadBandSet(entry, measure, BreakdownKind::kDuration);
  ReadFormat(entry, measure);
  measure.technical_da = entry.Text("technical_da");
  measure.technical_en = entry.Text("technical_en");
  return measure;
}

void Loader::ReadMeasures(const fs::path& path) {
  const toml::table root = ParseFile(path);
  Entry(root, path, "the file").OnlyKeys({"measure"});
  for (const auto& [id, entry] : EntriesOf(root, "measure", path)) {
    const std::string file = path.filename().string();
    const auto [previous, added] = measure_files_.emplace(id, file);
    if (!added) entry.Fail("id", "is used by another measure (in " + previous->second + ")");
    catalog_.measures.push_back(ReadMeasure(id, entry));
    catalog_.measures.back().file = file;
  }
}

MeasureCatalog Loader::Load() {
  std::error_code error;
  if (!fs::is_directory(folder_, error)) {
    FailFile(folder_, "is not a folder: expected the measure catalogue (check --catalog)");
  }
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(folder_)) {
    const auto name = entry.path().filename().string();
    if (entry.path().extension() == ".toml" && name != kGroupsFile && name != kBandsFile) {
      files.push_back(entry.path());
    }
  }
  std::sort(files.begin(), files.end());
  for (const auto name : {kGroupsFile, kBandsFile}) {
    if (!fs::is_regular_file(folder_ / name, error)) FailFile(folder_ / name, "is missing");
  }
  ReadGroups(folder_ / kGroupsFile);
  ReadBands(folder_ / kBandsFile);
  if (files.empty()) FailFile(folder_, "holds no measure files (*.toml besides groups and bands)");
  for (const auto& path : files) ReadMeasures(path);
  // An empty group would be a menu entry that leads nowhere.
  for (const auto& group : catalog_.groups) {
    const bool used = std::any_of(catalog_.measures.begin(), catalog_.measures.end(),
                                  [&](const MeasureDefinition& m) { return m.group == group.id; });
    if (!used) FailFile(folder_ / kGroupsFile, "group '" + group.id + "' has no measures");
  }
  return std::move(catalog_);
}

template <typename Item>
const Item* FindById(const std::vector<Item>& items, std::string_view id) {
  const auto found =
      std::find_if(items.begin(), items.end(), [&](const Item& item) { return item.id == id; });
  return found == items.end() ? nullptr : &*found;
}

}  // namespace

bool MeasureDefinition::Allows(engine::BreakdownKind kind) const {
  return std::find(allowed_breakdowns.begin(), allowed_breakdowns.end(), kind) !=
         allowed_breakdowns.end();
}

const MeasureDefinition* MeasureCatalog::Find(std::string_view id) const {
  return FindById(measures, id);
}

const MeasureGroup* MeasureCatalog::FindGroup(std::string_view id) const {
  return FindById(groups, id);
}

const BandSet* MeasureCatalog::FindBandSet(std::string_view id) const {
  return FindById(band_sets, id);
}

MeasureCatalog LoadMeasureCatalog(const std::filesystem::path& catalog_dir,
                                  const CodeLists& codes) {
  return Loader(catalog_dir, codes).Load();
}

}  // namespace jobindsigt
