target_sources(llmst_core PRIVATE
  src/sim/attention_runs.cpp
  src/sim/decode_kv.cpp
  src/sim/kernel_bench.cpp
  src/sim/paging_sim.cpp
  src/sim/quant_lab.cpp
  src/sim/work_estimate.cpp
)
