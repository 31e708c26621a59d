#pragma once
// Deterministic pseudo-random numbers. Every stream is derived from (seed, purpose, index)
// so that results never depend on thread scheduling or on the order work is handed out.

#include <cmath>
#include <cstdint>

namespace jobindsigt {

// SplitMix64 finaliser: a bijection on 64-bit words with good avalanche.
constexpr uint64_t Mix64(uint64_t value) {
  value += 0x9e3779b97f4a7c15ULL;
  value = (value ^ (value >> 30)) * 0xbf58476d1ce4e5b9ULL;
  value = (value ^ (value >> 27)) * 0x94d049bb133111ebULL;
  return value ^ (value >> 31);
}

constexpr uint64_t StreamKey(uint64_t seed, uint64_t purpose, uint64_t index) {
  return Mix64(Mix64(seed ^ Mix64(purpose)) ^ index);
}

// A bijection on [0, 2^bits): xor-shifts and odd multiplications are each invertible
// modulo 2^bits, so distinct inputs give distinct outputs (ids that look random but never
// collide).
constexpr uint64_t PermuteBits(uint64_t value, uint64_t key, int bits) {
  const uint64_t mask = (bits == 64) ? ~0ULL : ((1ULL << bits) - 1);
  const int shift = bits / 2;
  value = (value ^ (key & mask)) & mask;
  value = (value * 0x9e3779b97f4a7c15ULL) & mask;
  value ^= value >> shift;
  value = (value * 0xbf58476d1ce4e5b9ULL) & mask;
  value ^= value >> (shift + 1);
  value = (value * 0x94d049bb133111ebULL) & mask;
  value ^= value >> shift;
  return value;
}

// xoshiro256** by Blackman and Vigna: fast, small state, good statistical quality.
class Random {
 public:
  explicit Random(uint64_t key) {
    for (auto& word : state_) {
      key = Mix64(key);
      word = key;
    }
  }

  uint64_t Next() {
    const uint64_t result = RotateLeft(state_[1] * 5, 7) * 9;
    const uint64_t carry = state_[1] << 17;
    state_[2] ^= state_[0];
    state_[3] ^= state_[1];
    state_[1] ^= state_[2];
    state_[0] ^= state_[3];
    state_[2] ^= carry;
    state_[3] = RotateLeft(state_[3], 45);
    return result;
  }

  // Uniform in [0, 1).
  double Uniform() { return static_cast<double>(Next() >> 11) * 0x1.0p-53; }
  bool Chance(double probability) { return Uniform() < probability; }
  // Uniform integer in [low, high]; low when the range is empty.
  int64_t Between(int64_t low, int64_t high) {
    if (high <= low) return low;
    const uint64_t span = static_cast<uint64_t>(high - low) + 1;
    return low + static_cast<int64_t>(Next() % span);
  }
  double Normal() {
    const double u1 = 1.0 - Uniform();
    const double u2 = Uniform();
    return std::sqrt(-2.0 * std::log(u1)) * std::cos(6.283185307179586 * u2);
  }
  // Log-normal with the given median and log-scale spread.
  double LogNormal(double median, double sigma) { return median * std::exp(sigma * Normal()); }
  double Exponential(double mean) { return -mean * std::log(1.0 - Uniform()); }

 private:
  static uint64_t RotateLeft(uint64_t value, int bits) {
    return (value << bits) | (value >> (64 - bits));
  }
  uint64_t state_[4];
};

}  // namespace jobindsigt
