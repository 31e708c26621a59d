// Damaged, truncated and foreign files must give UserError(kBadStore) naming the file, or
// (for damage inside column data) a finding of VerifyChecksums; never a crash. Run under
// ASan/UBSan, these loops also show that no check reads outside the mapping.

#include <gtest/gtest.h>

#include <limits>
#include <random>

#include "store/table_reader.h"
#include "store_test_support.h"

namespace jobindsigt::store {
namespace {

using test::ReadBytes;
using test::TempFolder;
using test::WriteBytes;

// Opens `path` and, when that works, touches everything a reader can reach.
// Returns "refused", "verify found" or "intact".
std::string Examine(const std::filesystem::path& path) {
  try {
    const TableReader reader = TableReader::Open(path);
    int64_t sum = 0;
    for (const ColumnInfo& column : reader.columns()) {
      if (column.type == ColumnType::kInt32) {
        for (const int32_t value : reader.Column<int32_t>(column.name)) sum += value;
      }
      if (column.has_dictionary) {
        for (const std::string_view text : reader.Dictionary(column.name)) sum += text.size();
      }
    }
    if (const auto index = reader.BlockIndex()) {
      for (const int32_t day : index->min_from_day) sum += day;
      for (const int32_t day : index->max_to_day) sum += day;
    }
    EXPECT_NE(sum, std::numeric_limits<int64_t>::min());  // uses what was read
    return reader.VerifyChecksums().empty() ? "intact" : "verify found";
  } catch (const UserError& error) {
    EXPECT_EQ(error.code(), ErrorCode::kBadStore) << error.what();
    EXPECT_NE(std::string(error.what()).find(path.string()), std::string::npos) << error.what();
    return "refused";
  }
}

class TableCorruptionTest : public ::testing::Test {
 protected:
  void SetUp() override {
    test::SampleTable(40).Write(good_);
    bytes_ = ReadBytes(good_);
    ASSERT_EQ(Examine(good_), "intact");
  }

  const TempFolder folder_{"corruption"};
  const std::filesystem::path good_ = folder_ / "good.tbl";
  const std::filesystem::path bad_ = folder_ / "bad.tbl";
  std::vector<std::byte> bytes_;
};

TEST_F(TableCorruptionTest, EveryTruncationIsRefused) {
  for (size_t length = 0; length < bytes_.size(); ++length) {
    WriteBytes(bad_, std::vector<std::byte>(bytes_.begin(), bytes_.begin() + length));
    ASSERT_EQ(Examine(bad_), "refused") << "truncated to " << length << " bytes";
  }
}

TEST_F(TableCorruptionTest, EveryFlippedBitIsFound) {
  for (size_t bit = 0; bit < bytes_.size() * 8; ++bit) {
    std::vector<std::byte> damaged = bytes_;
    damaged[bit / 8] ^= std::byte(1 << (bit % 8));
    WriteBytes(bad_, damaged);
    ASSERT_NE(Examine(bad_), "intact") << "bit " << bit << " of " << bytes_.size() * 8;
  }
}

TEST_F(TableCorruptionTest, RandomDamageNeverCrashes) {
  std::mt19937_64 random(20240601);
  for (int round = 0; round < 2000; ++round) {
    std::vector<std::byte> damaged = bytes_;
    const int changes = 1 + static_cast<int>(random() % 8);
    for (int change = 0; change < changes; ++change) {
      damaged[random() % damaged.size()] = std::byte(random() & 0xFF);
    }
    if (random() % 4 == 0) damaged.resize(random() % damaged.size());
    WriteBytes(bad_, damaged);
    if (damaged == bytes_) continue;
    ASSERT_NE(Examine(bad_), "intact") << "round " << round;
  }
}

TEST_F(TableCorruptionTest, RandomBytesAreForeign) {
  std::mt19937_64 random(7);
  for (const size_t length : {0, 1, 7, 8, 63, 64, 65, 4096, 100000}) {
    std::vector<std::byte> noise(length);
    for (std::byte& byte : noise) byte = std::byte(random() & 0xFF);
    WriteBytes(bad_, noise);
    EXPECT_EQ(Examine(bad_), "refused") << length << " random bytes";
  }
}

TEST_F(TableCorruptionTest, MessagesSayWhatIsWrong) {
  const auto expect = [&](const std::vector<std::byte>& content, const std::string& fragment) {
    WriteBytes(bad_, content);
    test::ExpectUserError([&] { TableReader::Open(bad_); }, ErrorCode::kBadStore, fragment);
  };
  test::WriteText(bad_, "person;from;to\n1;2;3\n");
  test::ExpectUserError([&] { TableReader::Open(bad_); }, ErrorCode::kBadStore,
                        "is not a Jobindsigt table file");

  std::vector<std::byte> newer = bytes_;
  newer[8] = std::byte{3};
  expect(newer, "newer Jobindsigt (table format version 3; this build reads version 2)");

  std::vector<std::byte> swapped = bytes_;
  std::reverse(swapped.begin() + 12, swapped.begin() + 16);
  expect(swapped, "other byte order");

  std::vector<std::byte> header_damage = bytes_;
  header_damage[17] ^= std::byte{1};  // the row count
  expect(header_damage, "header checksum does not match");

  std::vector<std::byte> appended = bytes_;
  appended.push_back(std::byte{0});
  expect(appended, "truncated or damaged");

  expect(std::vector<std::byte>(bytes_.begin(), bytes_.begin() + 40), "is truncated");
  expect(std::vector<std::byte>(bytes_.begin(), bytes_.end() - 1), "truncated");

  std::vector<std::byte> directory_damage = bytes_;
  directory_damage[bytes_.size() - 3] ^= std::byte{1};  // inside a column name
  expect(directory_damage, "directory checksum does not match");

  test::ExpectUserError([&] { TableReader::Open(folder_ / "absent.tbl"); }, ErrorCode::kBadStore,
                        "absent.tbl");
  test::ExpectUserError([&] { TableReader::Open(folder_.path()); }, ErrorCode::kBadStore,
                        "not a regular file");
}

TEST_F(TableCorruptionTest, DamagedColumnDataIsFoundByVerify) {
  std::vector<std::byte> damaged = bytes_;
  damaged[64 + 5] ^= std::byte{0x10};  // the first column starts right after the header
  WriteBytes(bad_, damaged);
  const TableReader reader = TableReader::Open(bad_);
  const std::vector<std::string> problems = reader.VerifyChecksums();
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_NE(problems[0].find("the checksum of column 'person' does not match"), std::string::npos)
      << problems[0];
  EXPECT_NE(problems[0].find(bad_.string()), std::string::npos);
}

// Compressed columns (format version 2): damage inside the compressed bytes is refused when
// the column is first decoded, or found by VerifyChecksums; never a crash or a wrong value.
class CompressedCorruptionTest : public ::testing::Test {
 protected:
  void SetUp() override {
    test::SampleTable(600).Write(good_);
    bytes_ = ReadBytes(good_);
    const TableReader reader = TableReader::Open(good_);
    for (const ColumnInfo& column : reader.columns()) {
      if (column.encoding != ColumnEncoding::kPlain) ++encoded_;
    }
    ASSERT_GE(encoded_, 3) << "the sample should have compressed columns";
    ASSERT_EQ(Examine(good_), "intact");
  }

  const TempFolder folder_{"compressed-corruption"};
  const std::filesystem::path good_ = folder_ / "good.tbl";
  const std::filesystem::path bad_ = folder_ / "bad.tbl";
  std::vector<std::byte> bytes_;
  int encoded_ = 0;
};

TEST_F(CompressedCorruptionTest, EveryFlippedBitIsFound) {
  for (size_t bit = 0; bit < bytes_.size() * 8; ++bit) {
    std::vector<std::byte> damaged = bytes_;
    damaged[bit / 8] ^= std::byte{static_cast<unsigned char>(1U << (bit % 8))};
    WriteBytes(bad_, damaged);
    ASSERT_NE(Examine(bad_), "intact") << "bit " << bit;
  }
}

TEST_F(CompressedCorruptionTest, EveryTruncationIsRefused) {
  for (size_t length = 0; length < bytes_.size(); ++length) {
    WriteBytes(bad_, std::vector<std::byte>(bytes_.begin(), bytes_.begin() + length));
    ASSERT_EQ(Examine(bad_), "refused") << "length " << length;
  }
}

TEST_F(CompressedCorruptionTest, DamagedCompressedColumnIsRefusedOnFirstUse) {
  std::vector<std::byte> damaged = bytes_;
  damaged[64 + 20] ^= std::byte{0x40};  // inside the first column, the sorted person ids
  WriteBytes(bad_, damaged);
  const TableReader reader = TableReader::Open(bad_);  // opening does not decode
  test::ExpectUserError([&] { (void)reader.Column<int32_t>("person"); }, ErrorCode::kBadStore,
                        "column 'person' does not decompress");
  const std::vector<std::string> problems = reader.VerifyChecksums();
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_NE(problems[0].find("the checksum of column 'person' does not match"), std::string::npos);
}

}  // namespace
}  // namespace jobindsigt::store
