// The same scale and seed give byte-identical files whatever the number of threads; a failed
// or stopped run leaves nothing behind.

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "common/error.h"
#include "source_reader.h"
#include "support/generated_data.h"

namespace jobindsigt::test {
namespace {

namespace fs = std::filesystem;

std::string Slurp(const fs::path& path) {
  std::ifstream input(path, std::ios::binary);
  std::ostringstream text;
  text << input.rdbuf();
  return text.str();
}

// Compares two generated folders file by file; returns the first difference or "".
std::string FirstDifference(const fs::path& left, const fs::path& right) {
  std::vector<fs::path> files;
  for (const auto& entry : fs::recursive_directory_iterator(left)) {
    if (entry.is_regular_file()) files.push_back(fs::relative(entry.path(), left));
  }
  size_t right_count = 0;
  for (const auto& entry : fs::recursive_directory_iterator(right))
    right_count += entry.is_regular_file();
  if (files.size() != right_count) return "different numbers of files";
  for (const auto& file : files) {
    if (Slurp(left / file) != Slurp(right / file)) return file.string();
  }
  return "";
}

TEST(DeterminismTest, SameSeedSameFilesWhateverTheThreads) {
  const fs::path root = TestFolder("determinism");
  std::atomic<bool> stop{false};
  auto one_thread = OptionsFor("tiny", 1, root / "one");
  one_thread.threads = 1;
  auto three_threads = OptionsFor("tiny", 1, root / "three");
  three_threads.threads = 3;
  synth::Generate(one_thread, stop);
  synth::Generate(three_threads, stop);
  EXPECT_EQ(FirstDifference(root / "one", root / "three"), "");

  auto other_seed = OptionsFor("tiny", 2, root / "other");
  synth::Generate(other_seed, stop);
  EXPECT_NE(FirstDifference(root / "one", root / "other"), "");
  fs::remove_all(root);
}

TEST(DeterminismTest, StoppedRunLeavesNothingBehind) {
  const fs::path root = TestFolder("stopped");
  fs::create_directories(root);
  std::atomic<bool> stop{true};
  try {
    synth::Generate(OptionsFor("tiny", 1, root / "out"), stop);
    FAIL() << "a stopped run must report it";
  } catch (const UserError& error) {
    EXPECT_EQ(error.code(), ErrorCode::kInterrupted);
  }
  EXPECT_TRUE(fs::is_empty(root)) << "staging or output folder left behind";
  fs::remove_all(root);
}

TEST(DeterminismTest, NonEmptyOutputNeedsForceAndForceReplacesOnlyGeneratedData) {
  const fs::path root = TestFolder("force");
  fs::create_directories(root / "out");
  std::ofstream(root / "out" / "notes.txt") << "mine\n";
  std::atomic<bool> stop{false};
  auto options = OptionsFor("tiny", 1, root / "out");
  try {
    synth::Generate(options, stop);
    FAIL() << "a non-empty folder must be refused";
  } catch (const UserError& error) {
    EXPECT_EQ(error.code(), ErrorCode::kOutputNotEmpty);
  }
  options.force = true;
  EXPECT_THROW(synth::Generate(options, stop), UserError)
      << "--force must not delete unrelated files";
  EXPECT_EQ(Slurp(root / "out" / "notes.txt"), "mine\n");

  fs::remove(root / "out" / "notes.txt");
  synth::Generate(options, stop);
  const auto months = DeliveryMonths(root / "out");
  options.until = options.from;  // regenerate a shorter run over the earlier one
  synth::Generate(options, stop);
  EXPECT_EQ(DeliveryMonths(root / "out").size(), 1U);
  EXPECT_GT(months.size(), 1U);
  fs::remove_all(root);
}

TEST(DeterminismTest, BadMonthsAreRefusedBeforeAnythingIsWritten) {
  const fs::path root = TestFolder("months");
  std::atomic<bool> stop{false};
  auto options = OptionsFor("tiny", 1, root / "out");
  options.until = options.from - 1;
  EXPECT_THROW(synth::Generate(options, stop), UserError);
  options = OptionsFor("tiny", 1, root / "out");
  options.from = MakeMonth(1999, 1);
  EXPECT_THROW(synth::Generate(options, stop), UserError);
  EXPECT_FALSE(fs::exists(root));
}

}  // namespace
}  // namespace jobindsigt::test
