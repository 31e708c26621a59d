#include "engine/release_data.h"

#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <bit>
#include <cmath>
#include <exception>
#include <limits>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <tuple>
#include <unordered_map>

#include "common/error.h"

namespace jobindsigt::engine {
namespace {

// As the ingest writes them (release_tables.h): a missing date and an open end.
constexpr int32_t kStoredMissingDay = std::numeric_limits<int32_t>::min();
constexpr int32_t kStoredOpenDay = std::numeric_limits<int32_t>::max();

[[noreturn]] void Damaged(const store::TableReader& table, const std::string& what) {
  throw UserError(ErrorCode::kBadStore, fmt::format("{}: {}", table.path().string(), what));
}

const store::ColumnInfo& InfoOf(const store::TableReader& table, std::string_view name) {
  for (const auto& info : table.columns()) {
    if (info.name == name) return info;
  }
  Damaged(table, fmt::format("has no column '{}', which the engine needs", name));
}

// A whole-number column converted value by value (`convert` takes the value as int64_t), in
// the order of `rows` (all rows when null). Decoded in its stored width: no 64-bit copy of a
// narrow column is made, which with a copy per step set the peak memory of a release's load.
template <typename Out, typename Convert>
std::vector<Out> ReadConverted(const store::TableReader& table, std::string_view name,
                               const std::vector<uint32_t>* rows, Convert convert) {
  auto take = [&](const auto& stored) {
    std::vector<Out> out;
    if (rows == nullptr) {
      out.reserve(stored.size());
      for (const auto value : stored) out.push_back(convert(static_cast<int64_t>(value)));
    } else {
      out.reserve(rows->size());
      for (const uint32_t row : *rows) out.push_back(convert(static_cast<int64_t>(stored[row])));
    }
    return out;
  };
  switch (InfoOf(table, name).type) {
    case store::ColumnType::kInt8:
      return take(table.CopyColumn<int8_t>(name));
    case store::ColumnType::kUint8:
      return take(table.CopyColumn<uint8_t>(name));
    case store::ColumnType::kInt16:
      return take(table.CopyColumn<int16_t>(name));
    case store::ColumnType::kUint16:
      return take(table.CopyColumn<uint16_t>(name));
    case store::ColumnType::kInt32:
      return take(table.CopyColumn<int32_t>(name));
    case store::ColumnType::kInt64:
      return take(table.CopyColumn<int64_t>(name));
    case store::ColumnType::kFloat64:
      Damaged(table, fmt::format("column '{}' holds decimals, expected whole numbers", name));
  }
  return {};
}

// A whole-number column of any stored width as 64-bit values (a stored 64-bit column without
// a second copy). Copied (CopyColumn), so the reader keeps no decoded column: a table's
// columns are not all held at once while a shard loads.
std::vector<int64_t> ReadWhole(const store::TableReader& table, std::string_view name) {
  if (InfoOf(table, name).type == store::ColumnType::kInt64) return table.CopyColumn<int64_t>(name);
  return ReadConverted<int64_t>(table, name, nullptr, [](int64_t value) { return value; });
}

std::vector<double> ReadDecimals(const store::TableReader& table, std::string_view name) {
  if (InfoOf(table, name).type == store::ColumnType::kFloat64)
    return table.CopyColumn<double>(name);
  return ReadConverted<double>(table, name, nullptr,
                               [](int64_t value) { return static_cast<double>(value); });
}

// Decimals as whole multiples of 1/scale, rounded to the nearest: the sources give degrees
// and amounts with few decimals, and whole numbers add up exactly in any order.
template <typename Whole>
std::vector<Whole> FixedPoint(const std::vector<double>& values, int64_t scale) {
  std::vector<Whole> whole;
  whole.reserve(values.size());
  for (const double value : values)
    whole.push_back(static_cast<Whole>(std::llround(value * static_cast<double>(scale))));
  return whole;
}

// A code column mapped to indexes in `list` (-1 for the empty code).
template <typename Code>
std::vector<Code> ReadCodes(const store::TableReader& table, std::string_view name,
                            const CodeList& list) {
  const auto dictionary = table.Dictionary(name);
  std::vector<Code> mapping(dictionary.size(), Code{-1});
  for (size_t code = 1; code < dictionary.size(); ++code) {
    const auto found = list.Find(dictionary[code]);
    if (!found) {
      Damaged(table, fmt::format("column '{}' holds '{}', which the catalogue's list '{}' does "
                                 "not have",
                                 name, dictionary[code], list.id));
    }
    mapping[code] = static_cast<Code>(*found);
  }
  std::vector<Code> values;
  values.reserve(table.rows());
  for (const int64_t value : ReadWhole(table, name)) {
    if (value < 0 || static_cast<size_t>(value) >= mapping.size())
      Damaged(table, fmt::format("column '{}' has a code outside its dictionary", name));
    values.push_back(mapping[value]);
  }
  return values;
}

std::vector<int8_t> ReadEnum(const store::TableReader& table, std::string_view name,
                             const std::vector<std::string_view>& values) {
  const CodeList list = [&] {
    CodeList made;
    made.id = std::string(name);
    for (const auto value : values) {
      CodeEntry entry;
      entry.code = std::string(value);
      made.codes.push_back(std::move(entry));
    }
    return made;
  }();
  return ReadCodes<int8_t>(table, name, list);
}

// A whole-number column as T, in the order of `rows`.
template <typename T>
std::vector<T> ReadPicked(const store::TableReader& table, std::string_view name,
                          const std::vector<uint32_t>& rows) {
  return ReadConverted<T>(table, name, &rows, [](int64_t value) { return static_cast<T>(value); });
}

DayNumber DayOfStored(int64_t value) {
  return value == kStoredMissingDay ? kNoDay : static_cast<DayNumber>(value);
}

std::vector<DayNumber> ReadDays(const store::TableReader& table, std::string_view name) {
  return ReadConverted<DayNumber>(table, name, nullptr, DayOfStored);
}

// A day column in the order of `rows`.
std::vector<DayNumber> ReadDays(const store::TableReader& table, std::string_view name,
                                const std::vector<uint32_t>& rows) {
  return ReadConverted<DayNumber>(table, name, &rows, DayOfStored);
}

const CodeList& ListOf(const CodeLists& codes, std::string_view id) {
  const CodeList* list = codes.Find(id);
  if (list == nullptr) {
    throw UserError(ErrorCode::kBadCatalog,
                    fmt::format("the catalogue has no code list '{}', which the engine needs", id));
  }
  return *list;
}

// The rows to keep (a record starting after the cut-off day says nothing about the release's
// time) and the per-person ranges over the kept rows.
struct RowPlan {
  std::vector<uint32_t> rows;
  PersonRanges ranges;
};

RowPlan PlanRows(const store::TableReader& table, const PersonColumns& persons,
                 const std::vector<DayNumber>* from, DayNumber cut_off_day) {
  const auto person_ids = ReadWhole(table, "person_id");
  RowPlan plan;
  plan.ranges.begin.assign(persons.size() + 1, 0);
  size_t person = 0;
  for (size_t row = 0; row < person_ids.size(); ++row) {
    while (person < persons.size() && persons.id[person] < person_ids[row]) ++person;
    if (person == persons.size() || persons.id[person] != person_ids[row])
      Damaged(table, fmt::format("row {} names person {}, who is not in the shard's persons "
                                 "table (or the table is not sorted by person)",
                                 row + 1, person_ids[row]));
    if (from != nullptr && (*from)[row] > cut_off_day) continue;
    plan.rows.push_back(static_cast<uint32_t>(row));
    ++plan.ranges.begin[person + 1];
  }
  for (size_t index = 1; index < plan.ranges.begin.size(); ++index)
    plan.ranges.begin[index] += plan.ranges.begin[index - 1];
  return plan;
}

template <typename T>
std::vector<T> Pick(const std::vector<T>& values, const std::vector<uint32_t>& rows) {
  std::vector<T> picked;
  picked.reserve(rows.size());
  for (const uint32_t row : rows) picked.push_back(values[row]);
  return picked;
}

std::vector<DayNumber> ClampEnds(std::vector<DayNumber> to, DayNumber cut_off_day) {
  for (DayNumber& day : to) {
    if (day == kStoredOpenDay || day > cut_off_day) day = cut_off_day;
  }
  return to;
}

PersonColumns LoadPersons(const store::TableReader& table, const CodeLists& codes) {
  PersonColumns persons;
  persons.id = ReadWhole(table, "person_id");
  if (!std::is_sorted(persons.id.begin(), persons.id.end()))
    Damaged(table, "is not sorted by person_id");
  persons.birth_day = ReadDays(table, "birth_date");
  for (const DayNumber birth : persons.birth_day) persons.birth_packed.push_back(PackedDate(birth));
  persons.sex = ReadCodes<int8_t>(table, "sex", ListOf(codes, "sex"));
  persons.origin = ReadCodes<int8_t>(table, "origin", ListOf(codes, "origin"));
  persons.education = ReadCodes<int8_t>(table, "education", ListOf(codes, "education"));
  return persons;
}

// Each row's place in the order of its person's record ids (0 = the smallest id). Record ids
// only break ties between one person's rows (PersonPass::BuildSpells), and 16 bits hold that
// where the ids took 64; a person with more rows than that is refused by name.
std::vector<uint16_t> RecordOrder(const store::TableReader& table,
                                  const std::vector<int64_t>& record_id,
                                  const PersonColumns& persons, const PersonRanges& ranges) {
  std::vector<uint16_t> order(record_id.size());
  std::vector<uint32_t> rows;
  for (size_t person = 0; person < persons.size(); ++person) {
    const uint32_t first = ranges.First(person);
    const uint32_t count = ranges.Last(person) - first;
    if (count > std::numeric_limits<uint16_t>::max() + size_t{1}) {
      Damaged(table,
              fmt::format("person {} has {} benefit records; the engine holds at most {} "
                          "per person",
                          persons.id[person], count, std::numeric_limits<uint16_t>::max() + 1));
    }
    rows.resize(count);
    for (uint32_t at = 0; at < count; ++at) rows[at] = first + at;
    std::sort(rows.begin(), rows.end(),
              [&](uint32_t a, uint32_t b) { return record_id[a] < record_id[b]; });
    for (uint32_t rank = 0; rank < count; ++rank) order[rows[rank]] = static_cast<uint16_t>(rank);
  }
  return order;
}

BenefitColumns LoadBenefits(const store::TableReader& table, const PersonColumns& persons,
                            const CodeLists& codes, DayNumber cut_off_day) {
  const auto from = ReadDays(table, "from_date");
  const RowPlan plan = PlanRows(table, persons, &from, cut_off_day);
  BenefitColumns benefits;
  benefits.ranges = plan.ranges;
  benefits.record_order =
      RecordOrder(table, Pick(ReadWhole(table, "record_id"), plan.rows), persons, plan.ranges);
  benefits.benefit =
      Pick(ReadCodes<int8_t>(table, "benefit_code", ListOf(codes, "benefit")), plan.rows);
  benefits.municipality = ReadPicked<int16_t>(table, "municipality_code", plan.rows);
  benefits.from = Pick(from, plan.rows);
  benefits.to = ClampEnds(ReadDays(table, "to_date", plan.rows), cut_off_day);
  benefits.degree_millionths =
      Pick(FixedPoint<int32_t>(ReadDecimals(table, "degree"), kDegreeScale), plan.rows);
  benefits.visitation =
      Pick(ReadCodes<int8_t>(table, "visitation", ListOf(codes, "visitation")), plan.rows);
  benefits.fund = Pick(
      ReadCodes<int8_t>(table, "unemployment_fund", ListOf(codes, "unemployment_fund")), plan.rows);
  return benefits;
}

OfferColumns LoadOffers(const store::TableReader& table, const PersonColumns& persons,
                        const CodeLists& codes, DayNumber cut_off_day) {
  const auto from = ReadDays(table, "from_date");
  const RowPlan plan = PlanRows(table, persons, &from, cut_off_day);
  OfferColumns offers;
  offers.ranges = plan.ranges;
  offers.from = Pick(from, plan.rows);
  offers.to = ClampEnds(ReadDays(table, "to_date", plan.rows), cut_off_day);
  offers.type =
      Pick(ReadCodes<int8_t>(table, "offer_type", ListOf(codes, "offer_type")), plan.rows);
  offers.provider =
      Pick(ReadCodes<int16_t>(table, "provider", ListOf(codes, "provider")), plan.rows);
  return offers;
}

MeetingColumns LoadMeetings(const store::TableReader& table, const PersonColumns& persons,
                            DayNumber cut_off_day) {
  // Not cut at the cut-off day by due date: a meeting held before the cut-off may be due after.
  RowPlan plan = PlanRows(table, persons, nullptr, cut_off_day);
  // Each person's meetings by due day (the store keeps them in its own key order).
  const std::vector<DayNumber> due = ReadDays(table, "due_date");
  for (size_t person = 0; person + 1 < plan.ranges.begin.size(); ++person) {
    const auto first = plan.rows.begin() + plan.ranges.First(person);
    const auto last = plan.rows.begin() + plan.ranges.Last(person);
    std::stable_sort(first, last, [&](uint32_t a, uint32_t b) { return due[a] < due[b]; });
  }
  MeetingColumns meetings;
  meetings.ranges = plan.ranges;
  meetings.municipality = ReadPicked<int16_t>(table, "municipality_code", plan.rows);
  meetings.due = Pick(due, plan.rows);
  meetings.held = ReadDays(table, "held_date", plan.rows);
  for (DayNumber& held : meetings.held) {
    if (held != kNoDay && held > cut_off_day) held = kNoDay;
  }
  meetings.outcome = Pick(ReadEnum(table, "outcome", {"held", "no_show", "cancelled"}), plan.rows);
  return meetings;
}

// A column of amounts in kroner as øre, in the order of `rows`. Each step's array is freed
// before the next is made: the payments are the largest table, and a decoded column, its øre
// and their new order held at once set the peak memory of a release's load.
NarrowAmounts ReadAmounts(const store::TableReader& table, std::string_view name,
                          const std::vector<uint32_t>& rows) {
  std::vector<int64_t> ore;
  {
    const std::vector<double> kroner = ReadDecimals(table, name);
    ore.reserve(rows.size());
    for (const uint32_t row : rows)
      ore.push_back(std::llround(kroner[row] * static_cast<double>(kOrePerKrone)));
  }
  return NarrowAmounts(ore);
}

// The table is sorted by person and month; the rows are laid out month by month instead, in
// person order within a month (a stable counting sort by month).
PaymentColumns LoadPayments(const store::TableReader& table, const PersonColumns& persons,
                            const CodeLists& codes) {
  const RowPlan plan = PlanRows(table, persons, nullptr, 0);
  const std::vector<MonthIndex> months = ReadPicked<MonthIndex>(table, "month", plan.rows);
  PaymentColumns payments;
  if (months.empty()) return payments;
  const auto [low, high] = std::minmax_element(months.begin(), months.end());
  payments.first_month = *low;
  payments.month_begin.assign(static_cast<size_t>(*high - *low) + 2, 0);
  for (const MonthIndex month : months) ++payments.month_begin[month - *low + 1];
  for (size_t at = 1; at < payments.month_begin.size(); ++at)
    payments.month_begin[at] += payments.month_begin[at - 1];
  // order[k]: the table row that goes to place k.
  std::vector<uint32_t> order(months.size());
  payments.person.resize(months.size());
  std::vector<uint32_t> fill(payments.month_begin.begin(), payments.month_begin.end() - 1);
  for (size_t person = 0; person < persons.size(); ++person) {
    for (uint32_t at = plan.ranges.First(person); at < plan.ranges.Last(person); ++at) {
      const uint32_t place = fill[months[at] - *low]++;
      order[place] = plan.rows[at];
      payments.person[place] = static_cast<uint32_t>(person);
    }
  }
  payments.benefit =
      Pick(ReadCodes<int8_t>(table, "benefit_code", ListOf(codes, "benefit")), order);
  payments.municipality = ReadPicked<int16_t>(table, "municipality_code", order);
  payments.gross_ore = ReadAmounts(table, "gross_dkk", order);
  payments.refund_ore = ReadAmounts(table, "refund_dkk", order);
  return payments;
}

MonthColumns LoadEmployment(const store::TableReader& table, const PersonColumns& persons) {
  const RowPlan plan = PlanRows(table, persons, nullptr, 0);
  const std::vector<MonthIndex> months = ReadPicked<MonthIndex>(table, "month", plan.rows);
  MonthColumns employment;
  employment.ranges.begin.assign(persons.size() + 1, 0);
  std::vector<MonthIndex> own;
  for (size_t person = 0; person < persons.size(); ++person) {
    own.assign(months.begin() + plan.ranges.First(person),
               months.begin() + plan.ranges.Last(person));
    std::sort(own.begin(), own.end());
    for (const MonthIndex month : own) {
      const bool continues = employment.last.size() > employment.ranges.begin[person] &&
                             month <= employment.last.back() + 1;
      if (continues) {
        employment.last.back() = std::max(employment.last.back(), month);
      } else {
        employment.first.push_back(month);
        employment.last.push_back(month);
      }
    }
    employment.ranges.begin[person + 1] = static_cast<uint32_t>(employment.first.size());
  }
  employment.first.shrink_to_fit();
  employment.last.shrink_to_fit();
  return employment;
}

IntervalColumns LoadEducation(const store::TableReader& table, const PersonColumns& persons,
                              DayNumber cut_off_day) {
  const auto from = ReadDays(table, "from_date");
  const RowPlan plan = PlanRows(table, persons, &from, cut_off_day);
  IntervalColumns education;
  education.ranges = plan.ranges;
  education.from = Pick(from, plan.rows);
  education.to = ClampEnds(ReadDays(table, "to_date", plan.rows), cut_off_day);
  return education;
}

ResidenceColumns LoadResidence(const store::TableReader& table, const PersonColumns& persons,
                               DayNumber cut_off_day) {
  const auto from = ReadDays(table, "from_date");
  const RowPlan plan = PlanRows(table, persons, &from, cut_off_day);
  ResidenceColumns residence;
  residence.ranges = plan.ranges;
  residence.from = Pick(from, plan.rows);
  residence.municipality = ReadPicked<int16_t>(table, "municipality_code", plan.rows);
  return residence;
}

// Persons in the order the month pass and the person pass read them best: grouped by the
// benefit code of their latest record, then by how recent it is (latest first), then by its
// municipality (persons without a benefit record last; ties in the store's order). A table
// over recent months of a group visits the rows of persons who sit together, so the rows and
// the persons' columns come in few cache lines and the hardware streams them, where in the
// store's order (by person id, which says nothing) every visited row was a cache miss of
// its own (docs/decisions/0009-engine-persons-ordered-by-latest-benefit.md). order[new] = old.
std::vector<uint32_t> PersonOrder(const BenefitColumns& benefits, size_t person_count) {
  std::vector<uint64_t> key(person_count);
  for (size_t person = 0; person < person_count; ++person) {
    const uint32_t first = benefits.ranges.First(person);
    const uint32_t last = benefits.ranges.Last(person);
    if (first == last) {
      key[person] = std::numeric_limits<uint64_t>::max();
      continue;
    }
    // Rows are sorted by from: the latest record is the last one.
    const uint32_t row = last - 1;
    const int code_value = CodeOf(benefits.benefit[row]) + 1;  // 0: none
    const int municipality_value = benefits.municipality[row] + 1;
    const int latest_year = YearOfMonth(MonthOfDay(benefits.to[row]));
    const auto code = static_cast<uint64_t>(code_value);
    const uint64_t recency = static_cast<uint64_t>(std::numeric_limits<int32_t>::max()) -
                             static_cast<uint64_t>(latest_year);
    const auto municipality = static_cast<uint64_t>(municipality_value);
    key[person] = code << 48 | (recency & 0xFFFFFFFF) << 16 | (municipality & 0xFFFF);
  }
  std::vector<uint32_t> order(person_count);
  for (size_t person = 0; person < person_count; ++person) order[person] = person;
  std::stable_sort(order.begin(), order.end(),
                   [&](uint32_t a, uint32_t b) { return key[a] < key[b]; });
  return order;
}

// `ranges` with the persons in `order` (order[new] = old), and the rows in their new places:
// rows[new row] = old row.
std::pair<PersonRanges, std::vector<uint32_t>> ReorderRanges(const PersonRanges& ranges,
                                                             const std::vector<uint32_t>& order) {
  PersonRanges reordered;
  reordered.begin.reserve(order.size() + 1);
  reordered.begin.push_back(0);
  std::vector<uint32_t> rows;
  rows.reserve(ranges.begin.empty() ? 0 : ranges.begin.back());
  for (const uint32_t old : order) {
    for (uint32_t row = ranges.First(old); row < ranges.Last(old); ++row) rows.push_back(row);
    reordered.begin.push_back(static_cast<uint32_t>(rows.size()));
  }
  return {std::move(reordered), std::move(rows)};
}

template <typename T>
void PickInPlace(std::vector<T>& values, const std::vector<uint32_t>& rows) {
  values = Pick(values, rows);
}

template <typename... Columns>
void ReorderSource(PersonRanges& ranges, const std::vector<uint32_t>& order, Columns&... columns) {
  auto [reordered, rows] = ReorderRanges(ranges, order);
  ranges = std::move(reordered);
  (PickInPlace(columns, rows), ...);
}

// Puts the persons of `shard` (loaded in the store's order, before any index is built) in
// PersonOrder's order, with every source's rows following them.
void ReorderPersons(Shard& shard) {
  const std::vector<uint32_t> order = PersonOrder(shard.benefits, shard.persons.size());
  PersonColumns& persons = shard.persons;
  PickInPlace(persons.id, order);
  PickInPlace(persons.birth_day, order);
  PickInPlace(persons.birth_packed, order);
  PickInPlace(persons.sex, order);
  PickInPlace(persons.origin, order);
  PickInPlace(persons.education, order);
  BenefitColumns& benefits = shard.benefits;
  ReorderSource(benefits.ranges, order, benefits.record_order, benefits.benefit,
                benefits.municipality, benefits.from, benefits.to, benefits.degree_millionths,
                benefits.visitation, benefits.fund);
  OfferColumns& offers = shard.offers;
  ReorderSource(offers.ranges, order, offers.from, offers.to, offers.type, offers.provider);
  MeetingColumns& meetings = shard.meetings;
  ReorderSource(meetings.ranges, order, meetings.municipality, meetings.due, meetings.held,
                meetings.outcome);
  MonthColumns& employment = shard.employment;
  ReorderSource(employment.ranges, order, employment.first, employment.last);
  IntervalColumns& education = shard.education;
  ReorderSource(education.ranges, order, education.from, education.to);
  ResidenceColumns& residence = shard.residence;
  ReorderSource(residence.ranges, order, residence.from, residence.municipality);

  // Payments stay month by month, in the new person order within each month.
  PaymentColumns& payments = shard.payments;
  std::vector<uint32_t> new_index(order.size());
  for (size_t place = 0; place < order.size(); ++place) new_index[order[place]] = place;
  // Two stable counting sorts: by new person (the rows are month-major, so this gives person
  // then month), then by month.
  std::vector<uint32_t> by_person(payments.size());
  {
    std::vector<uint32_t> next(order.size() + 1, 0);
    for (const uint32_t person : payments.person) ++next[new_index[person] + 1];
    for (size_t at = 1; at < next.size(); ++at) next[at] += next[at - 1];
    for (uint32_t row = 0; row < payments.size(); ++row)
      by_person[next[new_index[payments.person[row]]]++] = row;
  }
  std::vector<uint32_t> month_of(payments.size());
  for (size_t month = 0; month + 1 < payments.month_begin.size(); ++month) {
    for (uint32_t row = payments.month_begin[month]; row < payments.month_begin[month + 1]; ++row)
      month_of[row] = static_cast<uint32_t>(month);
  }
  std::vector<uint32_t> rows(payments.size());
  {
    std::vector<uint32_t> next(payments.month_begin.begin(), payments.month_begin.end());
    for (const uint32_t row : by_person) rows[next[month_of[row]]++] = row;
  }
  PickInPlace(payments.person, rows);
  for (uint32_t& person : payments.person) person = new_index[person];
  PickInPlace(payments.benefit, rows);
  PickInPlace(payments.municipality, rows);
  payments.gross_ore.Reorder(rows);
  payments.refund_ore.Reorder(rows);
}

Shard LoadShard(const store::Release& release, const std::string& folder, const CodeLists& codes) {
  const DayNumber cut_off = release.cut_off_day();
  auto open = [&](std::string_view source) {
    return release.OpenTable(fmt::format("{}/{}.tbl", folder, source));
  };
  Shard shard;
  shard.persons = LoadPersons(open("persons"), codes);
  shard.benefits = LoadBenefits(open("benefits"), shard.persons, codes, cut_off);
  shard.offers = LoadOffers(open("offers"), shard.persons, codes, cut_off);
  shard.meetings = LoadMeetings(open("meetings"), shard.persons, cut_off);
  shard.payments = LoadPayments(open("payments"), shard.persons, codes);
  shard.employment = LoadEmployment(open("employment"), shard.persons);
  shard.education = LoadEducation(open("education"), shard.persons, cut_off);
  shard.residence = LoadResidence(open("residence"), shard.persons, cut_off);
  ReorderPersons(shard);
  IndexShard(shard, ListOf(codes, "benefit").codes.size(), GroupMasksOf(codes),
             MonthOfDay(cut_off));
  return shard;
}

// Adds the persons of `shard` to `changes`, laid out as the table's counts but with one more
// month per row: each residence row holds from its `from` to the day before the next row's,
// so it gives the month ends in between; the person counts there when the municipality is not
// abroad and the age that day is 16–66 — exactly the lookup PersonPass::Residents makes on a
// period's last day. A run of months with the same age is written as +1 at its first month
// and −1 after its last (the counts are the running sums), a write per year of age rather
// than per month.
void CountShardResidents(const Shard& shard, const ResidentTable& table,
                         const std::vector<int>& slot_of,
                         const std::vector<int32_t>& packed_month_ends,
                         std::vector<int32_t>& changes) {
  const ResidenceColumns& residence = shard.residence;
  const PersonColumns& persons = shard.persons;
  const MonthIndex table_last = table.first_month + static_cast<MonthIndex>(table.month_count) - 1;
  const size_t none_slot = table.sex_slots - 1;
  const size_t row_length = table.month_count + 1;
  for (size_t person = 0; person < persons.size(); ++person) {
    const int sex = CodeOf(persons.sex[person]);
    const size_t sex_slot = sex >= 0 ? static_cast<size_t>(sex) : none_slot;
    const int32_t birth = persons.birth_packed[person];
    const uint32_t last_row = residence.ranges.Last(person);
    for (uint32_t row = residence.ranges.First(person); row < last_row; ++row) {
      const int municipality = residence.municipality[row];
      if (municipality <= 0) continue;  // abroad
      // Month ends on or after `from` and before the next row's `from` (a missing `from`
      // is before every day, as in the lookup).
      const DayNumber from = residence.from[row];
      const MonthIndex first =
          from == kNoDay ? table.first_month : std::max(MonthOfDay(from), table.first_month);
      MonthIndex last = table_last;
      if (row + 1 < last_row) {
        const DayNumber next_from = residence.from[row + 1];
        if (next_from == kNoDay) continue;
        last = std::min(MonthOfDay(next_from) - 1, table_last);
      }
      const size_t slot = static_cast<size_t>(slot_of[municipality]);
      auto add_run = [&](int age, MonthIndex run_first, MonthIndex run_last) {
        if (age < ResidentTable::kFirstAge || age > ResidentTable::kLastAge) return;
        const size_t at = ((slot * table.sex_slots + sex_slot) * ResidentTable::kAges +
                           static_cast<size_t>(age - ResidentTable::kFirstAge)) *
                          row_length;
        ++changes[at + static_cast<size_t>(run_first - table.first_month)];
        --changes[at + static_cast<size_t>(run_last - table.first_month) + 1];
      };
      int run_age = -1;
      MonthIndex run_first = first;
      for (MonthIndex month = first; month <= last; ++month) {
        const int age = AgeFromPacked(birth, packed_month_ends[month - table.first_month]);
        if (age == run_age) continue;
        if (month > first) add_run(run_age, run_first, month - 1);
        run_age = age;
        run_first = month;
      }
      if (first <= last) add_run(run_age, run_first, last);
    }
  }
}

// The resident table of `data`, counted on `threads` threads (one partial table each).
ResidentTable BuildResidentTable(const ReleaseData& data, size_t sex_codes, int threads) {
  ResidentTable table;
  table.first_month = data.first_month;
  const MonthIndex last_month = MakeMonth(CivilFromDays(data.cut_off_day).year, 12);
  if (last_month < table.first_month) return table;
  table.month_count = static_cast<size_t>(last_month - table.first_month) + 1;
  table.sex_slots = sex_codes + 1;
  std::vector<int> slot_of;
  for (const Shard& shard : data.shards) {
    for (const int16_t municipality : shard.residence.municipality) {
      if (municipality <= 0) continue;
      if (static_cast<size_t>(municipality) >= slot_of.size()) slot_of.resize(municipality + 1, -1);
      slot_of[municipality] = 0;
    }
  }
  for (size_t value = 0; value < slot_of.size(); ++value) {
    if (slot_of[value] < 0) continue;
    slot_of[value] = static_cast<int>(table.municipalities.size());
    table.municipalities.push_back(static_cast<int16_t>(value));
  }
  std::vector<int32_t> packed_month_ends;
  for (size_t month = 0; month < table.month_count; ++month)
    packed_month_ends.push_back(
        PackedDate(LastDayOfMonth(table.first_month + static_cast<MonthIndex>(month))));
  const size_t rows = table.municipalities.size() * table.sex_slots * ResidentTable::kAges;
  const size_t row_length = table.month_count + 1;
  const size_t count = std::clamp<size_t>(threads, 1, data.shards.size());
  std::vector<std::vector<int32_t>> partial(count);
  std::atomic<size_t> next{0};
  auto work = [&](size_t worker) {
    partial[worker].assign(rows * row_length, 0);
    for (size_t index = next++; index < data.shards.size(); index = next++)
      CountShardResidents(data.shards[index], table, slot_of, packed_month_ends, partial[worker]);
  };
  {
    std::vector<std::jthread> workers;
    for (size_t worker = 1; worker < count; ++worker) workers.emplace_back(work, worker);
    work(0);
  }
  table.counts.assign(rows * table.month_count, 0);
  for (size_t row = 0; row < rows; ++row) {
    int64_t running = 0;
    for (size_t month = 0; month < table.month_count; ++month) {
      for (const auto& changes : partial) running += changes[row * row_length + month];
      table.counts[row * table.month_count + month] = static_cast<uint32_t>(running);
    }
  }
  return table;
}

std::vector<std::string> ShardFolders(const store::Release& release) {
  std::vector<std::string> folders;
  for (const auto& file : release.manifest().files) {
    const std::string_view path = file.path;
    const size_t slash = path.find('/');
    if (slash == std::string_view::npos || !path.starts_with("shard-")) continue;
    if (path.substr(slash + 1) == "persons.tbl") folders.emplace_back(path.substr(0, slash));
  }
  return folders;
}

}  // namespace

NarrowAmounts::NarrowAmounts(const std::vector<int64_t>& values) {
  narrow_.reserve(values.size());
  for (size_t row = 0; row < values.size(); ++row) {
    const int64_t value = values[row];
    if (value > std::numeric_limits<int32_t>::max() || value <= kWide) {
      narrow_.push_back(kWide);
      wide_.emplace_back(static_cast<uint32_t>(row), value);
    } else {
      narrow_.push_back(static_cast<int32_t>(value));
    }
  }
}

void NarrowAmounts::Reorder(const std::vector<uint32_t>& rows) {
  std::vector<int64_t> values;
  values.reserve(rows.size());
  for (const uint32_t row : rows) values.push_back((*this)[row]);
  *this = NarrowAmounts(values);
}

int64_t NarrowAmounts::Wide(size_t row) const {
  const auto found = std::lower_bound(wide_.begin(), wide_.end(), row,
                                      [](const std::pair<uint32_t, int64_t>& entry, size_t wanted) {
                                        return entry.first < wanted;
                                      });
  return found->second;
}

std::vector<uint64_t> GroupMasksOf(const CodeLists& codes) {
  const CodeList& benefits = ListOf(codes, "benefit");
  std::vector<uint64_t> masks;
  for (const BenefitGroup& group : codes.benefit_groups) {
    uint64_t mask = 0;
    for (const std::string& member : group.members) {
      const std::optional<int> code = benefits.Find(member);
      if (code) mask |= uint64_t{1} << *code;  // LoadCodeLists checks that every member is one
    }
    if (std::popcount(mask) > 1 && std::find(masks.begin(), masks.end(), mask) == masks.end())
      masks.push_back(mask);
  }
  return masks;
}

std::shared_ptr<const ReleaseData> LoadRelease(const store::Release& release,
                                               const CodeLists& codes, int threads) {
  auto data = std::make_shared<ReleaseData>();
  data->id = release.id();
  data->cut_off_day = release.cut_off_day();
  const auto& months = release.manifest().source_months;
  data->first_month = months.empty() ? MonthOfDay(release.cut_off_day()) : months.front();
  const auto folders = ShardFolders(release);
  if (folders.empty()) {
    throw UserError(
        ErrorCode::kBadStore,
        fmt::format("release {} has no person shards (shard-NNN/persons.tbl)", release.id()));
  }
  data->shards.resize(folders.size());
  std::atomic<size_t> next{0};
  std::exception_ptr failure;
  std::mutex failure_mutex;
  auto work = [&] {
    for (size_t index = next++; index < folders.size(); index = next++) {
      try {
        data->shards[index] = LoadShard(release, folders[index], codes);
      } catch (...) {
        const std::lock_guard lock(failure_mutex);
        if (!failure) failure = std::current_exception();
      }
    }
  };
  std::vector<std::jthread> workers;
  const int count = std::clamp(threads, 1, static_cast<int>(folders.size()));
  for (int worker = 1; worker < count; ++worker) workers.emplace_back(work);
  work();
  workers.clear();
  if (failure) std::rethrow_exception(failure);
  for (const Shard& shard : data->shards)
    data->persons += static_cast<int64_t>(shard.persons.size());
  data->residents = BuildResidentTable(*data, ListOf(codes, "sex").codes.size(), threads);
  data->sums = SumByMonthCodeMunicipality(*data, ListOf(codes, "benefit").codes.size(), threads);
  data->meetings = SumMeetings(*data, threads);
  return data;
}

}  // namespace jobindsigt::engine
