target_sources(llmst_core PRIVATE
  src/attention/kernels.cpp
  src/attention/kv_quant.cpp
)
