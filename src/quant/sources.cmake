target_sources(llmst_core PRIVATE
  src/quant/formats.cpp
  src/quant/sizes.cpp
  src/quant/kernels.cpp
  src/quant/kernels_simd.cpp
  src/quant/kquants.cpp
  src/quant/microscaling.cpp
  src/quant/metrics.cpp
  src/quant/explain.cpp
)
# The k-quant searches compare float errors: no fused multiply-adds, so native
# and WASM builds pick the same candidates (ggml's reference is plain C).
set_source_files_properties(src/quant/kquants.cpp PROPERTIES COMPILE_OPTIONS -ffp-contract=off)
