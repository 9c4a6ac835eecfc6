// The build has no exceptions, so doctest's REQUIRE is unavailable in the WASM
// run of this suite: check, then leave the test case.
#pragma once
#include <doctest/doctest.h>

#define CHECK_OR_RETURN(...)    \
  do {                          \
    CHECK(__VA_ARGS__);         \
    if (!(__VA_ARGS__)) return; \
  } while (false)
