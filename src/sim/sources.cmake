target_sources(llmst_core PRIVATE
  src/sim/quant_lab.cpp
)
