#include "server/server_state.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>

namespace jobindsigt::server {
namespace {

constexpr std::array<double, 11> kBucketBounds = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
                                                  0.1,   0.25,   0.5,   1.0,  2.5};
constexpr size_t kMaxClients = 100'000;  // rate-limit state kept; the oldest are dropped

}  // namespace

std::optional<ResponseCache::Entry> ResponseCache::Find(const std::string& key) {
  const std::lock_guard lock(mutex_);
  const auto found = by_key_.find(key);
  if (found == by_key_.end()) return std::nullopt;
  order_.splice(order_.begin(), order_, found->second);
  return found->second->second;
}

void ResponseCache::Store(const std::string& key, Entry entry) {
  const size_t size = entry.body.size() + key.size();
  if (size > capacity_ / 4) return;  // one answer may not push out most of the others
  const std::lock_guard lock(mutex_);
  if (by_key_.contains(key)) return;
  order_.emplace_front(key, std::move(entry));
  by_key_[key] = order_.begin();
  used_ += size;
  while (used_ > capacity_ && !order_.empty()) {
    auto& oldest = order_.back();
    used_ -= oldest.second.body.size() + oldest.first.size();
    by_key_.erase(oldest.first);
    order_.pop_back();
  }
}

AnswersInFlight::Claim AnswersInFlight::Join(const std::string& key) {
  const std::lock_guard lock(mutex_);
  auto [found, added] = flights_.try_emplace(key);
  if (added) found->second = std::make_shared<Flight>();
  return Claim(*this, key, found->second, added);
}

std::optional<ResponseCache::Entry> AnswersInFlight::Claim::Wait() {
  std::unique_lock lock(flight_->mutex);
  flight_->done_signal.wait(lock, [&] { return flight_->done; });
  return flight_->entry;
}

void AnswersInFlight::Claim::Publish(const ResponseCache::Entry& entry) {
  Finish(entry);
}

void AnswersInFlight::Claim::Finish(std::optional<ResponseCache::Entry> entry) {
  if (!leader_ || finished_) return;
  finished_ = true;
  {
    const std::lock_guard lock(owner_.mutex_);
    owner_.flights_.erase(key_);  // a request from now on finds the cache, or leads anew
  }
  const std::lock_guard lock(flight_->mutex);
  flight_->entry = std::move(entry);
  flight_->done = true;
  flight_->done_signal.notify_all();
}

AnswersInFlight::Claim::~Claim() {
  Finish(std::nullopt);
}

bool RateLimiter::Allow(const std::string& client, int& retry_after_seconds) {
  if (per_minute_ <= 0) return true;
  const auto now = std::chrono::steady_clock::now();
  const std::lock_guard lock(mutex_);
  if (buckets_.size() > kMaxClients) buckets_.clear();
  auto [entry, added] = buckets_.try_emplace(client, Bucket{static_cast<double>(per_minute_), now});
  Bucket& bucket = entry->second;
  const double elapsed = std::chrono::duration<double>(now - bucket.refilled).count();
  bucket.tokens = std::min<double>(per_minute_, bucket.tokens + elapsed * per_minute_ / 60.0);
  bucket.refilled = now;
  if (bucket.tokens >= 1.0) {
    bucket.tokens -= 1.0;
    return true;
  }
  retry_after_seconds =
      std::max(1, static_cast<int>((1.0 - bucket.tokens) * 60.0 / per_minute_) + 1);
  return false;
}

// First come, first served: a request that finds a free slot while others wait queues behind
// them, and the waiters are served in ticket order. Without that, fresh arrivals barge past
// the queue and a few requests wait for seconds (seen as the p99 of bench/load_bench.sh).
bool QuerySlots::Acquire() {
  std::unique_lock lock(mutex_);
  if (free_ > 0 && waiting_.empty()) {
    --free_;
    return true;
  }
  if (waiting_.size() >= queue_limit_) return false;
  Waiter waiter;
  waiting_.push_back(&waiter);
  waiter.granted_signal.wait(lock, [&] { return waiter.granted; });
  return true;  // the releasing request handed its slot over: free_ was not raised
}

void QuerySlots::Release() {
  const std::lock_guard lock(mutex_);
  if (waiting_.empty()) {
    ++free_;
    return;
  }
  Waiter* first = waiting_.front();
  waiting_.pop_front();
  first->granted = true;
  first->granted_signal.notify_one();  // under the lock: the waiter cannot leave before
}

void Metrics::CountRequest(const std::string& route, int status, double seconds) {
  const std::lock_guard lock(mutex_);
  ++requests_[{route, status}];
  auto& buckets = duration_buckets_[route];
  for (size_t index = 0; index < kBucketBounds.size(); ++index) {
    if (seconds <= kBucketBounds[index]) ++buckets[index];
  }
  ++buckets[kBucketBounds.size()];  // +Inf
  duration_sum_[route] += seconds;
}

void Metrics::CountCache(bool hit) {
  const std::lock_guard lock(mutex_);
  ++(hit ? cache_hits_ : cache_misses_);
}

void Metrics::CountRejected(const std::string& why) {
  const std::lock_guard lock(mutex_);
  ++rejected_[why];
}

std::string Metrics::Exposition(const std::string& release_id, int64_t cache_bytes) const {
  const std::lock_guard lock(mutex_);
  std::string out;
  out += "# HELP jobindsigt_http_requests_total HTTP requests by route and status.\n";
  out += "# TYPE jobindsigt_http_requests_total counter\n";
  for (const auto& [key, count] : requests_) {
    out += fmt::format("jobindsigt_http_requests_total{{route=\"{}\",status=\"{}\"}} {}\n",
                       key.first, key.second, count);
  }
  out += "# HELP jobindsigt_http_request_duration_seconds Time to answer, by route.\n";
  out += "# TYPE jobindsigt_http_request_duration_seconds histogram\n";
  for (const auto& [route, buckets] : duration_buckets_) {
    for (size_t index = 0; index < kBucketBounds.size(); ++index) {
      out += fmt::format(
          "jobindsigt_http_request_duration_seconds_bucket{{route=\"{}\",le=\"{}\"}} {}\n", route,
          kBucketBounds[index], buckets[index]);
    }
    out += fmt::format(
        "jobindsigt_http_request_duration_seconds_bucket{{route=\"{}\",le=\"+Inf\"}} {}\n", route,
        buckets[kBucketBounds.size()]);
    out += fmt::format("jobindsigt_http_request_duration_seconds_sum{{route=\"{}\"}} {}\n", route,
                       duration_sum_.at(route));
    out += fmt::format("jobindsigt_http_request_duration_seconds_count{{route=\"{}\"}} {}\n", route,
                       buckets[kBucketBounds.size()]);
  }
  out += "# HELP jobindsigt_cache_requests_total Data answers from the cache or computed.\n";
  out += "# TYPE jobindsigt_cache_requests_total counter\n";
  out += fmt::format("jobindsigt_cache_requests_total{{result=\"hit\"}} {}\n", cache_hits_);
  out += fmt::format("jobindsigt_cache_requests_total{{result=\"miss\"}} {}\n", cache_misses_);
  out += "# HELP jobindsigt_rejected_total Requests turned away by a limit.\n";
  out += "# TYPE jobindsigt_rejected_total counter\n";
  for (const auto& [why, count] : rejected_)
    out += fmt::format("jobindsigt_rejected_total{{limit=\"{}\"}} {}\n", why, count);
  out += "# HELP jobindsigt_cache_bytes Bytes held by the answer cache limit.\n";
  out += "# TYPE jobindsigt_cache_bytes gauge\n";
  out += fmt::format("jobindsigt_cache_bytes {}\n", cache_bytes);
  out += "# HELP jobindsigt_release_info The release `latest` answers from.\n";
  out += "# TYPE jobindsigt_release_info gauge\n";
  out += fmt::format("jobindsigt_release_info{{release=\"{}\"}} 1\n", release_id);
  return out;
}

}  // namespace jobindsigt::server
