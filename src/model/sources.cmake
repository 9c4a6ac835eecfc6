target_sources(llmst_core PRIVATE
  src/model/config.cpp
  src/model/params.cpp
  src/model/flops.cpp
  src/model/report.cpp
  src/model/presets.cpp
  src/model/hf_import.cpp
  src/model/explain.cpp
)
