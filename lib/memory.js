// KV cache, attention working memory and the paging simulation.
import { mergeChecked, toPlain, unwrap } from './convert.js';

// Builds a complete input from the C++ defaults (the one source of truth) and
// the caller's fields, through the API's one input policy (convert.js).
const fillInput = (defaults, input) => mergeChecked(defaults, input, 'input');

// The KV input fields a model decides (the rest are the workload's).
const modelShapeFields = ['n_layers', 'n_heads', 'n_kv_heads', 'head_dim', 'd_model', 'window', 'sinks', 'global_every',
  'attention_layers', 'local_layers', 'chunk', 'chunked_layers', 'kv_lora_rank', 'qk_rope_head_dim', 'qk_nope_head_dim',
  'v_head_dim', 'indexer_head_dim'];

export function memoryApi(Module) {
  const kvDefaults = () => toPlain(Module.kvCacheDefaults());
  const modelDefaults = toPlain(Module.defaultModelConfig());

  /** The KV-cache shape of a model config, computed by the core from its layer description. */
  function kvShapeFromModel(config) {
    const { input } = unwrap(Module.kvInputOfModel(mergeChecked(modelDefaults, config, 'model config'), kvDefaults()));
    return Object.fromEntries(modelShapeFields.map((field) => [field, input[field]]));
  }
  const simDefaults = () => toPlain(Module.pagingSimDefaults());
  const attentionDefaults = () => toPlain(Module.attentionMemoryDefaults());
  return {
    /** Default KV-cache input (Llama-2-7B shape, 4096 tokens, fp16, blocks of 16). */
    kvCacheDefaults: kvDefaults,
    /** KV-cache bytes per token, per sequence and in total, with windows, sinks, MLA, quantization and paging. */
    kvCache: (input) => unwrap(Module.kvCache(fillInput(kvDefaults(), input))),
    /** MHA/GQA/MQA(/MLA) variants, token-keeping strategies, and bytes vs context for each strategy. */
    kvCompare: (input) => unwrap(Module.kvCompare(fillInput(kvDefaults(), input))),
    /** The KV-cache shape fields of a model config (a preset's or an imported `config`): layers by span, heads, MLA. */
    kvShapeFromModel,
    /** Default attention working-memory input (N 4096, d 128, 32 heads, 192 KiB SRAM). */
    attentionMemoryDefaults: attentionDefaults,
    /** Standard vs FlashAttention working memory and HBM traffic, with a sweep over N. */
    attentionMemory: (input) => unwrap(Module.attentionMemory(fillInput(attentionDefaults(), input))),
    /** Default paging-simulation input (16 GiB budget, lognormal lengths mean 1024, blocks of 16). */
    pagingSimDefaults: simDefaults,
    /** Seeded simulation of naive, exact and paged KV allocation for a request mix. */
    simulatePaging: (input) => unwrap(Module.simulatePaging(fillInput(simDefaults(), input))),
  };
}
