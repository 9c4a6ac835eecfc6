// Calculator module: the closed form beside a measured decode run (sim/decode_kv):
// the kvCache input the kernel's storage describes and the bytes it predicts.
// DecodeInput is registered in bind_run_inputs.cpp. Registrations only.
#include <emscripten/bind.h>

#include "sim/decode_kv.hpp"

using namespace emscripten;
using namespace llmst::sim;

EMSCRIPTEN_BINDINGS(decode_kv) {
  value_object<DecodeKept>("DecodeKept")
      .field("input", &DecodeKept::input)
      .field("kv_heads", &DecodeKept::kv_heads)
      .field("head_dim", &DecodeKept::head_dim)
      .field("kv_bytes", &DecodeKept::kv_bytes)
      .field("hidden_bytes", &DecodeKept::hidden_bytes);
  value_object<DecodeKvClosedForm>("DecodeKvClosedForm")
      .field("status", &DecodeKvClosedForm::status)
      .field("keeps_kv", &DecodeKvClosedForm::keeps_kv)
      .field("kv_input", &DecodeKvClosedForm::kv_input)
      .field("predicted_bytes", &DecodeKvClosedForm::predicted_bytes)
      .field("measured_bytes", &DecodeKvClosedForm::measured_bytes)
      .field("difference_bytes", &DecodeKvClosedForm::difference_bytes)
      .field("note", &DecodeKvClosedForm::note);

  function("decodeKvClosedForm", &decode_kv_closed_form);
}
