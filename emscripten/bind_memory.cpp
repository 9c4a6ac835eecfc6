// KV cache, attention working memory and the paging simulation: registrations only.
#include <emscripten/bind.h>

#include "memory/attention_memory.hpp"
#include "memory/kv_cache.hpp"
#include "sim/paging_sim.hpp"

using namespace emscripten;
using namespace llmst;

EMSCRIPTEN_BINDINGS(memory) {
  value_object<KvCacheInput>("KvCacheInput")
      .field("n_layers", &KvCacheInput::n_layers)
      .field("n_heads", &KvCacheInput::n_heads)
      .field("n_kv_heads", &KvCacheInput::n_kv_heads)
      .field("head_dim", &KvCacheInput::head_dim)
      .field("d_model", &KvCacheInput::d_model)
      .field("batch", &KvCacheInput::batch)
      .field("prompt_tokens", &KvCacheInput::prompt_tokens)
      .field("generated_tokens", &KvCacheInput::generated_tokens)
      .field("kv_dtype", &KvCacheInput::kv_dtype)
      .field("quant_group", &KvCacheInput::quant_group)
      .field("quant_asymmetric", &KvCacheInput::quant_asymmetric)
      .field("quant_scale_dtype", &KvCacheInput::quant_scale_dtype)
      .field("window", &KvCacheInput::window)
      .field("sinks", &KvCacheInput::sinks)
      .field("global_every", &KvCacheInput::global_every)
      .field("attention_layers", &KvCacheInput::attention_layers)
      .field("local_layers", &KvCacheInput::local_layers)
      .field("chunk", &KvCacheInput::chunk)
      .field("chunked_layers", &KvCacheInput::chunked_layers)
      .field("kv_lora_rank", &KvCacheInput::kv_lora_rank)
      .field("qk_rope_head_dim", &KvCacheInput::qk_rope_head_dim)
      .field("qk_nope_head_dim", &KvCacheInput::qk_nope_head_dim)
      .field("v_head_dim", &KvCacheInput::v_head_dim)
      .field("indexer_head_dim", &KvCacheInput::indexer_head_dim)
      .field("block_size", &KvCacheInput::block_size);

  value_object<KvCacheResult>("KvCacheResult")
      .field("status", &KvCacheResult::status)
      .field("head_dim", &KvCacheResult::head_dim)
      .field("tokens", &KvCacheResult::tokens)
      .field("kv_layers", &KvCacheResult::kv_layers)
      .field("global_layers", &KvCacheResult::global_layers)
      .field("local_layers", &KvCacheResult::local_layers)
      .field("global_cached_tokens", &KvCacheResult::global_cached_tokens)
      .field("local_cached_tokens", &KvCacheResult::local_cached_tokens)
      .field("chunked_layers", &KvCacheResult::chunked_layers)
      .field("chunked_cached_tokens", &KvCacheResult::chunked_cached_tokens)
      .field("vector_values", &KvCacheResult::vector_values)
      .field("vectors_per_token_per_layer", &KvCacheResult::vectors_per_token_per_layer)
      .field("bits_per_value", &KvCacheResult::bits_per_value)
      .field("vector_bytes", &KvCacheResult::vector_bytes)
      .field("scale_bytes_per_vector", &KvCacheResult::scale_bytes_per_vector)
      .field("effective_bits_per_value", &KvCacheResult::effective_bits_per_value)
      .field("layout", &KvCacheResult::layout)
      .field("bytes_per_token_per_layer", &KvCacheResult::bytes_per_token_per_layer)
      .field("bytes_per_token", &KvCacheResult::bytes_per_token)
      .field("bytes_per_sequence", &KvCacheResult::bytes_per_sequence)
      .field("bytes", &KvCacheResult::bytes)
      .field("full_attention_bytes", &KvCacheResult::full_attention_bytes)
      .field("scale_bytes", &KvCacheResult::scale_bytes)
      .field("unabsorbed_bytes_per_token", &KvCacheResult::unabsorbed_bytes_per_token)
      .field("indexer_bytes_per_token_per_layer", &KvCacheResult::indexer_bytes_per_token_per_layer)
      .field("block_size", &KvCacheResult::block_size)
      .field("block_bytes_per_layer", &KvCacheResult::block_bytes_per_layer)
      .field("blocks_per_sequence", &KvCacheResult::blocks_per_sequence)
      .field("paged_bytes", &KvCacheResult::paged_bytes)
      .field("paged_waste_bytes", &KvCacheResult::paged_waste_bytes)
      .field("paged_waste_fraction", &KvCacheResult::paged_waste_fraction);

  value_object<KvCompareRow>("KvCompareRow")
      .field("id", &KvCompareRow::id)
      .field("label", &KvCompareRow::label)
      .field("n_kv_heads", &KvCompareRow::n_kv_heads)
      .field("bytes_per_token", &KvCompareRow::bytes_per_token)
      .field("bytes_per_sequence", &KvCompareRow::bytes_per_sequence)
      .field("bytes", &KvCompareRow::bytes)
      .field("ratio_to_first", &KvCompareRow::ratio_to_first);
  register_vector<KvCompareRow>("VectorKvCompareRow");
  value_object<KvSeriesPoint>("KvSeriesPoint")
      .field("strategy", &KvSeriesPoint::strategy)
      .field("context", &KvSeriesPoint::context)
      .field("bytes_per_sequence", &KvSeriesPoint::bytes_per_sequence);
  register_vector<KvSeriesPoint>("VectorKvSeriesPoint");
  value_object<KvCompareResult>("KvCompareResult")
      .field("status", &KvCompareResult::status)
      .field("variants", &KvCompareResult::variants)
      .field("strategies", &KvCompareResult::strategies)
      .field("window_used", &KvCompareResult::window_used)
      .field("sinks_used", &KvCompareResult::sinks_used)
      .field("global_every_used", &KvCompareResult::global_every_used)
      .field("series", &KvCompareResult::series);

  value_object<AttentionMemoryInput>("AttentionMemoryInput")
      .field("n", &AttentionMemoryInput::n)
      .field("head_dim", &AttentionMemoryInput::head_dim)
      .field("heads", &AttentionMemoryInput::heads)
      .field("batch", &AttentionMemoryInput::batch)
      .field("score_bytes", &AttentionMemoryInput::score_bytes)
      .field("element_bytes", &AttentionMemoryInput::element_bytes)
      .field("sram_bytes", &AttentionMemoryInput::sram_bytes)
      .field("series_max_n", &AttentionMemoryInput::series_max_n);
  value_object<AttentionMemoryPoint>("AttentionMemoryPoint")
      .field("n", &AttentionMemoryPoint::n)
      .field("standard_scores_bytes", &AttentionMemoryPoint::standard_scores_bytes)
      .field("flash_extra_bytes", &AttentionMemoryPoint::flash_extra_bytes)
      .field("standard_hbm_bytes", &AttentionMemoryPoint::standard_hbm_bytes)
      .field("flash_hbm_bytes", &AttentionMemoryPoint::flash_hbm_bytes);
  register_vector<AttentionMemoryPoint>("VectorAttentionMemoryPoint");
  value_object<AttentionMemoryResult>("AttentionMemoryResult")
      .field("status", &AttentionMemoryResult::status)
      .field("standard_scores_bytes_per_head", &AttentionMemoryResult::standard_scores_bytes_per_head)
      .field("standard_scores_bytes", &AttentionMemoryResult::standard_scores_bytes)
      .field("flash_extra_bytes_per_head", &AttentionMemoryResult::flash_extra_bytes_per_head)
      .field("flash_extra_bytes", &AttentionMemoryResult::flash_extra_bytes)
      .field("qkvo_bytes", &AttentionMemoryResult::qkvo_bytes)
      .field("sram_elements", &AttentionMemoryResult::sram_elements)
      .field("block_cols", &AttentionMemoryResult::block_cols)
      .field("block_rows", &AttentionMemoryResult::block_rows)
      .field("column_blocks", &AttentionMemoryResult::column_blocks)
      .field("standard_hbm_elements", &AttentionMemoryResult::standard_hbm_elements)
      .field("flash_hbm_elements", &AttentionMemoryResult::flash_hbm_elements)
      .field("standard_hbm_bytes", &AttentionMemoryResult::standard_hbm_bytes)
      .field("flash_hbm_bytes", &AttentionMemoryResult::flash_hbm_bytes)
      .field("hbm_ratio", &AttentionMemoryResult::hbm_ratio)
      .field("series", &AttentionMemoryResult::series);

  value_object<PagingSimInput>("PagingSimInput")
      .field("budget_bytes", &PagingSimInput::budget_bytes)
      .field("bytes_per_token", &PagingSimInput::bytes_per_token)
      .field("max_tokens", &PagingSimInput::max_tokens)
      .field("block_size", &PagingSimInput::block_size)
      .field("distribution", &PagingSimInput::distribution)
      .field("mean_tokens", &PagingSimInput::mean_tokens)
      .field("std_tokens", &PagingSimInput::std_tokens)
      .field("snapshot", &PagingSimInput::snapshot)
      .field("seed", &PagingSimInput::seed)
      .field("max_requests", &PagingSimInput::max_requests)
      .field("histogram_bins", &PagingSimInput::histogram_bins);
  value_object<PagingScheme>("PagingScheme")
      .field("id", &PagingScheme::id)
      .field("label", &PagingScheme::label)
      .field("sequences", &PagingScheme::sequences)
      .field("reserved_bytes", &PagingScheme::reserved_bytes)
      .field("used_bytes", &PagingScheme::used_bytes)
      .field("waste_bytes", &PagingScheme::waste_bytes)
      .field("waste_fraction", &PagingScheme::waste_fraction)
      .field("tokens_held", &PagingScheme::tokens_held);
  register_vector<PagingScheme>("VectorPagingScheme");
  value_object<LengthBin>("LengthBin")
      .field("low", &LengthBin::low)
      .field("high", &LengthBin::high)
      .field("count", &LengthBin::count);
  register_vector<LengthBin>("VectorLengthBin");
  value_object<PagingSimResult>("PagingSimResult")
      .field("status", &PagingSimResult::status)
      .field("schemes", &PagingSimResult::schemes)
      .field("paged_vs_naive_sequences", &PagingSimResult::paged_vs_naive_sequences)
      .field("requests_drawn", &PagingSimResult::requests_drawn)
      .field("mean_length_tokens", &PagingSimResult::mean_length_tokens)
      .field("std_length_tokens", &PagingSimResult::std_length_tokens)
      .field("clipped_fraction", &PagingSimResult::clipped_fraction)
      .field("hit_request_limit", &PagingSimResult::hit_request_limit)
      .field("histogram", &PagingSimResult::histogram);

  function("kvCacheDefaults", &kv_cache_defaults);
  function("kvCache", &kv_cache);
  value_object<KvModelInput>("KvModelInput")
      .field("status", &KvModelInput::status)
      .field("input", &KvModelInput::input);
  function("kvInputOfModel", &kv_input_of_model);
  function("kvCompare", &kv_compare);
  function("attentionMemoryDefaults", &attention_memory_defaults);
  function("attentionMemory", &attention_memory);
  function("pagingSimDefaults", &paging_sim_defaults);
  function("simulatePaging", &simulate_paging);
}
