target_sources(llmst_core PRIVATE
  src/core/dtype.cpp
  src/core/validate.cpp
  src/core/explain.cpp
  src/core/heap.cpp
  src/core/json.cpp
)
