#include <gtest/gtest.h>

#include "store/release_layout.h"
#include "store/store.h"
#include "store_test_support.h"

namespace jobindsigt::store {
namespace {

namespace fs = std::filesystem;
using test::ExpectUserError;
using test::PublishSample;
using test::TempFolder;

std::vector<std::string> Ids(const std::vector<ReleaseInfo>& releases) {
  std::vector<std::string> ids;
  for (const ReleaseInfo& release : releases) ids.push_back(release.id);
  return ids;
}

TEST(ReleaseTest, PublishesAReleaseAndOpensIt) {
  const TempFolder store_dir("publish");
  const fs::path store_path = store_dir / "store";
  std::string id;
  {
    ReleaseWriter release(store_path);
    EXPECT_FALSE(release.current_release().has_value());
    id = release.release_id();
    test::SampleTable(5000).Write(release.Path("shard-000/benefits.tbl"));
    test::WriteText(release.Path("notes.txt"), "synthetic data\n");
    EXPECT_TRUE(fs::is_directory(store_path / "releases" / "r000001.partial"));
    const Manifest written = release.Publish(
        {{"persons", 1667}, {"notes", "first"}}, DaysFromCivil(2024, 3, 31),
        {MakeMonth(2024, 3), MakeMonth(2024, 1), MakeMonth(2024, 3), MakeMonth(2024, 2)});
    EXPECT_EQ(written.files.size(), 2u);
  }
  EXPECT_EQ(id, "r000001");
  EXPECT_FALSE(fs::exists(store_path / "releases" / "r000001.partial"));
  EXPECT_EQ(test::ReadBytes(store_path / "CURRENT").size(), 8u);  // "r000001\n"

  const Store store = Store::Open(store_path);
  EXPECT_EQ(store.CurrentId(), "r000001");
  const Release release = store.OpenRelease("latest");
  EXPECT_EQ(release.id(), "r000001");
  EXPECT_EQ(release.cut_off_day(), DaysFromCivil(2024, 3, 31));
  EXPECT_EQ(release.manifest().source_months,
            (std::vector<MonthIndex>{MakeMonth(2024, 1), MakeMonth(2024, 2), MakeMonth(2024, 3)}));
  EXPECT_EQ(release.summary()["persons"], 1667);
  EXPECT_EQ(release.summary()["notes"], "first");
  EXPECT_FALSE(release.manifest().created_utc.empty());
  ASSERT_EQ(release.manifest().files.size(), 2u);
  const ManifestFile& notes = release.manifest().files[0];
  const ManifestFile& table = release.manifest().files[1];
  EXPECT_EQ(notes.path, "notes.txt");
  EXPECT_FALSE(notes.rows.has_value());
  EXPECT_EQ(table.path, "shard-000/benefits.tbl");
  EXPECT_EQ(table.rows, 5000u);
  EXPECT_EQ(table.bytes, fs::file_size(release.folder() / table.path));
  EXPECT_EQ(table.xxh3.size(), 16u);

  const TableReader reader = release.OpenTable("shard-000/benefits.tbl");
  EXPECT_EQ(reader.Column<int32_t>("person")[4999], 4999 / 3 + 1);
  ExpectUserError([&] { release.OpenTable("shard-001/benefits.tbl"); }, ErrorCode::kBadStore,
                  "release r000001 in");
  EXPECT_TRUE(store.VerifyRelease("latest").ok());
}

TEST(ReleaseTest, ListsOpensAndPrunesReleases) {
  const TempFolder store_dir("list");
  for (int seed = 1; seed <= 4; ++seed) {
    EXPECT_EQ(PublishSample(store_dir.path(), seed), FormatReleaseId(seed));
  }
  const Store store = Store::Open(store_dir.path());
  const std::vector<ReleaseInfo> releases = store.ListReleases();
  ASSERT_EQ(Ids(releases), (std::vector<std::string>{"r000001", "r000002", "r000003", "r000004"}));
  for (const ReleaseInfo& release : releases) {
    EXPECT_EQ(release.is_current, release.id == "r000004");
    EXPECT_GT(release.bytes, 0u);
    EXPECT_TRUE(release.problem.empty());
    EXPECT_EQ(release.cut_off_day, 20000 + ReleaseNumber(release.id));
  }
  EXPECT_EQ(store.OpenRelease("r000002").summary()["seed"], 2);
  {
    const ReleaseWriter next(store_dir.path());
    ASSERT_TRUE(next.current_release().has_value());
    EXPECT_EQ(next.current_release()->id(), "r000004");
    EXPECT_EQ(next.current_release()->OpenTable("shard-001/benefits.tbl").rows(), 1000u);
  }
  ExpectUserError([&] { store.OpenRelease("r000009"); }, ErrorCode::kBadArgument,
                  "no release 'r000009' (it has r000001 to r000004");
  ExpectUserError([&] { store.OpenRelease("../x"); }, ErrorCode::kBadArgument, "no release");

  ExpectUserError([&] { store.Prune(0); }, ErrorCode::kBadArgument, "at least 1");
  EXPECT_EQ(store.Prune(2), (std::vector<std::string>{"r000001", "r000002"}));
  EXPECT_EQ(Ids(store.ListReleases()), (std::vector<std::string>{"r000003", "r000004"}));
  EXPECT_TRUE(store.Prune(2).empty());
  EXPECT_EQ(PublishSample(store_dir.path(), 5), "r000005");
}

TEST(ReleaseTest, PruneNeverDeletesTheCurrentRelease) {
  const TempFolder store_dir("prune_current");
  for (int seed = 1; seed <= 3; ++seed) PublishSample(store_dir.path(), seed);
  // An operator rolled back to the first release.
  test::WriteText(store_dir / "CURRENT", "r000001\n");
  const Store store = Store::Open(store_dir.path());
  EXPECT_EQ(store.Prune(1), (std::vector<std::string>{"r000002"}));
  EXPECT_EQ(Ids(store.ListReleases()), (std::vector<std::string>{"r000001", "r000003"}));
  EXPECT_EQ(store.OpenRelease("latest").id(), "r000001");
}

TEST(ReleaseTest, LeftoversAreIgnoredAndCleanedByTheNextWriter) {
  const TempFolder store_dir("leftovers");
  PublishSample(store_dir.path(), 1);
  const fs::path releases = store_dir / "releases";
  fs::create_directories(releases / "r000007.partial" / "shard-000");
  test::WriteText(releases / "r000007.partial" / "shard-000" / "benefits.tbl", "half");
  fs::create_directories(releases / "r000000.deleting");
  test::WriteText(store_dir / "CURRENT.tmp", "r0");

  const Store store = Store::Open(store_dir.path());
  EXPECT_EQ(Ids(store.ListReleases()), (std::vector<std::string>{"r000001"}));
  EXPECT_EQ(store.OpenRelease("latest").id(), "r000001");

  EXPECT_EQ(PublishSample(store_dir.path(), 2), "r000002");
  EXPECT_FALSE(fs::exists(releases / "r000007.partial"));
  EXPECT_FALSE(fs::exists(releases / "r000000.deleting"));
  EXPECT_FALSE(fs::exists(store_dir / "CURRENT.tmp"));
  EXPECT_EQ(store.CurrentId(), "r000002");
}

TEST(ReleaseTest, AnUnpublishedReleaseLeavesNothing) {
  const TempFolder store_dir("unpublished");
  PublishSample(store_dir.path(), 1);
  {
    ReleaseWriter release(store_dir.path());
    test::SampleTable(10).Write(release.Path("shard-000/benefits.tbl"));
  }
  EXPECT_EQ(fs::directory_iterator(store_dir / "releases")->path().filename(), "r000001");
  EXPECT_EQ(std::distance(fs::directory_iterator(store_dir / "releases"), {}), 1);
  EXPECT_EQ(Store::Open(store_dir.path()).CurrentId(), "r000001");
}

TEST(ReleaseTest, OneWriterAtATime) {
  const TempFolder store_dir("busy");
  PublishSample(store_dir.path(), 1);
  const Store store = Store::Open(store_dir.path());
  {
    ReleaseWriter first(store_dir.path());
    ExpectUserError([&] { ReleaseWriter second(store_dir.path()); }, ErrorCode::kStoreBusy,
                    "is locked by another process (pid ");
    ExpectUserError([&] { store.Prune(1); }, ErrorCode::kStoreBusy, "LOCK");
    // Reading never waits for the lock.
    EXPECT_EQ(store.OpenRelease("latest").id(), "r000001");
  }
  EXPECT_EQ(PublishSample(store_dir.path(), 2), "r000002");
}

TEST(ReleaseTest, WriterRefusesPathsOutsideTheRelease) {
  const TempFolder store_dir("paths");
  ReleaseWriter release(store_dir.path());
  for (const char* path : {"", "/etc/passwd", "../escape.tbl", "shard-000/../../x", "a//b",
                           "MANIFEST.json", "a b", "shard-000/"}) {
    EXPECT_THROW(release.Path(path), std::logic_error) << path;
  }
  EXPECT_NO_THROW(release.Path("shard-000/benefits.tbl"));
  EXPECT_THROW(release.Publish(nlohmann::json::array(), 0, {}), std::logic_error);
}

TEST(ReleaseTest, OpeningABrokenStoreSaysWhatIsWrong) {
  const TempFolder store_dir("broken");
  const fs::path store = store_dir.path();
  ExpectUserError([&] { Store::Open(store / "absent"); }, ErrorCode::kBadStore,
                  "there is no store at");
  ExpectUserError([&] { Store::Open(store); }, ErrorCode::kBadStore, "CURRENT is missing");
  PublishSample(store, 1);
  PublishSample(store, 2);

  test::WriteText(store / "CURRENT", "latest\n");
  ExpectUserError([&] { Store::Open(store); }, ErrorCode::kBadStore, "does not hold a release id");
  ExpectUserError([&] { ReleaseWriter writer(store); }, ErrorCode::kBadStore, "CURRENT");
  test::WriteText(store / "CURRENT", "r000003\n");
  ExpectUserError([&] { Store::Open(store); }, ErrorCode::kBadStore,
                  "names release r000003, but its folder");
  test::WriteText(store / "CURRENT", "r000002");  // without newline is fine
  EXPECT_EQ(Store::Open(store).CurrentId(), "r000002");

  const fs::path manifest = store / "releases" / "r000002" / "MANIFEST.json";
  const std::vector<std::byte> good = test::ReadBytes(manifest);
  const auto expect_manifest = [&](const std::string& text, const std::string& fragment) {
    test::WriteText(manifest, text);
    ExpectUserError([&] { Store::Open(store); }, ErrorCode::kBadStore, fragment);
    test::ExpectUserError([&] { (void)Store::Open(store); }, ErrorCode::kBadStore,
                          manifest.string());
  };
  expect_manifest("{\"format_version\": 1, \"release_id\":", "it is not a JSON object");
  expect_manifest("{\"format_version\": 2}",
                  "manifest format version 2; this build reads version 1");
  expect_manifest("{\"format_version\": 1, \"release_id\": \"r000001\"}", "not its folder's");
  expect_manifest("{\"format_version\": 1, \"release_id\": \"r000002\"}",
                  "'created_utc' is missing or not a string");
  fs::remove(manifest);
  ExpectUserError([&] { Store::Open(store); }, ErrorCode::kBadStore,
                  "cannot read the release manifest");

  // A damaged old release is listed with its problem and can still be pruned.
  test::WriteBytes(manifest, good);
  test::WriteText(store / "releases" / "r000001" / "MANIFEST.json", "[]");
  const std::vector<ReleaseInfo> releases = Store::Open(store).ListReleases();
  ASSERT_EQ(releases.size(), 2u);
  EXPECT_NE(releases[0].problem.find("not a JSON object"), std::string::npos);
  EXPECT_TRUE(releases[1].problem.empty());
  EXPECT_EQ(Store::Open(store).Prune(1), (std::vector<std::string>{"r000001"}));
}

TEST(ReleaseTest, VerifyFindsDamagedMissingAndExtraFiles) {
  const TempFolder store_dir("verify");
  PublishSample(store_dir.path(), 1, 3000, 3);
  const Store store = Store::Open(store_dir.path());
  const VerifyResult intact = store.VerifyRelease("r000001");
  EXPECT_TRUE(intact.ok());
  EXPECT_EQ(intact.files_checked, 3u);
  EXPECT_EQ(intact.release_id, "r000001");

  const fs::path folder = store_dir / "releases" / "r000001";
  std::vector<std::byte> bytes = test::ReadBytes(folder / "shard-000" / "benefits.tbl");
  bytes[1000] ^= std::byte{4};
  test::WriteBytes(folder / "shard-000" / "benefits.tbl", bytes);
  bytes.resize(bytes.size() - 10);
  test::WriteBytes(folder / "shard-001" / "benefits.tbl", bytes);
  fs::remove(folder / "shard-002" / "benefits.tbl");
  test::WriteText(folder / "shard-002" / "stray.tbl", "x");

  ExpectUserError([&] { store.OpenRelease("latest").OpenTable("shard-001/benefits.tbl"); },
                  ErrorCode::kBadStore, "shard-001/benefits.tbl");
  const VerifyResult damaged = store.VerifyRelease("latest");
  ASSERT_EQ(damaged.problems.size(), 4u);
  EXPECT_NE(damaged.problems[0].find("shard-000/benefits.tbl has xxh3"), std::string::npos);
  EXPECT_NE(damaged.problems[1].find("shard-001/benefits.tbl has"), std::string::npos);
  EXPECT_NE(damaged.problems[2].find("shard-002/benefits.tbl is missing"), std::string::npos);
  EXPECT_NE(damaged.problems[3].find("stray.tbl is not listed"), std::string::npos);
}

}  // namespace
}  // namespace jobindsigt::store
