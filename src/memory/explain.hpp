// Explain views of the KV-cache figures, built from kv_cache()'s result.
#pragma once
#include "core/explain.hpp"
#include "memory/kv_cache.hpp"

namespace llmst {

// Ids: kv.vector_bytes, kv.bytes_per_token, kv.bytes_per_sequence, kv.bytes,
// kv.paged_bytes (block_size > 0). Fails with kv_cache's Status.
ExplainResult explain_kv(const KvCacheInput& input);

}  // namespace llmst
