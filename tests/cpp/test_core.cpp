#include <doctest/doctest.h>

#include <cmath>
#include <limits>

#include "core/dtype.hpp"
#include "core/validate.hpp"

using namespace llmst;

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
