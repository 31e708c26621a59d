#pragma once
// Progress for long commands: a bar redrawn in place on a terminal, plain lines otherwise
// (logs and CI), at most one line per 5 % of the work.

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <string>

namespace jobindsigt {

class Progress {
 public:
  Progress(std::string label, uint64_t total, std::FILE* stream = stderr);
  void Update(uint64_t done);
  void Finish();

 private:
  void Draw(uint64_t done);

  std::string label_;
  uint64_t total_;
  std::FILE* stream_;
  bool is_terminal_;
  int last_step_ = -1;
  bool finished_ = false;
  std::chrono::steady_clock::time_point start_;
  std::chrono::steady_clock::time_point last_draw_;
};

}  // namespace jobindsigt
