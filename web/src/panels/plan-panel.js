// Plan panel: what a deployment will do — latency, throughput, whether it
// fits, parallelism and offload, training memory, published measurements, and
// this machine's own measured roofline.
import { html, nothing } from 'lit';
import * as Plot from '@observablehq/plot';

import '../components/plot-figure.js';
import '../components/result-table.js';
import { LazyExplanations, explained } from '../components/explain-view.js';
import { checkField, numberField, selectField } from '../components/fields.js';
import { PanelElement, attempt } from '../components/panel-element.js';
import { panelStyles } from '../components/panel-styles.js';
import { RunController, runStatusStyles } from '../components/run-controller.js';
import { plotDefaults } from '../components/plot-figure.js';
import { formatBytes, formatCount, formatSI } from '../format.js';
import { getFormsApi } from '../wasm.js';
import { formatSeconds } from './roofline-panel.js';
import { formatWorkingSet, kernelRoofs, machinePlot, pageSweepInput, sweepPlot } from './machine-roofline.js';
import { readWorkload, setWorkload, toInput, weightOptions, workloadInputs, workloadKeys, workloadParams } from './workload-form.js';

const defaults = {
  model: 'llama-2-70b', hardware: 'h100-sxm', weights_dtype: 'fp16', weights_group: 0, weights_scale_dtype: 'fp16', weights_keep: '', weights_bits: 0, kv_dtype: 'fp16', compute_dtype: 'fp16',
  batch: 16, context: 4096, images: 0, flop_efficiency: 1, bandwidth_efficiency: 1, fused_attention: true,
  gpus: 2, parallelism: 'tensor', pipeline_stages: 1, offload_layers: 0,
};
// Training inputs (URL keys train_<key>; booleans as 1/0), the core's TrainingInput fields.
const trainingDefaults = {
  batch: 1, sequence: 4096, zero_stage: 0, data_parallel: 1, tensor_parallel: 1, pipeline_parallel: 1,
  sequence_parallel: false, dropout: false, fused_swiglu: false, fp32_gradients: false, vocab_chunks: 1,
  // Fine-tuning: the method and its adapters; `checkpointing` and `hardware` ('' = the deployment's) pick the fit check.
  method: 'full', lora_rank: 16, lora_targets: 'q,k,v,o,gate,up,down', lora_experts: true, lora_dropout: false,
  adapter_dtype: 'fp32', paged_optimizer: false, checkpointing: 'full', hardware: '',
};
// String inputs and the values they may take (lora_targets is free text the core checks).
const trainingChoices = {
  method: ['full', 'lora', 'qlora'], adapter_dtype: ['fp32', 'bf16'], checkpointing: ['none', 'selective', 'full', 'sqrt'],
};
const targetChoices = [
  ['q,v', 'q, v (Hu et al. 2021)'], ['q,k,v,o', 'q, k, v, o'], ['q,k,v,o,gate,up,down', 'q, k, v, o, gate, up, down'],
  ['all-linear', 'all-linear (+ routers)'], ['gate,up,down', 'gate, up, down'],
];
const trainingLabels = {
  batch: 'Training sequences', sequence: 'Training tokens', zero_stage: 'ZeRO stage', data_parallel: 'Data-parallel N_d',
  tensor_parallel: 'Tensor-parallel t', pipeline_parallel: 'Pipeline stages p', sequence_parallel: 'Sequence parallel',
  dropout: 'Dropout', fused_swiglu: 'Fused SwiGLU', fp32_gradients: 'fp32 gradients', vocab_chunks: 'Cross-entropy chunks',
  method: 'Fine-tuning method', lora_rank: 'LoRA rank', lora_targets: 'LoRA targets', lora_experts: 'Adapt experts',
  lora_dropout: 'LoRA dropout', adapter_dtype: 'Adapter precision', paged_optimizer: 'Paged optimizer',
  checkpointing: 'Fit checkpointing', hardware: 'Fit GPU',
};
const schedules = ['none', 'selective', 'full', 'sqrt'];
const bothUnits = (bytes) => `${formatBytes(bytes, 'GB')} / ${formatBytes(bytes, 'GiB')}`;

export class PlanPanel extends PanelElement {
  static panelId = 'plan';
  static stateKeys = [...workloadKeys(defaults), ...Object.keys(trainingDefaults).map((key) => `train_${key}`)];
  static properties = {
    state: { state: true }, result: { state: true }, error: { state: true },
    pinnedResult: { state: true }, pinnedError: { state: true },
    training: { state: true }, trainingError: { state: true }, trainingFit: { state: true },
    machine: { state: true }, sweep: { state: true },
    /** Measured kernels other panels may add: [{ label, intensity, flops_per_s, working_set_bytes? }] (plotted on this machine's roofline). */
    measuredPoints: { attribute: false },
  };
  static styles = [panelStyles, runStatusStyles];

  constructor() {
    super();
    this.error = null;
    this.explain = new LazyExplanations((input) => this.api.explainPlan(input));
    this.trainingExplain = new LazyExplanations((input) => this.api.explainTraining(input));
    this.trainingInput = { ...trainingDefaults };
    this.machine = null;
    this.machineRuns = new RunController(this, { id: 'plan-machine' });
    this.measuredPoints = [];
  }

  async connectedCallback() {
    super.connectedCallback();
    this.api = await getFormsApi();
    this.hardware = this.api.hardwarePresets();
    this.weightOptions = weightOptions(this.api.quantFormats());
    this.calibration = this.api.calibration();
    this.stateChanged();
  }

  /** The workload and training inputs read through `read` (readState, or pinnedRead for the pinned configuration). */
  parseState(read) {
    const state = readWorkload(read, defaults, { models: this.presets, hardware: this.hardware, weights: this.weightOptions });
    for (const [key, fallback] of Object.entries(trainingDefaults)) {
      const text = read(`train_${key}`)?.trim() ?? null;
      let value = fallback;
      if (typeof fallback === 'boolean') value = text === '1' || text === 'true' ? true : text === '0' || text === 'false' ? false : fallback;
      else if (typeof fallback === 'string') {
        const choices = key === 'hardware' ? ['', ...(this.hardware ?? []).map((row) => row.id)] : trainingChoices[key];
        if (text !== null && (!choices || choices.includes(text))) value = text.slice(0, 200);
      } else if (text !== null && text !== '' && Number.isFinite(Number(text))) value = Number(text);
      state[`train_${key}`] = value;
    }
    return state;
  }

  stateLabel(key) {
    return { model: 'Model', hardware: 'Hardware', weights_dtype: 'Weights', weights_bits: 'Bits per weight', kv_dtype: 'KV cache', compute_dtype: 'Compute',
      fused_attention: 'Fused attention', gpus: 'Devices', ...Object.fromEntries(Object.entries(trainingLabels).map(([k, label]) => [`train_${k}`, label])) }[key]
      ?? super.stateLabel(key);
  }

  snapshotState() {
    return Object.fromEntries(Object.entries(this.#params()).filter(([, value]) => value !== null && value !== undefined));
  }

  stateChanged() {
    if (!this.api) return;
    const { state, training } = splitTraining(this.parseState((key) => this.readState(key)));
    this.state = state;
    this.trainingInput = training;
    this.#compute();
    // Compare: the pinned deployment (e.g. A100 against H100), computed the same way.
    ({ value: this.pinnedResult, error: this.pinnedError } = this.attemptPinned((pinned) => {
      const { state, training } = splitTraining(pinned);
      return { state, plan: this.api.plan(toInput(state, this.presets)), training: trainingRows(this.api, state, this.presets, training),
        fit: trainingFit(this.api, state, this.presets, training) };
    }));
  }

  // On an InputError the last good result stays on screen beside the error.
  #compute() {
    const input = toInput(this.state, this.presets);
    const plan = attempt(() => this.api.plan(input));
    this.error = plan.error;
    if (!plan.error) {
      this.result = plan.value;
      this.explain.set(input);
    }
    const training = attempt(() => trainingRows(this.api, this.state, this.presets, this.trainingInput));
    if (!training.error) this.trainingExplain.set(trainingExplainInput(this.state, this.presets, this.trainingInput));
    this.trainingError = training.error;
    if (!training.error) {
      this.training = training.value;
      this.trainingFit = trainingFit(this.api, this.state, this.presets, this.trainingInput);
    }
  }

  #set(key, value, commit) {
    this.state = setWorkload(this.state, key, value, defaults, this.presets);
    this.#compute();
    if (commit) this.#writeUrl();
  }

  #setTraining(key, value, commit) {
    this.trainingInput = { ...this.trainingInput, [key]: value };
    this.#compute();
    this.requestUpdate();
    if (commit) this.#writeUrl();
  }

  #params() {
    const params = workloadParams(this.state, defaults, this.presets);
    for (const [key, value] of Object.entries(this.trainingInput)) {
      params[`train_${key}`] = value === trainingDefaults[key] ? null : typeof value === 'boolean' ? Number(value) : value;
    }
    return params;
  }

  #writeUrl() {
    this.writeState(this.#params());
  }

  // The cache sweep, the probe, then the lab's kernels on it: four calls, one Cancel.
  #measure() {
    const calls = [{ method: 'measureCacheSweep', input: pageSweepInput }, { method: 'measureMachine', input: machineProbeInput },
      ...labKernelCalls];
    this.machineRuns.start({
      label: 'the machine probe', calls,
      onResult: (result, index) => {
        if (index === 0) {
          this.sweep = result;
          this.machine = null;
          this.measuredPoints = [];
        } else if (index === 1) {
          this.machine = result;
        } else {
          this.measuredPoints = [...this.measuredPoints, ...labKernelPoints(calls[index].method, result)];
        }
      },
      onDone: () => 'Done: the cache sweep, the probe and the lab\'s kernels measured in a Web Worker.',
    });
  }

  render() {
    if (!this.state) return html`<p class="note" role="status">Loading…</p>`;
    return html`
      <h2>Plan</h2>
      <p class="intro">Before buying or renting hardware: will the model fit, how long until the first token, how fast
        does each sequence generate, and how much total throughput does batching buy before the KV cache runs out of
        memory? Every figure is a roofline bound — the fastest the chip could possibly go — scaled by the efficiency
        factors you set; the published measurements at the bottom show how far real systems land below it.</p>
      <div class="layout">
        <form @submit=${(event) => event.preventDefault()} aria-label="Deployment">
          ${workloadInputs({ prefix: 'plan', state: this.state, error: this.error, presets: this.presets, weights: this.weightOptions, hardware: this.hardware,
            plan: true, set: (key, value, commit) => this.#set(key, value, commit), read: (key) => this.readState(key) })}
        </form>
        <section aria-live="polite">${this.renderPinControls()}${this.#renderPlan()}</section>
      </div>
      ${this.#renderTraining()}
      ${this.#renderCalibration()}
      ${this.#renderMachine()}`;
  }

  #renderPlan() {
    const r = this.result;
    if (!r) return html`<p class="error-banner" role="alert">${this.error?.message}</p>`;
    const d = r.decode;
    const p = r.prefill;
    // `explain` (a function: JSON export leaves it out, and it is no column) opens the figure's explanation.
    const rows = planRows(r, this.state, (id) => this.explain.get(id));
    const pinned = this.pinnedResult;
    return html`
      ${this.pinnedError ? html`<p class="error-banner" role="alert" id="plan-pin-invalid">The pinned configuration is
        invalid (${this.pinnedError.message}); pin again to compare.</p>` : nothing}
      ${this.error ? html`<p class="error-banner" role="alert" id="plan-error">${this.error.message}
        <br /><span class="note">Showing the last valid result.</span></p>` : nothing}
      <div class=${this.error ? 'stale' : ''}>
        <div class="headline">
          <div><div class="value" id="plan-fits">${explained(this.explain.get('plan.memory_per_device'), r.fits ? 'fits' : 'does not fit')}</div><div class="label">on ${formatCount(this.state.gpus)} device(s)</div></div>
          <div><div class="value" id="plan-tokens-per-s">${explained(this.explain.get('plan.tokens_per_s'), d.tokens_per_s.toFixed(1))}</div><div class="label">tokens/s per sequence</div></div>
          <div><div class="value" id="plan-total-tokens-per-s">${explained(this.explain.get('plan.total_tokens_per_s'), d.total_tokens_per_s.toFixed(0))}</div><div class="label">tokens/s total</div></div>
          <div><div class="value" id="plan-ttft">${explained(this.explain.get('plan.ttft'), formatSeconds(p.ttft_s))}</div><div class="label">time to first token</div></div>
        </div>
        <div class="headline">
          <div><div class="value" id="plan-max-batch">${explained(this.explain.get('plan.max_batch'), formatCount(r.max_batch))}</div><div class="label">max batch at ${formatCount(this.state.context)} tokens</div></div>
          <div><div class="value" id="plan-max-context">${r.max_context_unbounded ? 'unbounded' : formatCount(r.max_context)}</div><div class="label">max context at batch ${formatCount(this.state.batch)}</div></div>
          <div><div class="value" id="plan-min-gpus">${r.min_gpus ? formatCount(r.min_gpus) : '> 4096'}</div><div class="label">fewest devices (${this.state.parallelism === 'tensor_pipeline' ? `${formatCount(this.state.pipeline_stages)} stages of tensor parallel` : this.state.parallelism})</div></div>
        </div>
        <llm-result-table id="plan-table" filename="plan" caption="Latency, throughput and memory"
          .columns=${[{ key: 'item', label: 'Quantity' }, { key: 'value', label: 'Value', numeric: true, format: (v, row) => explained(row.explain, row.format(v)) }]}
          .rows=${rows} .compare=${pinned ? planRows(pinned.plan, pinned.state) : null}></llm-result-table>
        <h3>Batch vs throughput</h3>
        <llm-plot id="plan-curve-plot" filename="batch-throughput"
          caption="Total decode tokens/s as the batch grows (filled: fits in memory; hollow: does not); the red rule is the memory limit"
          .build=${() => curvePlot(r)}></llm-plot>
        <p class="note">Decode reads every weight once per step whatever the batch, so total throughput grows almost
          linearly with batch until the KV cache (${bothUnits(r.kv_bytes_per_token)} per token per sequence) or compute
          catches up. Tensor parallelism divides the weights read per device and adds
          2 all-reduces per layer, each 2(p−1)/p × batch × d_model × bytes over the link; pipeline parallelism splits
          memory but every round still reads all the weights. Tensor × pipeline runs p stages, each a
          devices ÷ p-way tensor-parallel group: a round's micro-batches of batch ÷ p pay the group's all-reduces
          and p − 1 hops.</p>
      </div>`;
  }

  #renderTraining() {
    const rows = this.training ?? [];
    const input = this.trainingInput;
    const first = rows[0];
    const numberInput = (key, label, help, min = 1) => numberField({ id: `plan-train_${key}`, label, value: input[key], min, step: 1, help, requested: this.readState(`train_${key}`),
      error: this.trainingError?.field === key ? this.trainingError.message : null,
      onInput: (v) => this.#setTraining(key, v, false), onCommit: (v) => this.#setTraining(key, v, true) });
    const check = (key, label, help) => checkField({ id: `plan-train_${key}`, label, checked: input[key], help, requested: this.readState(`train_${key}`),
      onCommit: (v) => this.#setTraining(key, v, true) });
    const bytes = (v) => formatBytes(v, this.units);
    const setting = `t = ${formatCount(input.tensor_parallel)}${input.sequence_parallel ? ' (sequence parallel)' : ''}, ` +
      `p = ${formatCount(input.pipeline_parallel)}, N_d = ${formatCount(input.data_parallel)}, ZeRO-${input.zero_stage}`;
    return html`<h3>Training memory per device (mixed-precision Adam)</h3>
      ${this.#renderFineTuning()}
      ${this.trainingError ? html`<p class="error-banner" role="alert" id="plan-training-error">${this.trainingError.message}</p>` : nothing}
      <llm-result-table id="plan-training-table" filename="training-memory"
        caption=${!first ? 'Training memory' : first.method === 'full'
          ? `Per device (${setting}): ${first.bytes_per_param} B per parameter = bf16 weights 2 + gradients ` +
            `${first.bytes_per_param - 14} + fp32 master and Adam moments 12; activations per Korthikanti et al. 2022`
          : `Per device (${setting}), ${first.method === 'qlora' ? 'QLoRA' : 'LoRA'}: weights = the frozen base + adapters; ` +
            `gradients and Adam moments of the ${formatCount(first.trainable_params)} adapter parameters only`}
        .columns=${[
          { key: 'checkpointing', label: 'Recompute' },
          { key: 'weights_bytes', label: 'Weights', numeric: true, format: bytes },
          { key: 'gradients_bytes', label: 'Gradients', numeric: true, format: bytes },
          { key: 'optimizer_bytes', label: 'Adam states', numeric: true, format: bytes },
          { key: 'activations', label: 'Activations', numeric: true, format: bytes },
          { key: 'loss_bytes', label: 'Logits + grad', numeric: true, format: bytes },
          { key: 'total_bytes', label: 'Total', numeric: true, format: bytes, priority: 'key' },
          { key: 'extra_compute_fraction', label: 'Extra compute', numeric: true, format: (v) => `${(v * 100).toFixed(1)} %` },
        ]} .rows=${rows} .compare=${this.pinnedResult?.training ?? null}></llm-result-table>
      <div class="layout">
        <form @submit=${(event) => event.preventDefault()} aria-label="Training">
          <fieldset><legend>Training step</legend>
            ${numberInput('batch', 'Sequences per micro-batch', 'b: sequences per micro-batch of one data-parallel replica')}
            ${numberInput('sequence', 'Tokens per sequence', 's')}
            ${check('dropout', 'Dropout (1-byte masks)', 'Dropout after attention, softmax and FFN: Korthikanti et al. eq. 1 keeps their masks')}
            ${check('fused_swiglu', 'Fused SwiGLU kernel', 'Keeps gate and up only; eager PyTorch also keeps SiLU(gate)')}
            ${numberInput('vocab_chunks', 'Cross-entropy chunks', '1: the whole fp32 logits and their gradient; n > 1: a fused cross-entropy holds 1/n')}
          </fieldset>
          <fieldset><legend>Parallelism</legend>
            ${selectField({ id: 'plan-train_zero_stage', label: 'ZeRO stage', value: String(input.zero_stage), requested: this.readState('train_zero_stage'),
              options: [['0', '0: replicated'], ['1', '1: Adam states sharded'], ['2', '2: + gradients'], ['3', '3: + weights']]
                .map(([value, label]) => ({ value, label })),
              error: this.trainingError?.field === 'zero_stage' ? this.trainingError.message : null,
              onCommit: (v) => this.#setTraining('zero_stage', Number(v), true) })}
            ${numberInput('data_parallel', 'Data-parallel N_d', 'Replicas ZeRO shards over')}
            ${numberInput('tensor_parallel', 'Tensor-parallel t', 'Megatron tensor parallelism')}
            ${numberInput('pipeline_parallel', 'Pipeline stages p', '1F1B: the first stage keeps p micro-batches in flight')}
            ${check('sequence_parallel', 'Sequence parallel', 'Also splits norms, dropout and the layer inputs over t (Korthikanti et al. sec. 4.2.2)')}
            ${check('fp32_gradients', 'fp32 gradient buffer (18 B/param)', 'Megatron-LM accumulates gradients in fp32: 2 + 4 + 12 bytes per parameter')}
          </fieldset>
        </form>
        <section>
          ${first ? html`<llm-result-table id="plan-training-layer-table" filename="training-layer"
            caption=${`What one layer keeps for backward on one device (${first.layers.length > 1 ? 'each layer kind' : first.layers[0].kind}), ` +
              `with Korthikanti et al.'s term for an MHA layer with a 4h GELU MLP`}
            .columns=${[
              { key: 'term', label: 'Tensor' },
              { key: 'paper', label: 'Paper' },
              ...first.layers.map((layer, i) => ({ key: `kind${i}`, label: `${layer.kind} (× ${formatCount(layer.count)})`, numeric: true, format: bytes })),
            ]} .rows=${layerRows(first.layers)}></llm-result-table>` : nothing}
          <p class="note">“selective” recomputes the attention core (the s × s scores, or FlashAttention's
            row statistics); “full” keeps every layer's input and recomputes one layer at a time; “sqrt” keeps a
            checkpoint every ⌈√L⌉ layers. Full and sqrt rerun the layers' forward pass (the LM head is not
            recomputed). A layer's internals are ~15–20× its input, so per-layer checkpoints usually need less
            memory than √L segments. Logits are fp32 (s·b·V·4 bytes, split over t); the loss holds them and their
            gradient as backward starts, a fused cross-entropy in n chunks holds 1/n of both. With p &gt; 1 the
            activations are the first stage's (p micro-batches in flight) and the total is the larger stage.</p>
        </section>
      </div>`;
  }

  // Fine-tuning: the method and its adapters, the memory of each schedule as a stacked bar, and the fit on a GPU.
  #renderFineTuning() {
    const input = this.trainingInput;
    const rows = this.training ?? [];
    const fit = this.trainingFit;
    const chosen = rows.find((row) => row.checkpointing === input.checkpointing) ?? rows[0];
    const set = (key, value) => this.#setTraining(key, value, true);
    const lora = input.method !== 'full';
    const fieldError = (key) => (this.trainingError?.field === key ? this.trainingError.message : null);
    const targets = targetChoices.some(([value]) => value === input.lora_targets) ? targetChoices : [...targetChoices, [input.lora_targets, input.lora_targets]];
    const gpuId = input.hardware || this.state.hardware;
    const gpu = (this.hardware ?? []).find((row) => row.id === gpuId);
    const pinned = this.pinnedResult?.training ?? null;
    return html`<section id="plan-finetune" aria-label="Fine-tuning">
      <div class="layout">
        <form @submit=${(event) => event.preventDefault()} aria-label="Fine-tuning">
          <fieldset><legend>Fine-tuning</legend>
            ${selectField({ id: 'plan-train_method', label: 'Method', value: input.method, error: fieldError('method'), requested: this.readState('train_method'),
              options: [['full', 'Full (every parameter)'], ['lora', 'LoRA (bf16 base frozen)'], ['qlora', 'QLoRA (NF4 base frozen)']]
                .map(([value, label]) => ({ value, label })), onCommit: (v) => set('method', v) })}
            ${lora ? html`
              ${numberField({ id: 'plan-train_lora_rank', label: 'LoRA rank r', value: input.lora_rank, min: 1, step: 1, requested: this.readState('train_lora_rank'),
                help: 'A is d_in × r, B is r × d_out, the same r for every adapted module', error: fieldError('lora_rank'),
                onInput: (v) => this.#setTraining('lora_rank', v, false), onCommit: (v) => set('lora_rank', v) })}
              ${selectField({ id: 'plan-train_lora_targets', label: 'Adapted modules', value: input.lora_targets, error: fieldError('lora_targets'),
                help: 'MLA: q is q_a + q_b (or q_proj); k or v adapt kv_a + kv_b once; o is o_proj',
                options: targets.map(([value, label]) => ({ value, label })), onCommit: (v) => set('lora_targets', v) })}
              ${checkField({ id: 'plan-train_lora_experts', label: 'Adapt MoE experts', checked: input.lora_experts, requested: this.readState('train_lora_experts'),
                help: "Routed experts' gate, up and down too (shared experts always follow the targets)", onCommit: (v) => set('lora_experts', v) })}
              ${checkField({ id: 'plan-train_lora_dropout', label: 'LoRA dropout', checked: input.lora_dropout, requested: this.readState('train_lora_dropout'),
                help: 'Each adapted module keeps its dropped input (2 B) and mask (1 B) per element', onCommit: (v) => set('lora_dropout', v) })}
              ${selectField({ id: 'plan-train_adapter_dtype', label: 'Adapter precision', value: input.adapter_dtype, requested: this.readState('train_adapter_dtype'),
                options: [['fp32', 'fp32 (PEFT default): 16 B / param'], ['bf16', 'bf16 (qlora.py): 12 B / param']].map(([value, label]) => ({ value, label })),
                onCommit: (v) => set('adapter_dtype', v) })}` : nothing}
            ${checkField({ id: 'plan-train_paged_optimizer', label: 'Paged optimizer (states on the host)', checked: input.paged_optimizer, requested: this.readState('train_paged_optimizer'),
              help: 'bitsandbytes paged AdamW: optimizer states evicted to CPU memory, left out of the device total', onCommit: (v) => set('paged_optimizer', v) })}
            ${selectField({ id: 'plan-train_checkpointing', label: 'Checkpointing (fit)', value: input.checkpointing, requested: this.readState('train_checkpointing'),
              options: trainingChoices.checkpointing.map((value) => ({ value, label: value })), onCommit: (v) => set('checkpointing', v) })}
            ${selectField({ id: 'plan-train_hardware', label: 'GPU (fit)', value: input.hardware, requested: this.readState('train_hardware'),
              options: [{ value: '', label: `Same as above (${this.state.hardware})` }, ...(this.hardware ?? []).map((row) => ({ value: row.id, label: row.label }))],
              onCommit: (v) => set('hardware', v) })}
          </fieldset>
        </form>
        <section>
          ${chosen ? html`<div class="headline">
            <div><div class="value" id="plan-train-trainable">${lora
              ? explained(this.trainingExplain.get('train.trainable_params'), formatCount(chosen.trainable_params))
              : formatCount(chosen.trainable_params)}</div>
              <div class="label">trainable parameters (${chosen.trainable_percent < 1 ? chosen.trainable_percent.toFixed(4) : chosen.trainable_percent.toFixed(1)} %)</div></div>
            <div><div class="value" id="plan-train-fits">${fit ? (fit.fits ? 'fits' : 'does not fit') : '–'}</div>
              <div class="label"><span id="plan-train-total">${explained(this.trainingExplain.get('train.total'), formatBytes(chosen.total_bytes, 'GB'))}</span> on ${gpu ? gpu.label : gpuId} (${formatBytes(fit?.capacity_bytes ?? 0, 'GB')}), ${input.checkpointing}</div></div>
            <div><div class="value" id="plan-train-max-batch">${fit ? formatCount(fit.max_batch) : '–'}</div>
              <div class="label">largest micro-batch at ${formatCount(input.sequence)} tokens</div></div>
            <div><div class="value" id="plan-train-max-sequence">${fit ? formatCount(fit.max_sequence) : '–'}</div>
              <div class="label">longest sequence at batch ${formatCount(input.batch)}</div></div>
          </div>
          <llm-plot id="plan-train-parts-plot" filename="fine-tuning-memory"
            caption=${`Memory per device by part, each checkpointing schedule${pinned ? ' (and the pinned configuration)' : ''}; the red rule is the GPU's memory`}
            .build=${() => partsPlot(rows, pinned, fit?.capacity_bytes ?? 0)}></llm-plot>
          ${chosen.offloaded_bytes > 0 ? html`<p class="note" id="plan-train-offloaded">Paged optimizer: ${formatBytes(chosen.offloaded_bytes, 'GB')}
            of optimizer states are held in host memory (evicted, the worst case for speed), not in the bars.</p>` : nothing}
          <p class="note">LoRA (Hu et al. 2021) freezes the base and trains A (d_in × r) and B (r × d_out) beside each
            adapted matrix; QLoRA (Dettmers et al. 2023) stores the frozen base in NF4 with double-quantized scales
            (${chosen.method === 'qlora' ? chosen.base_bits_per_weight.toFixed(3) : '4.127'} bits per weight; embedding and LM
            head in bf16) and dequantizes one matrix at a time to bf16. Activations are full fine-tuning's plus each
            adapter's r-wide intermediate. Formulas and sources: docs/training.md.</p>` : nothing}
        </section>
      </div>
    </section>`;
  }

  #renderCalibration() {
    const points = this.calibration ?? [];
    return html`<h3>Calibration: published measurements vs this model</h3>
      <llm-plot id="plan-calibration-plot" filename="calibration"
        caption="Measured decode tokens/s (batch 1) against the ideal-roofline prediction; the line is measured = predicted"
        .build=${() => calibrationPlot(points)}></llm-plot>
      <llm-result-table id="plan-calibration-table" filename="calibration" caption="Sources"
        .columns=${[
          { key: 'label', label: 'Measurement' },
          { key: 'measured_tokens_per_s', label: 'Measured tok/s', numeric: true },
          { key: 'predicted_tokens_per_s', label: 'Predicted tok/s', numeric: true, format: (v) => v.toFixed(1) },
          { key: 'ratio', label: 'Measured / predicted', numeric: true, format: (v) => v.toFixed(2) },
          { key: 'source', label: 'Source' },
        ]} .rows=${points}></llm-result-table>
      <p class="note">The ratio is the bandwidth efficiency a real engine reached; put a typical value into
        “Bandwidth efficiency” above to turn the ideal bound into an estimate.</p>`;
  }

  #renderMachine() {
    const m = this.machine;
    const sweep = this.sweep;
    const rows = m ? ['simd', 'scalar'].map((kind) => ({
      kind: kind === 'simd' ? `WASM SIMD (${m.simd_lanes} lanes)` : 'scalar',
      bandwidth: m[kind].bandwidth_bytes_per_s, flops: m[kind].flops_per_s, ridge: m[kind].ridge_flops_per_byte,
    })) : [];
    const kernels = m && sweep ? kernelRoofs(this.measuredPoints, m, sweep, this.api) : [];
    return html`<h3>This machine</h3>
      <p class="note">Measure this browser's own roofline. A cache sweep reads working sets from 16 KiB to 256 MiB
        (3 sizes per octave, best of 5 timed blocks each) and finds the plateaus where one cache level serves every
        size: L1, L2, the last-level cache, DRAM. A kernel's roof is the bandwidth of its own working set: a 16 MiB
        GEMV called again and again reads from cache, not DRAM. The probe adds a multiply–add loop with eight
        independent accumulators (FLOP/s; WASM SIMD has no fused multiply–add here, so one core peaks at 8 FLOP per
        cycle) and a 64 MiB stream. Runs in a worker on one core; docs/roofline.md explains the method.</p>
      <button type="button" class="action" id="plan-measure" @click=${() => this.#measure()}
        ?disabled=${this.machineRuns.busy}>Measure this machine</button>
      ${this.machineRuns.renderStatus()}
      ${sweep ? html`
        <llm-plot id="plan-sweep-plot" filename="cache-sweep"
          caption=${`Read bandwidth against working set (${sweep.points.length} sizes in ${sweep.seconds.toFixed(1)} s): each dot the best of its timed blocks, the rule down to the median; green bands the plateaus`}
          .build=${() => sweepPlot(sweep)}></llm-plot>
        <llm-result-table id="plan-plateaus" filename="cache-plateaus"
          caption=${sweep.plateaus.length === 3 ? 'Plateaus (three found: the last is the last-level cache, or DRAM on a machine without L3)' : 'Plateaus: the ceilings of this machine'}
          .columns=${[
            { key: 'level', label: 'Level' },
            { key: 'bytes_from', label: 'From', numeric: true, format: formatWorkingSet },
            { key: 'bytes_to', label: 'To', numeric: true, format: formatWorkingSet },
            { key: 'simd_bytes_per_s', label: 'SIMD', numeric: true, format: (v) => formatSI(v, 'B/s') },
            { key: 'scalar_bytes_per_s', label: 'Scalar', numeric: true, format: (v) => formatSI(v, 'B/s') },
          ]} .rows=${sweep.plateaus}></llm-result-table>` : nothing}
      ${m ? html`
        <llm-result-table id="plan-machine-table" filename="this-machine" caption="Probe: 64 MiB stream and multiply–add peak (best of 11)"
          .columns=${[
            { key: 'kind', label: 'Kernels' },
            { key: 'bandwidth', label: 'Bandwidth', numeric: true, format: (v) => formatSI(v, 'B/s') },
            { key: 'flops', label: 'FLOP/s', numeric: true, format: (v) => formatSI(v, 'FLOP/s') },
            { key: 'ridge', label: 'Ridge (FLOP/byte)', numeric: true, format: (v) => v.toFixed(2) },
          ]} .rows=${rows}></llm-result-table>` : nothing}
      ${m && sweep ? html`
        <llm-plot id="plan-machine-plot" filename="this-machine-roofline"
          caption="This machine's SIMD roofs, one per plateau, under the multiply–add peak; the lab's kernels by colour (see the table)"
          .build=${() => machinePlot(m, sweep, kernels)}></llm-plot>
        ${kernels.length ? html`<llm-result-table id="plan-machine-kernels" filename="lab-kernels"
          caption="The lab's kernels measured here, each against the roof of its own working set"
          .columns=${[
            { key: 'label', label: 'Kernel' },
            { key: 'working_set_bytes', label: 'Working set', numeric: true, format: formatWorkingSet, priority: 'key' },
            { key: 'level', label: 'Level' },
            { key: 'intensity', label: 'FLOP/byte', numeric: true, format: (v) => v.toFixed(2), priority: 'secondary' },
            { key: 'flops_per_s', label: 'FLOP/s', numeric: true, format: (v) => formatSI(v, 'FLOP/s'), priority: 'secondary' },
            { key: 'roof', label: 'Its roof', numeric: true, format: (v) => formatSI(v, 'FLOP/s') },
            { key: 'share', label: 'of its roof', numeric: true, format: (v) => `${(v * 100).toFixed(0)} %`, priority: 'key' },
            { key: 'explanation', label: 'Above the roof because', priority: 'key' },
          ]} .rows=${kernels}></llm-result-table>` : nothing}` : nothing}`;
  }
}

const fixed = (digits) => (value) => value.toFixed(digits);

/** The plan as rows of raw numbers, each with its own format (and explanation); `id` matches rows of a pinned plan. */
function planRows(r, state, explain = () => undefined) {
  const d = r.decode;
  const p = r.prefill;
  const explainOf = { step: 'plan.decode_step', tokens_per_s: 'plan.tokens_per_s', total_tokens_per_s: 'plan.total_tokens_per_s',
    ttft: 'plan.ttft', weight_bytes: 'plan.weight_bytes', kv_bytes: 'plan.kv_bytes', memory_per_device_bytes: 'plan.memory_per_device' };
  const row = (id, item, value, format) => ({ id, item, value, format, explain: explainOf[id] ? explain(explainOf[id]) : undefined });
  return [
    row('step', 'Decode step (TPOT)', d.step_s, formatSeconds),
    row('memory_floor', '  floor: (weights read + batch × KV) / bandwidth', d.memory_floor_s, formatSeconds),
    row('compute_floor', '  floor: FLOPs / peak', d.compute_floor_s, formatSeconds),
    row('communication', '  communication (all-reduces or pipeline hops)', d.communication_s, formatSeconds),
    row('offload', '  offloaded weights over PCIe', d.offload_s, formatSeconds),
    row('tokens_per_s', 'Tokens/s per sequence', d.tokens_per_s, fixed(2)),
    row('total_tokens_per_s', 'Tokens/s total', d.total_tokens_per_s, fixed(1)),
    row('decode_intensity', `Decode intensity, FLOP/byte (${d.bound} bound)`, d.intensity, fixed(2)),
    row('experts_touched', 'Experts touched per layer per step', d.experts_touched, fixed(2)),
    row('ttft', `TTFT (prefill of ${formatCount(state.batch)} × ${formatCount(state.context)} tokens)`, p.ttft_s, formatSeconds),
    row('prefill_intensity', `Prefill intensity, FLOP/byte (${p.bound} bound)`, p.intensity, fixed(1)),
    row('total_params', 'Parameters (total)', r.total_params, (v) => formatSI(v)),
    row('active_params', 'Parameters (active per token)', r.active_params, (v) => formatSI(v)),
    row('weight_bytes', 'Weights (all devices)', r.weight_bytes, bothUnits),
    row('kv_bytes', 'KV cache (batch × context)', r.kv_bytes, bothUnits),
    row('memory_per_device_bytes', 'Needed per device', r.memory_per_device_bytes, bothUnits),
    row('memory_capacity_bytes', 'Capacity per device', r.memory_capacity_bytes, bothUnits),
  ];
}

/** The workload state and the training inputs (train_<key>) of a parsed state. */
function splitTraining(parsed) {
  const state = { ...parsed };
  const training = {};
  for (const key of Object.keys(trainingDefaults)) {
    training[key] = state[`train_${key}`];
    delete state[`train_${key}`];
  }
  return { state, training };
}

/** Training memory per device with each recomputation schedule; the workload gives the model and fused attention. */
function trainingRows(api, state, presets, trainingInput) {
  const { model } = toInput(state, presets);
  const { hardware, checkpointing: fitSchedule, ...fields } = trainingInput;
  return schedules.map((checkpointing) => {
    const r = api.trainingMemory({ model, ...fields, fused_attention: state.fused_attention, checkpointing });
    return { checkpointing, ...r, activations: r.activation_bytes + r.embedding_activation_bytes + r.head_activation_bytes };
  });
}

/** The training input of the chosen schedule, as the explain view takes it. */
function trainingExplainInput(state, presets, trainingInput) {
  const { model } = toInput(state, presets);
  const { hardware, ...fields } = trainingInput;
  return { model, ...fields, fused_attention: state.fused_attention };
}

/** Whether the chosen schedule fits the fine-tuning GPU ('' = the deployment's hardware), and the largest batch and sequence. */
function trainingFit(api, state, presets, trainingInput) {
  const { model } = toInput(state, presets);
  const { hardware, ...fields } = trainingInput;
  return api.trainingFit({ model, ...fields, fused_attention: state.fused_attention, hardware: hardware || state.hardware });
}

/** One stacked bar per schedule (and per pinned schedule): the device's memory by part, GB. */
function partsPlot(rows, pinnedRows, capacityBytes) {
  const bars = [...rows.map((row) => ({ row, name: row.checkpointing })), ...(pinnedRows ?? []).map((row) => ({ row, name: `pinned · ${row.checkpointing}` }))];
  const data = bars.flatMap(({ row, name }) => row.parts.map((part) => ({ name, part: part.label, gb: part.bytes / 1e9 })));
  const marks = [
    Plot.barX(data, Plot.stackX({ y: 'name', x: 'gb', fill: 'part', className: 'part-bars', title: (d) => `${d.name}: ${d.part} ${d.gb.toFixed(2)} GB` })),
    Plot.ruleX([0]),
  ];
  if (capacityBytes > 0) marks.push(Plot.ruleX([capacityBytes / 1e9], { stroke: '#d1242f', strokeDasharray: '4,3' }));
  return Plot.plot({
    ...plotDefaults, width: 680, height: 60 + 28 * bars.length, marginLeft: 130,
    x: { label: 'GB per device →', grid: true }, y: { label: null, domain: bars.map((bar) => bar.name) },
    color: { legend: true }, marks,
  });
}

// One row per stored tensor: its name, the paper's size for an MHA layer with a 4h GELU MLP, and its bytes per layer kind.
const layerTerms = [
  ['norm_inputs_bytes', 'Norm inputs', '4sbh'],
  ['attention_input_bytes', 'Normed input of Q, K, V', '2sbh'],
  ['latent_bytes', 'MLA latents', '–'],
  ['qk_bytes', 'Q and K', '4sbh'],
  ['v_bytes', 'V', '2sbh'],
  ['scores_bytes', 'Softmax output (fused: fp32 row statistics)', '2as²b'],
  ['scores_dropout_bytes', 'Softmax dropout mask and output', '3as²b'],
  ['attention_output_bytes', 'Attention output (O input)', '2sbh'],
  ['attention_dropout_bytes', 'Attention dropout mask', 'sbh'],
  ['ffn_input_bytes', 'Normed input of the FFN', '2sbh'],
  ['router_bytes', 'MoE router and routed copies', '–'],
  ['ffn_hidden_bytes', 'FFN hidden (GELU or SwiGLU) and down input', '16sbh'],
  ['ffn_dropout_bytes', 'FFN dropout mask', 'sbh'],
  ['bytes', 'One layer, no recomputation', 'sbh(34 + 5as/h)'],
  ['selective_bytes', 'One layer, selective recomputation', '34sbh'],
];
function layerRows(layers) {
  return layerTerms.map(([key, term, paper]) => ({
    id: key, term, paper, ...Object.fromEntries(layers.map((layer, i) => [`kind${i}`, layer[key]])),
  }));
}

function curvePlot(r) {
  const curve = r.curve.map((point) => ({ ...point, memory: point.fits ? 'fits' : 'out of memory' }));
  const marks = [
    Plot.line(curve, { x: 'batch', y: 'total_tokens_per_s', stroke: '#3b82f6', strokeWidth: 2 }),
    Plot.dot(curve, { x: 'batch', y: 'total_tokens_per_s', stroke: '#3b82f6', fill: (p) => (p.fits ? '#3b82f6' : 'white'), r: 4,
      title: (p) => `batch ${p.batch}: ${p.total_tokens_per_s.toFixed(0)} tok/s total, ${p.tokens_per_s.toFixed(1)} per sequence, ${p.memory}` }),
  ];
  if (r.max_batch >= 1) {
    marks.push(Plot.ruleX([r.max_batch], { stroke: '#d1242f', strokeDasharray: '4,3' }));
    marks.push(Plot.text([{ x: r.max_batch }], { x: 'x', frameAnchor: 'top', text: () => `memory limit: batch ${formatCount(r.max_batch)}`, dx: 4, textAnchor: 'start', fill: '#d1242f' }));
  }
  return Plot.plot({
    ...plotDefaults, width: 680, height: 320, marginLeft: 60,
    x: { type: 'log', label: 'batch (sequences) →', grid: true },
    y: { type: 'log', label: '↑ total tokens/s', grid: true },
    marks,
  });
}

function calibrationPlot(points) {
  const values = points.flatMap((p) => [p.measured_tokens_per_s, p.predicted_tokens_per_s]);
  const lo = Math.min(...values) / 1.5;
  const hi = Math.max(...values) * 1.5;
  return Plot.plot({
    ...plotDefaults, width: 520, height: 360, marginLeft: 60,
    x: { type: 'log', label: 'predicted tokens/s (ideal roofline) →', domain: [lo, hi], grid: true },
    y: { type: 'log', label: '↑ measured tokens/s', domain: [lo, hi], grid: true },
    color: { legend: true },
    marks: [
      Plot.line([{ v: lo }, { v: hi }], { x: 'v', y: 'v', strokeDasharray: '4,3', strokeOpacity: 0.5 }),
      Plot.dot(points, { x: 'predicted_tokens_per_s', y: 'measured_tokens_per_s', fill: 'hardware_id', r: 5, title: 'label' }),
      Plot.text(points, { x: 'predicted_tokens_per_s', y: 'measured_tokens_per_s', text: 'model_name', dy: -10, fontSize: 10 }),
    ],
  });
}

// The probe: a streaming read over 64 MiB (past any cache) and a multiply–add loop.
const machineProbeInput = { bytes: 64 * 2 ** 20, repeats: 11, min_seconds: 0.005 };

// The lab's own kernels as points on this machine's roofline: FLOPs and the
// bytes each kernel must at least move (attention: Q, K, V in and O out once;
// GEMV: the weight matrix once), measured in the same worker.
const labKernelCalls = [
  { method: 'runAttention', input: { n: 1024, d: 64, heads: 1, variant: 'both', check_rows: 4 } },
  { method: 'quantGemv', input: { rows: 2048, cols: 2048, group_size: 128, min_time_s: 0.05 } },
];

function labKernelPoints(method, result) {
  // intensity and flops_per_s come from the core (sim/attention_runs, sim/quant_lab).
  if (method === 'runAttention') {
    return result.variants.filter((variant) => !variant.refused && variant.seconds > 0).map((variant) => ({
      label: `attention ${variant.variant}, n = 1024, d = 64`,
      intensity: result.intensity, flops_per_s: variant.flops_per_s, working_set_bytes: result.input_bytes,
    }));
  }
  return result.kernels.filter((kernel) => kernel.seconds_per_call > 0).map((kernel) => ({
    label: `GEMV ${kernel.kernel}, 2048²`, intensity: kernel.intensity, flops_per_s: kernel.flops_per_s,
    working_set_bytes: kernel.weight_bytes, integer: /x8$/.test(kernel.kernel),  // int8 activations: integer dot products
  }));
}

customElements.define('llm-plan-panel', PlanPanel);
