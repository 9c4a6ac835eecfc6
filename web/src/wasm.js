// The page's only loader of the WASM module (main thread). Vite bundles the
// .wasm next to the generated loader, which finds it via import.meta.url.
import createLlmSpacetime from '../generated/llm_spacetime.mjs';
import { createApi } from '../../lib/api.js';

let apiPromise;

/** The JS API, loaded once and shared by every panel. */
export function getApi() {
  apiPromise ??= createLlmSpacetime().then(createApi);
  return apiPromise;
}
