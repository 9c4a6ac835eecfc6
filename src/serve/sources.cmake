target_sources(llmst_core PRIVATE
  src/serve/requests.cpp
  src/serve/serve.cpp
)
