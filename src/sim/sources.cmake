target_sources(llmst_core PRIVATE
  src/sim/attention_runs.cpp
  src/sim/paging_sim.cpp
)
