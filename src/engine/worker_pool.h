#pragma once
// Threads kept for the life of an engine to help evaluate queries. A query used to start its
// helper threads and end them when it was done, so each helper's thread-local scratch (the
// rows gathered, the leaves, the person stamps) began empty and grew again in every query.
// Kept threads keep their scratch and are not started per query. At `full` the wall time of
// the benchmark mix did not measurably change (within this machine's noise between
// processes); an earlier reading of a profile that credited them with less unmapping of memory
// was wrong: that unmapping was the release being freed when the benchmark exits.

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace jobindsigt::engine {

class WorkerPool {
 public:
  explicit WorkerPool(size_t threads);
  ~WorkerPool();
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

  size_t size() const { return threads_.size(); }

  // Runs work(0) on the calling thread and work(1) … work(helpers) on kept threads, and
  // returns when every call that started has returned. A helper that has not started when
  // the calling thread's own call returns does not start any more (the work is shared
  // through a counter, so the callers left nothing for it); nothing waits on a busy pool.
  // `work` must not throw.
  void Run(size_t helpers, const std::function<void(size_t)>& work);

 private:
  void Serve();

  std::mutex mutex_;
  std::condition_variable ready_;
  std::deque<std::function<void()>> queue_;
  bool stopping_ = false;
  std::vector<std::jthread> threads_;
};

}  // namespace jobindsigt::engine
