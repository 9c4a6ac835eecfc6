// std::vector whose buffer starts on a 64-byte boundary (one cache line), for
// benchmark buffers that native and WASM builds must see laid out alike.
// Emscripten 3.1.6's malloc (dlmalloc) aligns to 8 bytes (max_align_t is 8 on
// wasm32), glibc's to 16: the 4096² GEMV weights started 8 bytes past a 16-byte
// boundary in WASM, so one 16-byte load in four straddled two cache lines
// there and none did natively (README, "Native SSE4.1 baseline").
#pragma once
#include <cstddef>
#include <new>
#include <vector>

namespace llmst {

inline constexpr std::size_t kCacheLineBytes = 64;

template <class T>
struct CacheLineAllocator {
  using value_type = T;
  CacheLineAllocator() = default;
  template <class U>
  CacheLineAllocator(const CacheLineAllocator<U>&) {}
  T* allocate(std::size_t n) {
    return static_cast<T*>(::operator new(n * sizeof(T), std::align_val_t(kCacheLineBytes)));
  }
  void deallocate(T* p, std::size_t) { ::operator delete(p, std::align_val_t(kCacheLineBytes)); }
  template <class U>
  bool operator==(const CacheLineAllocator<U>&) const {
    return true;
  }
};

template <class T>
using AlignedVector = std::vector<T, CacheLineAllocator<T>>;

}  // namespace llmst
