// Explain views: each key figure with its formula, the same formula with the
// numbers plugged in (TeX), its terms and sources. The text comes from the C++
// core (src/*/explain.cpp), so the page, the CLI and the tests read the same.
import { modelApi } from './model.js';
import { memoryApi } from './memory.js';
import { quantApi } from './quant.js';
import { rooflineApi } from './roofline.js';
import { unwrap } from './convert.js';

export function explainApi(Module) {
  // Each explain function takes exactly its area's input. To fill defaults and
  // check it the same way, it runs the area's own JS function over a module
  // whose binding records the converted arguments (closed forms: microseconds),
  // then hands those arguments to the explain binding. Bad input throws the
  // area's InputError before anything is explained.
  let captured = null;
  const recording = (name) => ({
    value: (...args) => {
      captured = args;
      return Module[name](...args);
    },
  });
  const recorder = Object.create(Module, {
    modelReport: recording('modelReport'),
    kvCache: recording('kvCache'),
    plan: recording('plan'),
    trainingMemory: recording('trainingMemory'),
    quantSize: recording('quantSize'),
  });
  const areas = {
    model: modelApi(recorder),
    memory: memoryApi(recorder),
    roofline: rooflineApi(recorder, { wholeWorkload: true }),
    quant: quantApi(recorder),
  };
  // Each value also as text, written by the core (6,738,415,616; 3.352e12), so the CLI formats no number.
  const withText = (explanation) => ({
    ...explanation,
    value_text: Module.textNumber(explanation.value),
    terms: explanation.terms.map((term) => ({ ...term, value_text: Module.textNumber(term.value) })),
  });
  function explain(binding, runArea) {
    captured = null;
    runArea();
    return unwrap(Module[binding](...captured)).explanations.map(withText);
  }

  return {
    /** Explanations of modelReport's figures: params.*, weights.<dtype>, flops.decode, flops.prefill, flops.crossover. */
    explainModel: (config, options) => explain('explainModel', () => areas.model.modelReport(config, options)),
    /** Explanations of kvCache's figures: kv.vector_bytes, kv.bytes_per_token, kv.bytes_per_sequence, kv.bytes, kv.paged_bytes. */
    explainKv: (input) => explain('explainKv', () => areas.memory.kvCache(input)),
    /** Explanations of plan's figures: plan.ridge, plan.weight_bytes, plan.kv_bytes, plan.memory_per_device, plan.max_batch, plan.decode_step, plan.tokens_per_s, plan.total_tokens_per_s, plan.ttft. */
    explainPlan: (input) => explain('explainPlan', () => areas.roofline.plan(input)),
    /** Explanations of trainingMemory's figures: train.trainable_params and train.base_weights (LoRA/QLoRA), train.states, train.activations, train.total. */
    explainTraining: (input) => explain('explainTraining', () => areas.roofline.trainingMemory(input)),
    /** Explanations of quantSize's figures: quant.bits_per_weight, quant.bytes, quant.average_bits, quant.saving_vs_fp16. */
    explainQuant: (input) => explain('explainQuant', () => areas.quant.quantSize(input)),
  };
}

/** The explanation with `id` from a list, or undefined. */
export function findExplanation(explanations, id) {
  return explanations.find((explanation) => explanation.id === id);
}
