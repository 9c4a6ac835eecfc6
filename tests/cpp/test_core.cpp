#include <doctest/doctest.h>

#include <cmath>
#include <cstdint>
#include <limits>

#include "core/aligned_vector.hpp"
#include "core/dtype.hpp"
#include "core/validate.hpp"
#include "memory/kv_cache.hpp"
#include "quant/formats.hpp"
#include "roofline/roofline.hpp"
#include "sim/paging_sim.hpp"

using namespace llmst;

TEST_CASE("AlignedVector starts on a cache line whatever malloc's alignment (8 bytes in WASM)") {
  for (size_t n : {1, 3, 1000, 1 << 20}) {
    AlignedVector<float> floats(n, 1.5f);
    AlignedVector<int8_t> bytes(n + 1);
    CHECK(reinterpret_cast<uintptr_t>(floats.data()) % kCacheLineBytes == 0);
    CHECK(reinterpret_cast<uintptr_t>(bytes.data()) % kCacheLineBytes == 0);
    CHECK(floats[n - 1] == 1.5f);
  }
}

TEST_CASE("check_integer names the field and the value") {
  CHECK(check_integer("layers", 32, 1).ok);
  Status negative = check_integer("layers", -3, 1);
  CHECK_FALSE(negative.ok);
  CHECK(negative.field == "layers");
  CHECK(negative.message == "layers = -3 must be at least 1");
  CHECK(check_integer("heads", std::nan(""), 1).message == "heads = NaN is not a finite number");
  CHECK(check_integer("heads", 2.5, 1).message == "heads = 2.5 must be a whole number");
  CHECK(check_integer("vocab", 1e18, 1).message == "vocab = 1e+18 is too large (limit 1000000000000)");
  CHECK_FALSE(check_integer("vocab", std::numeric_limits<double>::infinity(), 1).ok);
}

TEST_CASE("quoted keeps a user's string short: 40 bytes, a whole character, no control bytes") {
  CHECK(quoted("fp16") == "\"fp16\"");
  CHECK(quoted(std::string(5000, 'a')) == "\"" + std::string(40, 'a') + "…\"");
  CHECK(quoted("a\nb\x7f") == "\"a?b?\"");
  // 39 ASCII bytes then a 4-byte emoji: the cut backs off to the emoji's start.
  CHECK(quoted(std::string(39, 'x') + "😀😀") == "\"" + std::string(39, 'x') + "…\"");
}

// Found by the fuzz driver (tests/fuzz): a 5,000-character dtype came back
// whole inside the message.
TEST_CASE("refusals of a string field never echo it unbounded") {
  const std::string huge(5000, 'z');
  KvCacheInput kv = kv_cache_defaults();
  kv.kv_dtype = huge;
  const KvCacheResult kv_result = kv_cache(kv);
  CHECK(kv_result.status.field == "kv_dtype");
  CHECK(kv_result.status.message.size() < 120);
  QuantSpec spec;
  spec.layout = huge;
  CHECK(bits_per_weight(spec).status.message.size() < 120);
  Workload workload;
  workload.hardware = *find_hardware("h100-sxm");
  workload.compute_dtype = huge;
  const RooflineResult roofline_result = roofline(workload);
  CHECK(roofline_result.status.field == "compute_dtype");
  CHECK(roofline_result.status.message.size() < 120);
  PagingSimInput paging = paging_sim_defaults();
  paging.distribution = huge;
  CHECK(simulate_paging(paging).status.message.size() < 120);
}

TEST_CASE("first_error returns the first failure in order") {
  Status status = first_error(ok_status(), error_status("a", "first"), error_status("b", "second"));
  CHECK(status.field == "a");
  CHECK(first_error(ok_status(), ok_status()).ok);
}

TEST_CASE("plain dtypes carry their storage bits") {
  CHECK(find_plain_dtype("fp32")->bits == 32);
  CHECK(find_plain_dtype("bf16")->bits == 16);
  CHECK(find_plain_dtype("int4")->bits == 4);
  CHECK(find_plain_dtype("fp64") == nullptr);
}
