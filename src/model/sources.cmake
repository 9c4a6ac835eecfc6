target_sources(llmst_core PRIVATE
)
