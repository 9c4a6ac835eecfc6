import { LitElement, html } from 'lit';

class ModelPanel extends LitElement {
  render() {
    return html`<h2>Model</h2>`;
  }
}
customElements.define('llm-model-panel', ModelPanel);
