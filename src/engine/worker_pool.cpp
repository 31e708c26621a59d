#include "engine/worker_pool.h"

#include <memory>

namespace jobindsigt::engine {

WorkerPool::WorkerPool(size_t threads) {
  for (size_t index = 0; index < threads; ++index) threads_.emplace_back([this] { Serve(); });
}

WorkerPool::~WorkerPool() {
  {
    const std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  ready_.notify_all();
  threads_.clear();  // joins
}

void WorkerPool::Serve() {
  for (;;) {
    std::function<void()> job;
    {
      std::unique_lock lock(mutex_);
      ready_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) return;  // stopping, nothing left
      job = std::move(queue_.front());
      queue_.pop_front();
    }
    job();
  }
}

void WorkerPool::Run(size_t helpers, const std::function<void(size_t)>& work) {
  // What the helpers share with this call; a helper that starts late holds it after the call
  // has returned and then only sees that it is closed.
  struct Shared {
    std::mutex mutex;
    std::condition_variable done;
    bool open = true;
    size_t running = 0;
    const std::function<void(size_t)>* work = nullptr;
  };
  auto shared = std::make_shared<Shared>();
  shared->work = &work;
  {
    const std::lock_guard lock(mutex_);
    for (size_t helper = 1; helper <= helpers; ++helper) {
      queue_.emplace_back([shared, helper] {
        {
          const std::lock_guard joined(shared->mutex);
          if (!shared->open) return;
          ++shared->running;
        }
        (*shared->work)(helper);
        const std::lock_guard finished(shared->mutex);
        --shared->running;
        shared->done.notify_all();
      });
    }
  }
  ready_.notify_all();
  work(0);
  std::unique_lock lock(shared->mutex);
  shared->open = false;
  shared->done.wait(lock, [&] { return shared->running == 0; });
}

}  // namespace jobindsigt::engine
