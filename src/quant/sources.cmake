target_sources(llmst_core PRIVATE
  src/quant/formats.cpp
  src/quant/sizes.cpp
  src/quant/kernels.cpp
  src/quant/kernels_simd.cpp
  src/quant/metrics.cpp
  src/quant/explain.cpp
)
