#pragma once
#include <atomic>

namespace jobindsigt::cli {

// Set by SIGINT or SIGTERM; long-running commands poll it and stop cleanly.
inline std::atomic<bool>& StopFlag() {
  static std::atomic<bool> flag{false};
  return flag;
}

}  // namespace jobindsigt::cli
