// The JS API over the WASM modules: plain objects in, plain objects out.
// Each area adds its functions in lib/<area>.js; this file composes them.
// The calculator module answers every closed form and runs the simulators; the
// lab module (kernels, measured runs) is asked for only by the measured runs,
// and is loaded on the first one. The first-load module (issue 16: what the
// page's Model panel and the llm-model element fetch before the first number
// shows) holds the model area alone: createFirstApi wraps it. The closed-forms
// module (what the page's other calculating panels and the explain views load)
// holds every closed form, the presets and the explain views, without the
// simulators: createFormsApi wraps it.
import { coreApi } from './core.js';
import { modelApi } from './model.js';
import { memoryApi } from './memory.js';
import { attentionApi, attentionLabApi } from './attention.js';
import { quantApi, quantLabApi, quantSplitApi } from './quant.js';
import { rooflineApi, rooflineLabApi } from './roofline.js';
import { explainApi } from './explain.js';
import { workApi } from './work.js';
import { serveApi, serveRuns } from './serve.js';
import { searchApi } from './search.js';

export { InputError } from './convert.js';

/**
 * The first-load API over the first-load module (llm_spacetime): the core and
 * model areas alone (presets, validation, parameter counts, FLOPs, weights
 * memory, config.json import), the same functions as createApi's.
 */
export function createFirstApi(Module) {
  return Object.freeze({
    ...coreApi(Module),
    ...modelApi(Module),
  });
}

// The areas both the closed-forms module and the calculator answer alike.
function closedFormsApi(Module) {
  return {
    ...coreApi(Module),
    ...modelApi(Module),
    ...memoryApi(Module),
    ...attentionApi(Module),
    ...quantApi(Module),
    ...rooflineApi(Module),
    ...explainApi(Module),
  };
}

/**
 * The closed-forms API over the closed-forms module (llm_spacetime_forms): the
 * core, model, memory (paging simulation included), attention (defaults and the
 * decode run's closed form), quantization sizes, roofline, plan and training,
 * explain and work-estimate areas, the same functions as createApi's; not the
 * serving simulator (nor its estimates), the deployment search or the measured runs.
 */
export function createFormsApi(Module) {
  const work = workApi(Module);
  const simulated = (method) => typeof method === 'string' && Object.hasOwn(serveRuns, method);
  return Object.freeze({
    ...closedFormsApi(Module),
    estimatedRuns: () => work.estimatedRuns().filter((method) => !simulated(method)),
    estimateRun: (method, input) => {
      if (simulated(method)) throw new Error(`${method} runs in the calculator module: estimate it with createApi's estimateRun`);
      return work.estimateRun(method, input);
    },
  });
}

/** The measured runs, every one a function of the lab module that `lab()` returns. */
function labApi(lab) {
  return {
    ...attentionLabApi(lab),
    ...quantLabApi(lab),
    ...rooflineLabApi(lab),
  };
}

/** The API methods that run in the lab module (the rest run in the calculator). */
export const labMethods = Object.freeze(Object.keys(labApi(() => null)));

// A calculator module's lab, for createApi(calculator) without a second argument:
// lib/node.js attaches a loader to each calculator module it loads.
const attachedLabs = new WeakMap();

/** Makes createApi(calculator) find its lab: `lab` is the lab module or a function that returns it. */
export function attachLab(calculator, lab) {
  attachedLabs.set(calculator, lab);
  return calculator;
}

// `lab` (a module, a function returning one, or undefined) as a function that
// returns the module, calling a loader once.
function labGetter(lab) {
  if (lab === undefined || lab === null) {
    return () => {
      throw new Error('this measured run needs the lab module (llm_spacetime_lab): pass it to createApi(calculator, lab), ' +
        'or load the API with loadLlmSpacetime() (Node) or run it in the page\'s worker');
    };
  }
  if (typeof lab !== 'function') return () => lab;
  let loaded = null;
  return () => (loaded ??= lab());
}

/**
 * Wraps the instantiated calculator module in the public API. `lab`: the lab
 * module, or a function returning it (called on the first measured run); by
 * default the lab attached to the calculator by lib/node.js, if any.
 */
export function createApi(Module, lab = attachedLabs.get(Module)) {
  const getLab = labGetter(lab);
  return Object.freeze({
    ...closedFormsApi(Module),
    ...workApi(Module),
    ...serveApi(Module),
    ...searchApi(Module),
    ...labApi(getLab),
    ...quantSplitApi(getLab),
  });
}

/**
 * The measured runs alone, over an instantiated lab module (the page's worker),
 * with attentionDefaults, which the lab answers too (the run inputs' defaults
 * are registered in both modules): a worker splitting a run asks for it, and
 * needs no calculator for it.
 */
export function createLabApi(labModule) {
  const getLab = labGetter(labModule);
  return Object.freeze({
    ...labApi(getLab),
    attentionDefaults: attentionApi(labModule).attentionDefaults,
    ...quantSplitApi(getLab),
  });
}

/** What a lab module answers (createLabApi's methods): the runs, attentionDefaults, quantRunDefaults and quantLabChunks. */
export const labAnswers = Object.freeze([...labMethods, 'attentionDefaults', ...Object.keys(quantSplitApi(() => null))]);
