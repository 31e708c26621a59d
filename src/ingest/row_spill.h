#pragma once
// Validated rows of one source, set aside on disk per person shard while the deliveries are
// read, so that resolution and table writing can then take one shard at a time: the ingest's
// memory is bounded by a shard, not by the data set.
//
// Rows are appended in delivery order and come back in that order. Each row is stored as
// variable-length integers (decimals as their 8 bytes), in zstd-compressed frames of about
// half a megabyte per shard file. The files are temporary: the folder is the caller's.

#include <filesystem>
#include <mutex>
#include <vector>

#include "ingest/release_tables.h"

namespace jobindsigt::ingest {

class RowSpill {
 public:
  // Rows of a source with persons go to `plan.shard_count` files, others to one.
  RowSpill(const SourceSpec* spec, std::filesystem::path folder, const ShardPlan& plan);

  int shard_count() const { return static_cast<int>(buffers_.size()); }
  // Appends every row of `rows` to the file of its person's shard.
  void Append(const SourceRows& rows);
  // Writes what is still buffered. Call once after the last Append.
  void Finish();
  // The rows of one shard in the order appended, with `texts` as their text dictionary.
  // Safe to call from several threads for different shards after Finish.
  SourceRows Read(int shard) const;
  // How many rows went to `shard`.
  int64_t Rows(int shard) const { return rows_[shard]; }

 private:
  void Flush(int shard);
  std::filesystem::path FileOf(int shard) const;

  const SourceSpec* spec_;
  std::filesystem::path folder_;
  ShardPlan plan_;
  std::vector<std::vector<uint8_t>> buffers_;
  std::vector<uint32_t> buffered_rows_;
  std::vector<int64_t> rows_;
};

}  // namespace jobindsigt::ingest
