// Fault injection: a child process publishes a release and is killed with SIGKILL, either at
// each named step of the publish protocol (JOBINDSIGT_STORE_CRASH_AT) or after a random
// delay. Afterwards the store must open on a complete release, the old or the new, and the
// next publish must succeed. SIGKILL tests process crashes; power cuts rely on the fsync
// order argued in docs/internals/storage.md.

#include <gtest/gtest.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <random>
#include <thread>

#include "store/file_io.h"
#include "store/release_layout.h"
#include "store/store.h"
#include "store_test_support.h"

namespace jobindsigt::store {
namespace {

namespace fs = std::filesystem;
using test::PublishSample;
using test::TempFolder;

// Forks a child that publishes release number 2 with `crash_at` set; returns its pid.
pid_t StartPublisher(const fs::path& store, const std::string& crash_at) {
  const pid_t pid = ::fork();
  if (pid != 0) return pid;
  int status = 0;
  try {
    if (!crash_at.empty()) ::setenv("JOBINDSIGT_STORE_CRASH_AT", crash_at.c_str(), 1);
    PublishSample(store, 2, 20000, 3);
  } catch (...) {
    status = 3;
  }
  ::_exit(status);
}

int WaitFor(pid_t pid) {
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  return status;
}

// What must hold whenever the publisher died: CURRENT names a complete, verifiable release
// (the first or the second), and the next writer publishes over whatever was left.
void ExpectConsistentStore(const fs::path& store_path, const std::string& context) {
  SCOPED_TRACE(context);
  const Store store = Store::Open(store_path);
  const std::string current = store.CurrentId();
  EXPECT_TRUE(current == "r000001" || current == "r000002") << current;
  const VerifyResult verified = store.VerifyRelease("latest");
  EXPECT_TRUE(verified.ok()) << (verified.ok() ? "" : verified.problems.front());
  const Release release = store.OpenRelease("latest");
  for (const ManifestFile& file : release.manifest().files) {
    EXPECT_TRUE(release.OpenTable(file.path).VerifyChecksums().empty()) << file.path;
  }
  for (const ReleaseInfo& info : store.ListReleases()) {
    EXPECT_TRUE(info.problem.empty()) << info.problem;
  }

  const std::string next = PublishSample(store_path, 3);
  EXPECT_EQ(store.CurrentId(), next);
  EXPECT_TRUE(store.VerifyRelease(next).ok());
  for (const fs::directory_entry& entry : fs::directory_iterator(store_path / "releases")) {
    EXPECT_TRUE(IsReleaseId(entry.path().filename().string())) << entry.path();
  }
}

TEST(CrashTest, EveryStepOfPublishingIsSafe) {
  for (const std::string_view step : kCrashSteps) {
    const TempFolder store_dir("crash_step");
    PublishSample(store_dir.path(), 1);
    const int status = WaitFor(StartPublisher(store_dir.path(), std::string(step)));
    ASSERT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL)
        << "the publisher did not reach step " << step;
    const bool switched = step == "current-renamed" || step == "store-dir-synced";
    EXPECT_EQ(Store::Open(store_dir.path()).CurrentId(), switched ? "r000002" : "r000001") << step;
    ExpectConsistentStore(store_dir.path(), "killed at " + std::string(step));
  }
}

TEST(CrashTest, KillsAtRandomMomentsAreSafe) {
  const TempFolder timing_dir("crash_timing");
  PublishSample(timing_dir.path(), 1);
  const auto start = std::chrono::steady_clock::now();
  ASSERT_EQ(WaitFor(StartPublisher(timing_dir.path(), "")), 0);
  const auto publish_us = std::chrono::duration_cast<std::chrono::microseconds>(
                              std::chrono::steady_clock::now() - start)
                              .count();

  std::mt19937_64 random(99);
  for (int round = 0; round < 25; ++round) {
    const TempFolder store_dir("crash_random");
    PublishSample(store_dir.path(), 1);
    const auto delay_us = static_cast<int64_t>(random() % static_cast<uint64_t>(publish_us + 1));
    const pid_t pid = StartPublisher(store_dir.path(), "");
    std::this_thread::sleep_for(std::chrono::microseconds(delay_us));
    ::kill(pid, SIGKILL);
    const int status = WaitFor(pid);
    ASSERT_TRUE(WIFSIGNALED(status) || WEXITSTATUS(status) == 0);
    ExpectConsistentStore(store_dir.path(), "killed after " + std::to_string(delay_us) + " us of " +
                                                std::to_string(publish_us));
  }
}

}  // namespace
}  // namespace jobindsigt::store
