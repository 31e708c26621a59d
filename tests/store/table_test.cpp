#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <limits>
#include <random>
#include <thread>

#include "store/table_reader.h"
#include "store/table_writer.h"
#include "store_test_support.h"

namespace jobindsigt::store {
namespace {

using test::ExpectUserError;
using test::TempFolder;

template <class T>
std::vector<T> Extremes() {
  using Limits = std::numeric_limits<T>;
  return {Limits::lowest(), T(0), T(1), T(42), T(Limits::max() / 2), Limits::max()};
}

TEST(TableTest, RoundTripsEveryColumnType) {
  const TempFolder folder("round_trip");
  TableWriter table;
  table.Add("int8", Extremes<int8_t>());
  table.Add("uint8", Extremes<uint8_t>());
  table.Add("int16", Extremes<int16_t>());
  table.Add("uint16", Extremes<uint16_t>());
  table.Add("int32", Extremes<int32_t>());
  table.Add("int64", Extremes<int64_t>());
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const std::vector<double> doubles = {-0.0, 1e-300,
                                       nan,  -std::numeric_limits<double>::infinity(),
                                       3.25, std::numeric_limits<double>::max()};
  table.Add("float64", doubles);
  const uint64_t bytes = table.Write(folder / "all.tbl");

  const TableReader reader = TableReader::Open(folder / "all.tbl");
  EXPECT_EQ(reader.rows(), 6u);
  EXPECT_EQ(reader.file_bytes(), bytes);
  EXPECT_EQ(std::filesystem::file_size(folder / "all.tbl"), bytes);
  ASSERT_EQ(reader.columns().size(), 7u);
  EXPECT_EQ(reader.columns()[4].name, "int32");
  EXPECT_EQ(reader.columns()[4].type, ColumnType::kInt32);
  const auto expect_column = [&]<class T>(const char* name, const std::vector<T>& expected) {
    const std::span<const T> values = reader.Column<T>(name);
    EXPECT_EQ(std::vector<T>(values.begin(), values.end()), expected) << name;
    EXPECT_EQ(reinterpret_cast<uintptr_t>(values.data()) % 64, 0u) << name << " is not aligned";
  };
  expect_column("int8", Extremes<int8_t>());
  expect_column("uint8", Extremes<uint8_t>());
  expect_column("int16", Extremes<int16_t>());
  expect_column("uint16", Extremes<uint16_t>());
  expect_column("int32", Extremes<int32_t>());
  expect_column("int64", Extremes<int64_t>());
  const std::span<const double> read_doubles = reader.Column<double>("float64");
  ASSERT_EQ(read_doubles.size(), doubles.size());
  EXPECT_EQ(std::memcmp(read_doubles.data(), doubles.data(), sizeof(double) * doubles.size()), 0);
  EXPECT_TRUE(std::signbit(read_doubles[0]));
  EXPECT_TRUE(std::isnan(read_doubles[2]));
  EXPECT_FALSE(reader.BlockIndex().has_value());
  EXPECT_TRUE(reader.VerifyChecksums().empty());
  EXPECT_FALSE(std::filesystem::exists(folder / "all.tbl.tmp"));
}

// Format version 2: columns are compressed (sorted ones as differences) and decoded on first
// use; every value comes back exactly, aligned, the same to every thread.
TEST(TableTest, CompressedColumnsRoundTrip) {
  const TempFolder folder("compressed");
  constexpr size_t kRows = 100000;
  std::mt19937_64 random(7);
  std::vector<int64_t> sorted_ids(kRows), wrapping(kRows);
  std::vector<int32_t> days(kRows);
  std::vector<uint8_t> codes(kRows);
  std::vector<double> degrees(kRows);
  int64_t id = 100000000000;
  for (size_t row = 0; row < kRows; ++row) {
    id += static_cast<int64_t>(random() % 3);
    sorted_ids[row] = id;
    // Growing but with the extremes in it: differences must wrap and come back exactly.
    wrapping[row] = row % 1000 == 999   ? std::numeric_limits<int64_t>::min()
                    : row % 1000 == 500 ? std::numeric_limits<int64_t>::max()
                                        : static_cast<int64_t>(row);
    days[row] = 19000 + static_cast<int32_t>(random() % 400);
    codes[row] = static_cast<uint8_t>(random() % 4);
    degrees[row] = static_cast<double>(random() % 100) / 100.0;
  }
  TableWriter table;
  table.Add("person_id", sorted_ids);
  table.Add("wrapping", wrapping);
  table.Add("day", days);
  table.Add("code", codes);
  table.Add("degree", degrees);
  const uint64_t bytes = table.Write(folder / "compressed.tbl");
  EXPECT_LT(bytes, kRows * (8 + 8 + 4 + 1 + 8) / 3);

  const TableReader reader = TableReader::Open(folder / "compressed.tbl");
  EXPECT_EQ(reader.columns()[0].encoding, ColumnEncoding::kDeltaZstd);
  EXPECT_EQ(reader.columns()[3].encoding, ColumnEncoding::kZstd);
  std::vector<std::span<const int64_t>> seen(4);
  std::vector<std::thread> threads;
  for (auto& span : seen) {
    threads.emplace_back([&] { span = reader.Column<int64_t>("person_id"); });
  }
  for (auto& thread : threads) thread.join();
  for (const auto& span : seen) EXPECT_EQ(span.data(), seen[0].data());
  const auto expect_column = [&]<class T>(const char* name, const std::vector<T>& expected) {
    const std::span<const T> values = reader.Column<T>(name);
    EXPECT_TRUE(std::equal(values.begin(), values.end(), expected.begin(), expected.end())) << name;
    EXPECT_EQ(reinterpret_cast<uintptr_t>(values.data()) % 64, 0u) << name << " is not aligned";
  };
  expect_column("person_id", sorted_ids);
  expect_column("wrapping", wrapping);
  expect_column("day", days);
  expect_column("code", codes);
  expect_column("degree", degrees);
  EXPECT_TRUE(reader.VerifyChecksums().empty());
  // Copies decode straight into the caller's vector (a fresh reader: nothing decoded yet).
  const TableReader fresh = TableReader::Open(folder / "compressed.tbl");
  EXPECT_EQ(fresh.CopyColumn<int64_t>("wrapping"), wrapping);
  EXPECT_EQ(fresh.CopyColumn<int32_t>("day"), days);
  EXPECT_EQ(fresh.CopyColumn<uint8_t>("code"), codes);
  EXPECT_EQ(fresh.CopyColumn<double>("degree"), degrees);
  EXPECT_EQ(fresh.CopyColumn<int64_t>("person_id"), sorted_ids);
  ExpectUserError([&] { fresh.CopyColumn<int32_t>("person_id"); }, ErrorCode::kBadStore,
                  "column 'person_id' holds int64, not int32");

  // Without compression the file is format version 2 with plain columns, as in version 1.
  TableWriter plain;
  plain.SetCompression(false);
  plain.Add("person_id", sorted_ids);
  EXPECT_EQ(plain.Write(folder / "plain.tbl"), 64 + ((kRows * 8 + 63) / 64 * 64) + 64 + 64 + 9);
  EXPECT_EQ(TableReader::Open(folder / "plain.tbl").columns()[0].encoding, ColumnEncoding::kPlain);
  EXPECT_EQ(TableReader::Open(folder / "plain.tbl").CopyColumn<int64_t>("person_id"), sorted_ids);
}

TEST(TableTest, DictionariesKeepTheirStrings) {
  const TempFolder folder("dictionary");
  TableWriter table;
  table.Add<uint8_t>("benefit", {2, 0, 1, 1, 3});
  table.Add<int16_t>("municipality", {0, 0, 0, 0, 0});
  table.Add<int32_t>("plain", {5, 4, 3, 2, 1});
  table.AddDictionary("benefit", {"dagpenge", "", "kontanthjælp", "ressourceforløb"});
  table.AddDictionary("municipality", {"København"});
  table.Write(folder / "codes.tbl");

  const TableReader reader = TableReader::Open(folder / "codes.tbl");
  const auto benefits = reader.Dictionary("benefit");
  ASSERT_EQ(benefits.size(), 4u);
  EXPECT_EQ(benefits[0], "dagpenge");
  EXPECT_EQ(benefits[1], "");
  EXPECT_EQ(benefits[2], "kontanthjælp");
  EXPECT_EQ(benefits[3], "ressourceforløb");
  EXPECT_EQ(benefits[reader.Column<uint8_t>("benefit")[0]], "kontanthjælp");
  EXPECT_EQ(reader.Dictionary("municipality")[0], "København");
  EXPECT_TRUE(reader.columns()[0].has_dictionary);
  EXPECT_FALSE(reader.columns()[2].has_dictionary);
  ExpectUserError([&] { reader.Dictionary("plain"); }, ErrorCode::kBadStore, "no dictionary");
  EXPECT_TRUE(reader.VerifyChecksums().empty());
}

TEST(TableTest, BlockIndexHoldsEachBlocksDayRange) {
  const TempFolder folder("block_index");
  const int rows = 3 * 4096 + 17;
  std::vector<int32_t> from(rows), to(rows);
  for (int i = 0; i < rows; ++i) {
    from[i] = 20000 + (i * 7919) % 3000;
    to[i] = from[i] + (i * 104729) % 500;
  }
  TableWriter table;
  table.Add("from_day", from);
  table.Add("to_day", to);
  table.SetBlockIndex("from_day", "to_day");
  table.Write(folder / "spells.tbl");

  const TableReader reader = TableReader::Open(folder / "spells.tbl");
  const auto index = reader.BlockIndex();
  ASSERT_TRUE(index.has_value());
  EXPECT_EQ(index->block_rows, 4096u);
  EXPECT_EQ(index->from_column, "from_day");
  EXPECT_EQ(index->to_column, "to_day");
  ASSERT_EQ(index->min_from_day.size(), 4u);
  ASSERT_EQ(index->max_to_day.size(), 4u);
  for (size_t block = 0; block < 4; ++block) {
    const size_t begin = block * 4096;
    const size_t end = std::min<size_t>(begin + 4096, rows);
    EXPECT_EQ(index->min_from_day[block], *std::min_element(&from[begin], &from[0] + end));
    EXPECT_EQ(index->max_to_day[block], *std::max_element(&to[begin], &to[0] + end));
  }
  EXPECT_TRUE(reader.VerifyChecksums().empty());
}

TEST(TableTest, EmptyTablesRoundTrip) {
  const TempFolder folder("empty");
  TableWriter no_columns;
  no_columns.Write(folder / "none.tbl");
  EXPECT_EQ(TableReader::Open(folder / "none.tbl").rows(), 0u);
  EXPECT_TRUE(TableReader::Open(folder / "none.tbl").columns().empty());

  TableWriter no_rows;
  no_rows.Add<int32_t>("from_day", {});
  no_rows.Add<int32_t>("to_day", {});
  no_rows.Add<uint8_t>("code", {});
  no_rows.AddDictionary("code", {});
  no_rows.SetBlockIndex("from_day", "to_day");
  no_rows.Write(folder / "empty.tbl");
  const TableReader reader = TableReader::Open(folder / "empty.tbl");
  EXPECT_EQ(reader.rows(), 0u);
  EXPECT_TRUE(reader.Column<int32_t>("from_day").empty());
  EXPECT_TRUE(reader.Dictionary("code").empty());
  ASSERT_TRUE(reader.BlockIndex().has_value());
  EXPECT_TRUE(reader.BlockIndex()->min_from_day.empty());
  EXPECT_TRUE(reader.VerifyChecksums().empty());
}

TEST(TableTest, ReadingTheWrongColumnSaysWhat) {
  const TempFolder folder("wrong_column");
  test::SampleTable(10).Write(folder / "benefits.tbl");
  const TableReader reader = TableReader::Open(folder / "benefits.tbl");
  EXPECT_TRUE(reader.HasColumn("person"));
  EXPECT_FALSE(reader.HasColumn("nobody"));
  ExpectUserError([&] { reader.Column<int32_t>("nobody"); }, ErrorCode::kBadStore,
                  "no column 'nobody' (it has: person, from_day, to_day, benefit, amount_dkk)");
  ExpectUserError([&] { reader.Column<int64_t>("person"); }, ErrorCode::kBadStore,
                  "column 'person' holds int32, not int64");
  ExpectUserError([&] { reader.Column<double>("person"); }, ErrorCode::kBadStore,
                  (folder / "benefits.tbl").string());
}

TEST(TableTest, ReadersShareTheMappingWhenCopied) {
  const TempFolder folder("copy");
  test::SampleTable(100).Write(folder / "benefits.tbl");
  std::optional<TableReader> copy;
  {
    const TableReader reader = TableReader::Open(folder / "benefits.tbl");
    copy = reader;
  }
  EXPECT_EQ(copy->Column<int32_t>("person")[99], 99 / 3 + 1);
  EXPECT_EQ(copy->BlockIndex()->from_column, "from_day");
  EXPECT_EQ(copy->Dictionary("benefit")[2], "sygedagpenge");
}

TEST(TableTest, MisuseIsAProgrammerError) {
  TableWriter table;
  table.Add<int32_t>("from_day", {1, 2, 3});
  table.Add<int16_t>("small", {1, 2, 3});
  table.Add<double>("amount", {1, 2, 3});
  EXPECT_THROW(table.Add<int32_t>("short", {1, 2}), std::logic_error);
  EXPECT_THROW(table.Add<int32_t>("from_day", {1, 2, 3}), std::logic_error);
  EXPECT_THROW(table.Add<int32_t>("", {1, 2, 3}), std::logic_error);
  EXPECT_THROW(table.AddDictionary("nobody", {"a"}), std::logic_error);
  EXPECT_THROW(table.AddDictionary("amount", {"a", "b", "c", "d"}), std::logic_error);
  EXPECT_THROW(table.AddDictionary("small", {"a", "b", "c"}), std::logic_error);  // code 3
  EXPECT_THROW(table.SetBlockIndex("from_day", "small"), std::logic_error);
  EXPECT_EQ(table.rows(), 3u);
}

TEST(TableTest, WriteFailureIsAnIoError) {
  const TempFolder folder("unwritable");
  ExpectUserError([&] { test::SampleTable(10).Write(folder / "missing" / "benefits.tbl"); },
                  ErrorCode::kIoFailure, "benefits.tbl.tmp");
}

}  // namespace
}  // namespace jobindsigt::store
