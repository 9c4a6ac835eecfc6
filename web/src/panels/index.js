// Every panel of the page, in tab order. Each module defines one custom element.
import './model-panel.js';
import './quant-panel.js';

export const panels = [
  { id: 'model', label: 'Model', element: 'llm-model-panel' },
  { id: 'quant', label: 'Quantization', element: 'llm-quant-panel' },
];
