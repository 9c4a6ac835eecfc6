// The page's loaders of the WASM modules (main thread). Vite bundles each
// .wasm next to its generated loader, which finds it via import.meta.url.
//
// Three modules on the main thread (issue 16, item 1), each loaded when first
// needed: the first-load module (llm_spacetime: the model closed forms and the
// presets), which a page opened on the Model panel and the llm-model element load
// before the first number shows; the closed forms (llm_spacetime_forms: every
// closed form, presets, explain views and run estimates: the Attention, KV,
// Quantization, Roofline and Plan panels and every explanation); and the calculator
// (llm_spacetime_calculator: all of that at -O3 plus the serving simulator and
// the deployment search: the Serve and Search panels). The last two are imported only when a panel or a call needs
// them, so their loaders and .wasm are separate files the first load never
// fetches. The lab (kernels, measured runs) loads in the run worker.
import createLlmSpacetime from '../generated/llm_spacetime.mjs';
import { createApi, createFirstApi, createFormsApi } from '../../lib/api.js';

let firstApiPromise;
let formsApiPromise;
let apiPromise;

/**
 * The first-load API (createFirstApi: presets, model closed forms, config.json import), loaded once;
 * when the page already asked for the closed forms or the calculator (opened on another panel),
 * that API instead, whose model functions are the same: no second module for the Model panel.
 */
export function getFirstApi() {
  firstApiPromise ??= formsApiPromise ?? apiPromise ?? createLlmSpacetime().then(createFirstApi);
  return firstApiPromise;
}

/** The closed-forms API (createFormsApi: every closed form, presets, explain views), loaded on the first call. */
export function getFormsApi() {
  formsApiPromise ??= import('../generated/llm_spacetime_forms.mjs')
    .then(({ default: create }) => create()).then(createFormsApi);
  return formsApiPromise;
}

/** The whole calculator's JS API (the simulators included), loaded on the first call and shared by every panel. */
export function getApi() {
  apiPromise ??= import('../generated/llm_spacetime_calculator.mjs')
    .then(({ default: create }) => create()).then((Module) => createApi(Module));
  return apiPromise;
}
