// The Search panel's form: model and workload, the SLOs, the chips with their
// $/hour (prefilled with each preset's dated price, editable), the grid (GPUs,
// weights formats, KV dtypes, batches), efficiencies and the power model. The
// parsing lives in search-state.js; this module only draws the controls and
// shows an error (or a notice about link text it could not use) beside its field.
import { html, nothing } from 'lit';

import { checkField, numberField, selectField, textField } from '../components/fields.js';
import { errorKey, kvDtypes, listNotice, priceErrorChip, stateLabel } from './search-state.js';

/** The date a price source was read (its first yyyy-mm-dd), or ''. */
export const priceDate = (source) => /\d{4}-\d{2}-\d{2}/.exec(source ?? '')?.[0] ?? '';

const option = (value, label = value) => ({ value, label });

// A group of checkboxes for a list input (`chosen` the values checked), its notice and its error.
function checkGroup({ key, legend, options, chosen, error, notice, onToggle, help }) {
  const id = `search-${key}`;
  return html`<div class="field wide check-group" role="group" id=${id} aria-labelledby="${id}-label"
      aria-describedby=${[error ? `${id}-error` : '', notice ? `${id}-notice` : ''].filter(Boolean).join(' ') || nothing}>
    <span class="label" id="${id}-label" title=${help ?? nothing}>${legend}</span>
    <div class="choices">${options.map((choice) => checkField({ id: `${id}-${choice.value}`, label: choice.label,
      checked: chosen.includes(choice.value), onCommit: (checked) => onToggle(choice.value, checked) }))}</div>
    ${error ? html`<p class="field-error" id="${id}-error" role="alert">${error}</p>` : nothing}
    ${notice ? html`<p class="field-notice" id="${id}-notice" role="status">${notice}</p>` : nothing}
  </div>`;
}

/**
 * The form. `set(key, value, commit)` updates the panel; `read(key)` is the raw
 * text it read (a field reports text it could not use); `error` an InputError
 * from the core, shown at its field. `chips`: the hardware presets;
 * `chosenChips`: the ids searched; `weights`: the weights options.
 */
export function searchInputs({ state, error, presets, chips, chosenChips, weights, set, read, onToggleChip, onPrice, onChips }) {
  const at = error ? errorKey(error) : null;
  const fieldError = (key) => (at === key ? error.message : null);
  const id = (key) => `search-${key}`;
  const number = (key, { min, step = 'any', help } = {}) => numberField({ id: id(key), label: stateLabel(key), value: state[key], min, step, help,
    requested: read(key), error: fieldError(key), onInput: (value) => set(key, value, false), onCommit: (value) => set(key, value, true) });
  // (Un)checking one choice of a list; the list keeps the options' order.
  const toggle = (key, values) => (value, checked) => {
    const chosen = new Set(state[key]);
    if (checked) chosen.add(value);
    else chosen.delete(value);
    set(key, values.filter((item) => chosen.has(item)), true);
  };
  const hardwareIds = chips.map((row) => row.id);
  const pricedChip = priceErrorChip(error, hardwareIds);
  const noChips = chosenChips.length === 0 ? 'Choose at least one chip.' : null;
  return html`
    <fieldset>
      <legend>Model and workload</legend>
      ${selectField({ id: id('model'), label: stateLabel('model'), value: state.model, requested: read('model'), error: fieldError('model'),
        options: presets.map((preset) => option(preset.id, preset.label)), onCommit: (value) => set('model', value, true) })}
      ${number('prompt_tokens', { min: 1, step: 1, help: 'Tokens of each prompt; a batch prefills its prompts together (TTFT)' })}
      ${number('output_tokens', { min: 1, step: 1, help: 'Tokens generated per sequence; TPOT and the fit are at prompt + output tokens' })}
      ${number('slo_ttft_s', { min: 0, help: 'Time to first token at most this many seconds; 0: no limit' })}
      ${number('slo_tpot_ms', { min: 0, help: 'Time per output token at most this many milliseconds; 0: no limit' })}
    </fieldset>
    <fieldset>
      <legend>Hardware and $/hour</legend>
      <p class="note">Every GPU and TPU preset by default. A chip with no price is not free: it is skipped and named,
        unless you type its $/hour. Prices are on-demand per device-hour, each from one dated public list (sources below).</p>
      <div class="chip-actions">
        <button type="button" class="action secondary" id="search-hardware-all" @click=${() => onChips('all')}>All</button>
        <button type="button" class="action secondary" id="search-hardware-priced" @click=${() => onChips('priced')}>Priced only</button>
        <button type="button" class="action secondary" id="search-hardware-none" @click=${() => onChips('none')}>None</button>
      </div>
      <div class="chips" role="group" id="search-hardware" aria-label="Hardware searched, with each chip's $ per hour"
        aria-describedby=${[fieldError('hardware') ? 'search-hardware-error' : '', noChips ? 'search-hardware-empty' : '',
          listNotice('hardware', read('hardware'), state) ? 'search-hardware-notice' : ''].filter(Boolean).join(' ') || nothing}>
        ${chips.map((row) => {
          const edited = Object.hasOwn(state.prices, row.id);
          const usd = edited ? state.prices[row.id] : row.usd_per_hour > 0 ? row.usd_per_hour : NaN;
          const priceError = pricedChip === row.id ? error.message : null;
          const date = priceDate(row.price_source);
          return html`<div class="chip">
            <input type="checkbox" id="search-hw-${row.id}" .checked=${chosenChips.includes(row.id)}
              @change=${(event) => onToggleChip(row.id, event.target.checked)} />
            <label for="search-hw-${row.id}">${row.label}</label>
            <input type="number" id="search-price-${row.id}" class="price" min="0" step="any" placeholder="no price"
              aria-label="$ per hour of one ${row.label}" aria-invalid=${priceError ? 'true' : 'false'}
              aria-describedby=${priceError ? `search-price-${row.id}-error` : `search-price-${row.id}-note`}
              .value=${Number.isFinite(usd) ? String(usd) : ''}
              @change=${(event) => onPrice(row.id, event.target.value.trim() === '' ? NaN : Number(event.target.value))} />
            <span class="price-note" id="search-price-${row.id}-note">${edited ? html`<strong>yours</strong>${row.usd_per_hour > 0
              ? ` (list $${row.usd_per_hour}${date ? `, ${date}` : ''})` : ''}` : row.usd_per_hour > 0 ? `$/h, ${date || 'undated'}` : 'no list price'}</span>
            ${priceError ? html`<p class="field-error" id="search-price-${row.id}-error" role="alert">${priceError}</p>` : nothing}
          </div>`;
        })}
      </div>
      ${noChips ? html`<p class="field-error" id="search-hardware-empty" role="alert">${noChips}</p>` : nothing}
      ${fieldError('hardware') ? html`<p class="field-error" id="search-hardware-error" role="alert">${fieldError('hardware')}</p>` : nothing}
      ${at === 'prices' && !pricedChip ? html`<p class="field-error" id="search-prices-error" role="alert">${error.message}</p>` : nothing}
      ${['hardware', 'prices'].map((key) => {
        const notice = listNotice(key, read(key), state, hardwareIds);
        return notice ? html`<p class="field-notice" id="search-${key}-notice" role="status">${notice}</p>` : nothing;
      })}
      <details id="search-price-sources"><summary>Price sources</summary>
        <ul class="sources">${chips.map((row) => html`<li><strong>${row.id}</strong>: ${row.usd_per_hour > 0
          ? `$${row.usd_per_hour}/h, ${row.price_source}` : row.price_source}</li>`)}</ul>
      </details>
    </fieldset>
    <fieldset>
      <legend>The grid</legend>
      ${number('max_gpus', { min: 1, step: 1, help: 'GPU counts 1 … this, each as tensor parallel (dividing the heads) and as pipeline stages' })}
      ${checkGroup({ key: 'weights', legend: stateLabel('weights'), options: weights, chosen: state.weights, error: fieldError('weights'),
        notice: listNotice('weights', read('weights'), state), onToggle: toggle('weights', weights.map((choice) => choice.value)),
        help: 'fp8 weights compute in fp8 on chips with an fp8 peak; the others dequantize to bf16' })}
      ${checkGroup({ key: 'kv_dtype', legend: stateLabel('kv_dtype'), options: kvDtypes.map((value) => option(value)), chosen: state.kv_dtype,
        error: fieldError('kv_dtype'), notice: listNotice('kv_dtype', read('kv_dtype'), state), onToggle: toggle('kv_dtype', kvDtypes) })}
      ${textField({ id: id('batches'), label: stateLabel('batches'), value: state.batches, error: fieldError('batches'),
        requested: read('batches'), help: 'Comma-separated whole numbers: the sequences decoded together',
        onCommit: (value) => set('batches', value, true) })}
    </fieldset>
    <fieldset>
      <legend>Chunked prefill (simulated)</legend>
      <p class="note">Optional. Each budget runs the front's candidates in the serving simulator as a closed loop of
        batch users: whole prompts (0) against prompt chunks of that many tokens per iteration, decodes first.</p>
      ${textField({ id: id('chunk_tokens'), label: stateLabel('chunk_tokens'), value: state.chunk_tokens, error: fieldError('chunk_tokens'),
        requested: read('chunk_tokens'), help: 'Comma-separated whole numbers, e.g. 0,512,2048; empty: no simulation',
        onCommit: (value) => set('chunk_tokens', value, true) })}
      ${number('slo_attainment', { min: 0, help: 'A simulated point meets the SLOs when this share of its requests meet both bounds' })}
    </fieldset>
    <fieldset>
      <legend>Efficiency and power</legend>
      ${number('flop_efficiency', { min: 0, help: 'Fraction of peak FLOP/s reached; 1 is the ideal roofline (as the Plan panel)' })}
      ${number('bandwidth_efficiency', { min: 0, help: 'Fraction of peak memory bandwidth reached' })}
      ${number('idle_power_fraction', { min: 0, help: 'A device\'s draw when it holds the model and does nothing, as a share of its TDP' })}
      ${number('memory_power_fraction', { min: 0, help: 'Extra draw of HBM streaming at full bandwidth, as a share of TDP; the compute share is the rest of 1' })}
    </fieldset>`;
}
