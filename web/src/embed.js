// Embeddable elements, one per panel, for any page:
//   <script type="module" src="https://HOST/PATH/embed.js"></script>
//   <llm-kv-cache model="llama-3-8b" context="32768"></llm-kv-cache>
// Attributes are the panel's inputs (snake_case keys as kebab-case names; the
// model is `model` on every element, `preset` its older alias);
// changing one recomputes. The WASM module loads from beside this script.
import { panels } from './panels/index.js';

for (const panel of panels) {
  if (panel.embed && !customElements.get(panel.embed)) {
    customElements.define(panel.embed, class extends panel.panelClass {
      static embedded = true;
    });
  }
}
