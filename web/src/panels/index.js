// Every panel of the page, in tab order. Each module defines one custom element.
import './model-panel.js';
import './roofline-panel.js';
import './plan-panel.js';

export const panels = [
  { id: 'model', label: 'Model', element: 'llm-model-panel' },
  { id: 'roofline', label: 'Roofline', element: 'llm-roofline-panel' },
  { id: 'plan', label: 'Plan', element: 'llm-plan-panel' },
];
