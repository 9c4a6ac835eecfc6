// The one seeded generator of the core (synthetic tensors, attention inputs,
// request streams): the same seed gives the same numbers natively, in WASM
// and in every browser. splitmix64 (Steele, Lea & Flood 2014) for the stream;
// Box–Muller for normals, both values of a pair used (cos first, then sin).
// splitmix64's state moves by a constant per draw, so a stream can jump ahead
// in O(1): normals_from(seed, i) gives the i-th normal of Random(seed) onwards,
// which is how a slice of a run (some heads, some rows) draws exactly the
// numbers the whole run would have given it.
#pragma once
#include <cmath>
#include <cstdint>

namespace llmst::sim {

class Random {
 public:
  explicit Random(std::uint64_t seed) : state_(seed) {}

  std::uint64_t next_u64() {
    std::uint64_t z = (state_ += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }

  // Moves the stream `draws` 64-bit draws ahead, dropping a held normal.
  void skip(std::uint64_t draws) {
    state_ += draws * 0x9E3779B97F4A7C15ull;  // wraps mod 2^64, as the draws do
    has_spare_ = false;
  }

  // Uniform in (0, 1): 53 random bits, never exactly 0.
  double uniform() { return (double(next_u64() >> 11) + 0.5) * 0x1.0p-53; }

  double normal() {
    if (has_spare_) {
      has_spare_ = false;
      return spare_;
    }
    const double radius = std::sqrt(-2.0 * std::log(uniform()));
    const double angle = 6.283185307179586 * uniform();
    spare_ = radius * std::sin(angle);
    has_spare_ = true;
    return radius * std::cos(angle);
  }

 private:
  std::uint64_t state_;
  double spare_ = 0;
  bool has_spare_ = false;
};

// Random(seed) positioned before its index-th normal() (0-based): each pair of
// normals takes two draws, and an odd index starts at the pair's second value.
inline Random normals_from(std::uint64_t seed, std::uint64_t index) {
  Random random(seed);
  random.skip(2 * (index / 2));
  if (index % 2 == 1) random.normal();  // the cos value of the pair; the sin value is next
  return random;
}

}  // namespace llmst::sim
