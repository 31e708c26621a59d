#pragma once
// The server's shared state besides the engine: the answer cache, rate limits, the slots for
// engine queries and the counters /metrics shows. Each part is thread-safe.

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <list>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

namespace jobindsigt::server {

// Answers by key (release, request, format): bytes and content type, least recently used out.
class ResponseCache {
 public:
  explicit ResponseCache(size_t capacity_bytes) : capacity_(capacity_bytes) {}
  struct Entry {
    std::string body;
    std::string content_type;
    std::string etag;
    std::string disposition;  // Content-Disposition of a file format, or empty
  };
  std::optional<Entry> Find(const std::string& key);
  void Store(const std::string& key, Entry entry);

 private:
  std::mutex mutex_;
  size_t capacity_;
  size_t used_ = 0;
  std::list<std::pair<std::string, Entry>> order_;  // most recent first
  std::unordered_map<std::string, decltype(order_)::iterator> by_key_;
};

// Answers being computed. The first request for a key computes the answer; the same request
// arriving meanwhile waits for it instead of running the engine again, so a burst of one
// popular table that is not cached yet (after a new release or a restart) costs one engine
// run, not one per connection.
class AnswersInFlight {
  struct Flight {
    std::mutex mutex;
    std::condition_variable done_signal;
    bool done = false;
    std::optional<ResponseCache::Entry> entry;
  };

 public:
  // A request's part in computing one answer: the leader computes it and publishes it; the
  // others wait for it.
  class Claim {
   public:
    Claim(AnswersInFlight& owner, std::string key, std::shared_ptr<Flight> flight, bool leader)
        : owner_(owner), key_(std::move(key)), flight_(std::move(flight)), leader_(leader) {}
    Claim(Claim&& other) noexcept
        : owner_(other.owner_),
          key_(std::move(other.key_)),
          flight_(std::move(other.flight_)),
          leader_(other.leader_),
          finished_(other.finished_) {
      other.finished_ = true;  // the moved-from claim releases nobody
    }
    Claim(const Claim&) = delete;
    Claim& operator=(const Claim&) = delete;
    Claim& operator=(Claim&&) = delete;
    ~Claim();
    bool leader() const { return leader_; }
    // Follower: the leader's answer, or nothing when the leader failed (an error answer is not
    // shared: the follower then computes, and reports, its own).
    std::optional<ResponseCache::Entry> Wait();
    // Leader: hands the answer to the requests waiting for it.
    void Publish(const ResponseCache::Entry& entry);

   private:
    void Finish(std::optional<ResponseCache::Entry> entry);
    AnswersInFlight& owner_;
    std::string key_;
    std::shared_ptr<Flight> flight_;
    bool leader_;
    bool finished_ = false;
  };

  Claim Join(const std::string& key);

 private:
  std::mutex mutex_;
  std::unordered_map<std::string, std::shared_ptr<Flight>> flights_;
};

// Token bucket per client address: `per_minute` requests a minute, bursts up to that many.
class RateLimiter {
 public:
  explicit RateLimiter(int per_minute) : per_minute_(per_minute) {}
  // Whether the client may make a request now; when not, the seconds to wait.
  bool Allow(const std::string& client, int& retry_after_seconds);

 private:
  struct Bucket {
    double tokens = 0;
    std::chrono::steady_clock::time_point refilled;
  };
  std::mutex mutex_;
  int per_minute_;
  std::unordered_map<std::string, Bucket> buckets_;
};

// At most `slots` engine queries run at once (each uses every core); up to `queue` wait.
class QuerySlots {
 public:
  QuerySlots(int slots, int queue) : free_(slots), queue_limit_(queue) {}
  // False when the queue is full: the caller answers 503.
  bool Acquire();
  void Release();

 private:
  // A request waiting for a slot. A freed slot is handed to the first waiter directly and only
  // that waiter is woken (waking every waiter to find the next in line cost more CPU in
  // context switches than the queries themselves under load).
  struct Waiter {
    std::condition_variable granted_signal;
    bool granted = false;
  };
  std::mutex mutex_;
  int free_;
  size_t queue_limit_;
  std::deque<Waiter*> waiting_;  // first come, first served
};

class Metrics {
 public:
  void CountRequest(const std::string& route, int status, double seconds);
  void CountCache(bool hit);
  void CountRejected(const std::string& why);
  // Prometheus text exposition format 0.0.4.
  std::string Exposition(const std::string& release_id, int64_t cache_bytes) const;

 private:
  mutable std::mutex mutex_;
  std::map<std::pair<std::string, int>, int64_t> requests_;
  std::map<std::string, std::array<int64_t, 12>> duration_buckets_;  // by route
  std::map<std::string, double> duration_sum_;
  int64_t cache_hits_ = 0;
  int64_t cache_misses_ = 0;
  std::map<std::string, int64_t> rejected_;
};

}  // namespace jobindsigt::server
