target_sources(llmst_core PRIVATE
  src/memory/kv_cache.cpp
  src/memory/attention_memory.cpp
  src/memory/explain.cpp
)
