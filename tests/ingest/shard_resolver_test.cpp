// The partitioned resolver against the in-memory one: rows set aside per person shard
// (RowSpill) and resolved shard by shard (ResolveShard) give the same live rows and the same
// deletions of unknown records as ResolvedState over the whole source, both in one run and
// with a previous release's rows underneath.

#include "ingest/shard_resolver.h"

#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <random>
#include <set>

#include "ingest/resolved_state.h"
#include "ingest/row_spill.h"

namespace jobindsigt::ingest {
namespace {

namespace fs = std::filesystem;

const DataflowCatalog& Catalog() {
  static const DataflowCatalog catalog = LoadDataflowCatalog(JOBINDSIGT_TEST_CATALOG_DIR);
  return catalog;
}

const SourceSpec& Benefits() {
  return *Catalog().FindSource("benefits");
}

// One delivery of benefit records: versions, corrections and deletions (status D = 1) of
// records that each belong to one person, some deleting records never delivered.
SourceRows Delivery(MonthIndex month, std::mt19937_64& random) {
  const SourceSpec& spec = Benefits();
  SourceRows rows(&spec);
  std::vector<bool> used(400, false);
  for (int line = 2; line < 120; ++line) {
    const int64_t record = 1 + static_cast<int64_t>(random() % 400);
    if (used[record - 1]) continue;  // the reader quarantines keys twice in a file
    used[record - 1] = true;
    const int64_t from = 19000 + static_cast<int64_t>(random() % 300);
    for (size_t field = 0; field < spec.fields.size(); ++field) {
      const std::string& name = spec.fields[field].name;
      auto& column = rows.columns[field];
      if (name == "degree") {
        column.reals.push_back(random() % 7 == 0 ? std::nan("") : 0.25 * (1 + random() % 4));
        continue;
      }
      int64_t value = 0;
      if (name == "record_id") value = record;
      if (name == "person_id") value = 1000 + record % 53;
      if (name == "municipality_code") value = 101;
      if (name == "from_date") value = from;
      if (name == "to_date") value = random() % 3 == 0 ? kMissing : from + random() % 90;
      if (name == "visitation" || name == "unemployment_fund") value = kMissing;
      if (name == "status") value = random() % 6 == 0 ? 1 : 0;
      column.ints.push_back(value);
    }
    rows.delivery.push_back(month);
    rows.file_line.push_back(line);
  }
  return rows;
}

// Every row of `rows` listed by `order`, in table order, as comparable tuples.
std::vector<std::vector<double>> Listing(const SourceRows& rows, std::vector<size_t> order) {
  SortRows(rows, order);
  std::vector<std::vector<double>> listing;
  for (const size_t row : order) {
    std::vector<double> values;
    for (size_t field = 0; field < rows.columns.size(); ++field) {
      const auto& column = rows.columns[field];
      const double value =
          column.reals.empty() ? static_cast<double>(column.ints[row]) : column.reals[row];
      values.push_back(std::isnan(value) ? -1.0 : value);
    }
    values.push_back(rows.delivery[row]);
    listing.push_back(std::move(values));
  }
  return listing;
}

struct Reference {
  std::vector<std::vector<double>> live;
  int64_t unknown_deletions = 0;
};

Reference InMemory(const std::vector<SourceRows>& deliveries, const SourceSpec& spec = Benefits()) {
  ResolvedState state(&spec);
  Reference reference;
  for (const auto& delivery : deliveries) {
    FileReport report;
    std::vector<QuarantinedRow> quarantine;
    state.Apply(delivery, report, quarantine);
    reference.unknown_deletions += static_cast<int64_t>(quarantine.size());
  }
  const SourceRows live = state.Live();
  std::vector<size_t> all(live.size());
  for (size_t row = 0; row < all.size(); ++row) all[row] = row;
  reference.live = Listing(live, all);
  return reference;
}

// The deliveries `from`..`to` spilled and resolved per shard on top of `previous` (per
// shard); returns the live rows per shard and adds the unknown deletions to `unknown`.
std::vector<ResolvedShard> Partitioned(const std::vector<SourceRows>& deliveries, size_t from,
                                       size_t to, std::vector<SourceRows> previous,
                                       const ShardPlan& plan, const fs::path& folder,
                                       const SourceSpec& spec = Benefits()) {
  RowSpill spill(&spec, folder, plan);
  for (size_t month = from; month < to; ++month) spill.Append(deliveries[month]);
  spill.Finish();
  std::vector<ResolvedShard> shards;
  for (int shard = 0; shard < plan.shard_count; ++shard) {
    shards.push_back(ResolveShard(std::move(previous[shard]), true, spill.Read(shard)));
  }
  return shards;
}

Reference Collect(const std::vector<ResolvedShard>& shards, const SourceSpec& spec = Benefits()) {
  Reference result;
  SourceRows all(&spec);
  for (const auto& shard : shards) {
    for (const size_t row : shard.order) all.AppendRow(shard.rows, row);
    result.unknown_deletions += static_cast<int64_t>(shard.unknown_deletions.size());
  }
  std::vector<size_t> order(all.size());
  for (size_t row = 0; row < order.size(); ++row) order[row] = row;
  result.live = Listing(all, order);
  return result;
}

// Payments: a keyed source (person, month, benefit, municipality) whose later row replaces an
// earlier one of the same key. `id_span` sets how far apart person ids lie: small spans take
// the resolver's packed-key sort, ids across the whole int64 range its general one.
SourceRows PaymentsDelivery(MonthIndex month, int64_t id_span, std::mt19937_64& random) {
  const SourceSpec& spec = *Catalog().FindSource("payments");
  SourceRows rows(&spec);
  std::set<std::array<int64_t, 4>> used;
  for (int line = 2; line < 300; ++line) {
    const int64_t person = 1 + static_cast<int64_t>(random() % 40) * (id_span / 40);
    const std::array<int64_t, 4> key = {person, 200 + static_cast<int64_t>(random() % 6),
                                        static_cast<int64_t>(random() % 3),
                                        random() % 2 == 0 ? 101 : 147};
    if (!used.insert(key).second) continue;  // the reader quarantines keys twice in a file
    for (size_t field = 0; field < spec.fields.size(); ++field) {
      auto& column = rows.columns[field];
      if (spec.fields[field].type == FieldType::kDecimal) {
        column.reals.push_back(static_cast<double>(random() % 10000) / 4);
      } else {
        column.ints.push_back(field < 4 ? key[field] : 0);
      }
    }
    rows.delivery.push_back(month);
    rows.file_line.push_back(line);
  }
  return rows;
}

TEST(ShardResolverKeyedTest, KeyedRowsResolveAsInMemoryWhateverTheKeysSpan) {
  const SourceSpec& payments = *Catalog().FindSource("payments");
  const fs::path folder = fs::temp_directory_path() / "jobindsigt-shard-resolver-keyed";
  for (const int64_t span : {int64_t{4000}, std::numeric_limits<int64_t>::max() - 1}) {
    std::mt19937_64 random(7);
    std::vector<SourceRows> deliveries;
    for (MonthIndex month = 0; month < 8; ++month)
      deliveries.push_back(PaymentsDelivery(month, span, random));
    const Reference expected = InMemory(deliveries, payments);
    ASSERT_GT(expected.live.size(), 100U);
    fs::remove_all(folder);
    const Reference actual = Collect(Partitioned(deliveries, 0, deliveries.size(),
                                                 std::vector<SourceRows>(3, SourceRows(&payments)),
                                                 ShardPlan{3}, folder, payments),
                                     payments);
    EXPECT_EQ(actual.live, expected.live) << "person ids spanning " << span;
  }
  fs::remove_all(folder);
}

class ShardResolverTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::mt19937_64 random(42);
    for (MonthIndex month = 0; month < 12; ++month) deliveries_.push_back(Delivery(month, random));
    fs::remove_all(folder_);
  }
  void TearDown() override { fs::remove_all(folder_); }

  std::vector<SourceRows> deliveries_;
  const fs::path folder_ = fs::temp_directory_path() / "jobindsigt-shard-resolver-test";
  const ShardPlan plan_{3};
};

TEST_F(ShardResolverTest, PerShardEqualsInMemory) {
  const Reference expected = InMemory(deliveries_);
  ASSERT_GT(expected.unknown_deletions, 0);
  const Reference actual = Collect(Partitioned(deliveries_, 0, deliveries_.size(),
                                               std::vector<SourceRows>(3, SourceRows(&Benefits())),
                                               plan_, folder_ / "all"));
  EXPECT_EQ(actual.unknown_deletions, expected.unknown_deletions);
  EXPECT_EQ(actual.live, expected.live);
}

TEST_F(ShardResolverTest, OnTopOfAPreviousReleaseEqualsInMemory) {
  const Reference expected = InMemory(deliveries_);
  auto first = Partitioned(deliveries_, 0, 7, std::vector<SourceRows>(3, SourceRows(&Benefits())),
                           plan_, folder_ / "first");
  int64_t unknown = 0;
  std::vector<SourceRows> previous;
  for (const auto& shard : first) {
    unknown += static_cast<int64_t>(shard.unknown_deletions.size());
    SourceRows rows(&Benefits());
    for (const size_t row : shard.order) rows.AppendRow(shard.rows, row);  // as a table holds them
    previous.push_back(std::move(rows));
  }
  const Reference actual = Collect(Partitioned(deliveries_, 7, deliveries_.size(),
                                               std::move(previous), plan_, folder_ / "rest"));
  EXPECT_EQ(actual.unknown_deletions + unknown, expected.unknown_deletions);
  EXPECT_EQ(actual.live, expected.live);
}

TEST_F(ShardResolverTest, SpilledRowsComeBackExactly) {
  SourceRows rows = deliveries_[0];
  rows.columns[Benefits().FieldIndex("from_date")].ints[0] = -123456789;  // negative
  rows.columns[Benefits().FieldIndex("record_id")].ints[1] = std::numeric_limits<int64_t>::max();
  RowSpill spill(&Benefits(), folder_ / "exact", ShardPlan{1});
  for (int copy = 0; copy < 200; ++copy) spill.Append(rows);  // several compressed frames
  spill.Finish();
  const SourceRows back = spill.Read(0);
  ASSERT_EQ(back.size(), rows.size() * 200);
  for (size_t row = 0; row < back.size(); ++row) {
    const size_t original = row % rows.size();
    for (size_t field = 0; field < rows.columns.size(); ++field) {
      const auto& column = rows.columns[field];
      if (column.reals.empty()) {
        ASSERT_EQ(back.columns[field].ints[row], column.ints[original]) << row << " " << field;
      } else {
        const double value = column.reals[original];
        ASSERT_TRUE(std::isnan(value) ? std::isnan(back.columns[field].reals[row])
                                      : back.columns[field].reals[row] == value);
      }
    }
    ASSERT_EQ(back.delivery[row], rows.delivery[original]);
    ASSERT_EQ(back.file_line[row], rows.file_line[original]);
  }
}

}  // namespace
}  // namespace jobindsigt::ingest
