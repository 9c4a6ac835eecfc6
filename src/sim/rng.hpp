// A small seeded generator for reproducible simulations: PCG32 (O'Neill 2014,
// pcg-random.org, pcg32_srandom_r / pcg32_random_r of pcg-c-basic), with
// uniform doubles of 53 bits and normals by Box–Muller.
#pragma once
#include <cmath>
#include <cstdint>

namespace llmst {

class Pcg32 {
 public:
  explicit Pcg32(uint64_t seed, uint64_t stream = 54) : inc_((stream << 1) | 1) {
    next_u32();
    state_ += seed;
    next_u32();
  }

  uint32_t next_u32() {
    const uint64_t old = state_;
    state_ = old * 6364136223846793005ULL + inc_;
    const auto xorshifted = static_cast<uint32_t>(((old >> 18) ^ old) >> 27);
    const auto rotation = static_cast<uint32_t>(old >> 59);
    return (xorshifted >> rotation) | (xorshifted << ((-rotation) & 31));
  }

  // Uniform in [0, 1) from 53 random bits.
  double uniform() {
    const uint64_t high = next_u32() >> 5, low = next_u32() >> 6;  // 27 + 26 bits
    return (static_cast<double>(high) * 67108864.0 + static_cast<double>(low)) / 9007199254740992.0;
  }

  // Standard normal (Box–Muller; the second value is discarded to keep state simple).
  double normal() {
    const double u1 = 1.0 - uniform();  // (0, 1]: log stays finite
    const double u2 = uniform();
    return std::sqrt(-2.0 * std::log(u1)) * std::cos(6.283185307179586 * u2);
  }

 private:
  uint64_t state_ = 0;
  uint64_t inc_;
};

}  // namespace llmst
