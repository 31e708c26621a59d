#pragma once
// Temporary folders, file bytes and small releases for the store tests.

#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <cstddef>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iterator>
#include <string>
#include <vector>

#include "common/error.h"
#include "store/release_writer.h"
#include "store/table_writer.h"

namespace jobindsigt::store::test {

// A fresh folder under the system's temporary folder, removed with everything in it.
class TempFolder {
 public:
  explicit TempFolder(const std::string& name) {
    static std::atomic<int> counter{0};
    path_ = std::filesystem::temp_directory_path() /
            ("jobindsigt_store_" + name + "_" + std::to_string(::getpid()) + "_" +
             std::to_string(counter++));
    std::filesystem::remove_all(path_);
    std::filesystem::create_directories(path_);
  }
  ~TempFolder() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  TempFolder(const TempFolder&) = delete;
  TempFolder& operator=(const TempFolder&) = delete;

  const std::filesystem::path& path() const { return path_; }
  std::filesystem::path operator/(const std::string& name) const { return path_ / name; }

 private:
  std::filesystem::path path_;
};

inline std::vector<std::byte> ReadBytes(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  const std::vector<char> chars{std::istreambuf_iterator<char>(in), {}};
  const auto* begin = reinterpret_cast<const std::byte*>(chars.data());
  return {begin, begin + chars.size()};
}

// Overwrites in place and then sets the length: truncating to zero first would make ext4
// flush the file on close (auto_da_alloc), which slows the loops of the corruption tests.
inline void WriteBytes(const std::filesystem::path& path, const std::vector<std::byte>& bytes) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
  ASSERT_GE(fd, 0) << path;
  ASSERT_EQ(::pwrite(fd, bytes.data(), bytes.size(), 0), static_cast<ssize_t>(bytes.size()));
  ASSERT_EQ(::ftruncate(fd, static_cast<off_t>(bytes.size())), 0);
  ::close(fd);
}

inline void WriteText(const std::filesystem::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
}

// Expects `action` to throw UserError with `code` and a message containing `fragment`.
inline void ExpectUserError(const std::function<void()>& action, ErrorCode code,
                            const std::string& fragment) {
  try {
    action();
    ADD_FAILURE() << "no UserError thrown; expected one mentioning " << fragment;
  } catch (const UserError& error) {
    EXPECT_EQ(ErrorCodeName(error.code()), ErrorCodeName(code)) << error.what();
    EXPECT_NE(std::string(error.what()).find(fragment), std::string::npos)
        << "message '" << error.what() << "' does not mention '" << fragment << "'";
  }
}

// A small benefits-like table: person, from/to days, a coded benefit, an amount.
inline TableWriter SampleTable(int rows, int seed = 1) {
  std::vector<int32_t> person(rows), from(rows), to(rows);
  std::vector<uint8_t> benefit(rows);
  std::vector<double> amount(rows);
  for (int i = 0; i < rows; ++i) {
    person[i] = i / 3 + seed;
    from[i] = 19000 + (i * 37 + seed) % 1500;
    to[i] = from[i] + (i * 11) % 400;
    benefit[i] = static_cast<uint8_t>((i + seed) % 3);
    amount[i] = i * 1.5 + seed;
  }
  TableWriter table;
  table.Add("person", std::move(person));
  table.Add("from_day", std::move(from));
  table.Add("to_day", std::move(to));
  table.Add("benefit", std::move(benefit));
  table.Add("amount_dkk", std::move(amount));
  table.AddDictionary("benefit", {"dagpenge", "kontanthjælp", "sygedagpenge"});
  table.SetBlockIndex("from_day", "to_day");
  return table;
}

// Publishes a release with one sample table per shard; returns its id.
inline std::string PublishSample(const std::filesystem::path& store, int seed = 1, int rows = 1000,
                                 int shards = 2) {
  ReleaseWriter release(store);
  for (int shard = 0; shard < shards; ++shard) {
    SampleTable(rows, seed + shard)
        .Write(release.Path("shard-00" + std::to_string(shard) + "/benefits.tbl"));
  }
  release.Publish({{"persons", rows / 3}, {"seed", seed}}, 20000 + seed, {MakeMonth(2024, 1)});
  return release.release_id();
}

}  // namespace jobindsigt::store::test
