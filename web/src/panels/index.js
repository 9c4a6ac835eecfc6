// Every panel of the page, in tab order. Each module defines one custom element.
import './model-panel.js';
import './kv-cache-panel.js';

export const panels = [
  { id: 'model', label: 'Model', element: 'llm-model-panel' },
  { id: 'kv', label: 'KV cache', element: 'llm-kv-cache-panel' },
];
