target_sources(llmst_core PRIVATE
  src/sim/paging_sim.cpp
)
