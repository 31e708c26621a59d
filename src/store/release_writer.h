#pragma once
// Writes a new release of a store and publishes it atomically:
//
//   ReleaseWriter release(store_dir);           // locks the store, picks the next id
//   table.Write(release.Path("shard-000/benefits.tbl"));
//   release.Publish(summary, cut_off_day, source_months);
//
// Files go into STORE/releases/<id>.partial/. Publish records every file in MANIFEST.json,
// fsyncs files and folders, renames the folder to STORE/releases/<id>/ and then switches
// STORE/CURRENT to it. A crash at any point leaves CURRENT on a complete release, the old
// or the new; the next writer removes the leftovers. The steps and why they are safe are in
// docs/internals/storage.md, "Publishing".

#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "common/date.h"
#include "store/file_io.h"
#include "store/manifest.h"
#include "store/store.h"

namespace jobindsigt::store {

class ReleaseWriter {
 public:
  // Creates the store folder if needed, takes its lock (kStoreBusy when another process
  // holds it), removes leftovers of interrupted writers and prunes, and picks the id after
  // the highest release in the store. Throws kBadStore when CURRENT or the current
  // release's manifest is damaged: a new release should not be built on it.
  explicit ReleaseWriter(std::filesystem::path store_dir);
  // An unpublished release is removed; the lock is released.
  ~ReleaseWriter();
  ReleaseWriter(const ReleaseWriter&) = delete;
  ReleaseWriter& operator=(const ReleaseWriter&) = delete;

  const std::string& release_id() const { return id_; }

  // The store's current release, read under the lock, so it cannot change while this
  // writer lives; nullopt for a store without releases. The ingest builds on it.
  const std::optional<Release>& current_release() const { return current_release_; }

  // Where to write the release's file `relative` ("shard-000/benefits.tbl"); creates its
  // folders. Throws std::logic_error for a path outside the release or after Publish.
  std::filesystem::path Path(std::string_view relative) const;

  // Publishes the files written so far. `summary` must be a JSON object; it is stored as
  // given. Returns the manifest written. Throws UserError(kIoFailure) when the disk fails;
  // the store then stays on its previous release.
  Manifest Publish(const nlohmann::json& summary, DayNumber cut_off_day,
                   std::vector<MonthIndex> source_months);

 private:
  std::vector<ManifestFile> RecordFiles() const;
  void SwitchCurrent() const;

  std::filesystem::path store_dir_;
  StoreLock lock_;
  std::optional<Release> current_release_;
  std::string id_;
  std::filesystem::path partial_dir_;
  bool published_ = false;
};

}  // namespace jobindsigt::store
