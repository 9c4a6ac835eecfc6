// Every panel of the page, in tab order. Each module defines one custom
// element for the app (`element`) and exports its class; embed.js defines the
// embeddable twin (`embed`) whose inputs are attributes.
import { ModelPanel } from './model-panel.js';
import { AttentionPanel } from './attention-panel.js';
import { KvCachePanel } from './kv-cache-panel.js';
import { QuantPanel } from './quant-panel.js';
import { RooflinePanel } from './roofline-panel.js';
import { PlanPanel } from './plan-panel.js';
import { ServePanel } from './serve-panel.js';
import { SearchPanel } from './search-panel.js';

export const panels = [
  { id: 'model', label: 'Model', element: 'llm-model-panel', embed: 'llm-model', panelClass: ModelPanel,
    example: { preset: 'llama-3-8b', context: '8192' } },
  { id: 'attention', label: 'Attention', element: 'llm-attention-panel', embed: 'llm-attention', panelClass: AttentionPanel,
    example: { n: '1024', d: '64', heads: '2' } },
  { id: 'kv', label: 'KV cache', element: 'llm-kv-cache-panel', embed: 'llm-kv-cache', panelClass: KvCachePanel,
    example: { preset: 'llama-3-8b', context: '32768' } },
  { id: 'quant', label: 'Quantization', element: 'llm-quant-panel', embed: 'llm-quant', panelClass: QuantPanel,
    example: { preset: 'llama-3-8b', format: 'nf4', group: '64' } },
  { id: 'roofline', label: 'Roofline', element: 'llm-roofline-panel', embed: 'llm-roofline', panelClass: RooflinePanel,
    example: { model: 'llama-2-7b', hardware: 'h100-sxm', batch: '16' } },
  { id: 'plan', label: 'Plan', element: 'llm-plan-panel', embed: 'llm-plan', panelClass: PlanPanel,
    example: { model: 'llama-2-70b', hardware: 'h200', gpus: '1', context: '8192' } },
  { id: 'serve', label: 'Serve', element: 'llm-serve-panel', embed: 'llm-serve', panelClass: ServePanel,
    example: { model: 'llama-3.1-8b', hardware: 'h100-sxm', rate: '4', requests: '200', scheduler: 'chunked' } },
  { id: 'search', label: 'Search', element: 'llm-search-panel', embed: 'llm-search', panelClass: SearchPanel,
    example: { model: 'llama-3-8b', hardware: 'h100-sxm,a100-80gb,l4', max_gpus: '2', slo_tpot_ms: '50' } },
];
