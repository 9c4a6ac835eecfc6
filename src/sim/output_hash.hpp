// 32-bit FNV-1a over the bytes of floats (Fowler, Noll, Vo): equal outputs
// hash equal, and a flipped bit changes the hash. Runs split across workers
// compare their merged outputs with the one-worker run's through these.
#pragma once
#include <cstddef>
#include <cstdint>

namespace llmst::sim {

inline constexpr std::uint32_t kFnvOffset = 2166136261u;

// The hash continued over `size` more bytes: hashing a and then b is hashing a then b.
inline std::uint32_t fnv1a_bytes(std::uint32_t hash, const void* data, std::size_t size) {
  const auto* bytes = static_cast<const unsigned char*>(data);
  for (std::size_t i = 0; i < size; ++i) hash = (hash ^ bytes[i]) * 16777619u;
  return hash;
}

// The hash continued over `count` more floats.
inline std::uint32_t fnv1a_update(std::uint32_t hash, const float* values, std::size_t count) {
  return fnv1a_bytes(hash, values, count * sizeof(float));
}

inline double fnv1a_hash(const float* values, std::size_t count) {
  return double(fnv1a_update(kFnvOffset, values, count));
}

}  // namespace llmst::sim
