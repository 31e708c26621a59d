#include "common/progress.h"

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>

namespace jobindsigt {

Progress::Progress(std::string label, uint64_t total, std::FILE* stream)
    : label_(std::move(label)),
      total_(std::max<uint64_t>(total, 1)),
      stream_(stream),
      is_terminal_(isatty(fileno(stream)) != 0),
      start_(std::chrono::steady_clock::now()),
      last_draw_(start_) {}

void Progress::Update(uint64_t done) {
  if (finished_) return;
  Draw(std::min(done, total_));
}

void Progress::Finish() {
  if (finished_) return;
  Draw(total_);
  finished_ = true;
  if (is_terminal_) fmt::print(stream_, "\n");
  std::fflush(stream_);
}

void Progress::Draw(uint64_t done) {
  const auto now = std::chrono::steady_clock::now();
  const double seconds = std::chrono::duration<double>(now - start_).count();
  const double fraction = static_cast<double>(done) / static_cast<double>(total_);
  if (is_terminal_) {
    if (done != total_ && now - last_draw_ < std::chrono::milliseconds(100)) return;
    last_draw_ = now;
    constexpr int kWidth = 40;
    const int filled = static_cast<int>(fraction * kWidth);
    fmt::print(stream_, "\r{} [{}{}] {:5.1f}% {:6.1f}s", label_, std::string(filled, '#'),
               std::string(kWidth - filled, '.'), fraction * 100.0, seconds);
  } else {
    const int step = static_cast<int>(fraction * 20.0);
    if (step == last_step_) return;
    last_step_ = step;
    fmt::print(stream_, "{}: {:3d}% ({}/{}) after {:.1f}s\n", label_, step * 5, done, total_,
               seconds);
  }
  std::fflush(stream_);
}

}  // namespace jobindsigt
