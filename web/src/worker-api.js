// Module loading inside a run worker (issue 16): a measured run (and
// attentionDefaults, quantRunDefaults and quantLabChunks, which a split run
// asks for) is answered by the lab
// module, loaded on the first one; anything else by the calculator, loaded
// only if asked. Each loads once per worker; Vite splits each loader
// (and its .wasm) into its own files, so a worker fetches only what it runs.
import { createApi, createLabApi, labAnswers } from '../../lib/api.js';

let labApi = null;
let calculatorApi = null;

/** The API that runs `method` in this worker (a promise; the module loads on first use). */
export function workerApiFor(method) {
  if (labAnswers.includes(method)) {
    labApi ??= import('../generated/llm_spacetime_lab.mjs').then(({ default: create }) => create()).then(createLabApi);
    return labApi;
  }
  calculatorApi ??= import('../generated/llm_spacetime_calculator.mjs').then(({ default: create }) => create()).then((Module) => createApi(Module));
  return calculatorApi;
}
