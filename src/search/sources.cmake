target_sources(llmst_core PRIVATE
  src/search/search.cpp
)
