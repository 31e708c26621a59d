#pragma once
// Asking for a cache line ahead of use, for loops bound by cache misses on independent
// addresses (rows of a month far apart in person-sorted columns, slots of a large hash
// table): their misses then overlap instead of following one another.

namespace jobindsigt {

// Written as the instruction on x86-64: GCC 12 dropped __builtin_prefetch of such addresses
// from the engine's row loop (seen in the disassembly, docs/decisions/0004).
inline void Prefetch(const void* address) {
#if defined(__x86_64__)
  asm volatile("prefetcht0 %0" : : "m"(*static_cast<const char*>(address)));
#else
  __builtin_prefetch(address);
#endif
}

}  // namespace jobindsigt
