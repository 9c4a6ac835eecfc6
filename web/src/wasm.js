// The page's loaders of the WASM modules (main thread). Vite bundles each
// .wasm next to its generated loader, which finds it via import.meta.url.
//
// Two modules on the main thread (issue 16, item 1): the first-load module
// (llm_spacetime: the model closed forms and the presets), which the app shell,
// the Model panel and the llm-model element load before the first number
// shows; and the calculator (llm_spacetime_calculator: every closed form,
// explain views, roofline, plan, serving, search), imported only when a panel
// or a call needs it, so its loader and .wasm are separate files the first
// load never fetches. The lab (kernels, measured runs) loads in the run worker.
import createLlmSpacetime from '../generated/llm_spacetime.mjs';
import { createApi, createFirstApi } from '../../lib/api.js';

let firstApiPromise;
let apiPromise;

/** The first-load API (createFirstApi: presets, model closed forms, config.json import), loaded once. */
export function getFirstApi() {
  firstApiPromise ??= createLlmSpacetime().then(createFirstApi);
  return firstApiPromise;
}

/** The whole calculator's JS API, loaded on the first call and shared by every panel. */
export function getApi() {
  apiPromise ??= import('../generated/llm_spacetime_calculator.mjs')
    .then(({ default: create }) => create()).then((Module) => createApi(Module));
  return apiPromise;
}
