target_sources(llmst_core PRIVATE
  src/sim/paging_sim.cpp
  src/sim/quant_lab.cpp
)
