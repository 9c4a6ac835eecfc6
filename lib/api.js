// The JS API over the WASM module: plain objects in, plain objects out.
// Each area adds its functions in lib/<area>.js; this file composes them.
import { coreApi } from './core.js';
import { modelApi } from './model.js';
import { memoryApi } from './memory.js';
import { attentionApi } from './attention.js';
import { quantApi } from './quant.js';
import { rooflineApi } from './roofline.js';
import { explainApi } from './explain.js';
import { workApi } from './work.js';
import { serveApi } from './serve.js';

export { InputError } from './convert.js';

/** Wraps an instantiated Emscripten module in the public API. */
export function createApi(Module) {
  return Object.freeze({
    ...coreApi(Module),
    ...modelApi(Module),
    ...memoryApi(Module),
    ...attentionApi(Module),
    ...quantApi(Module),
    ...rooflineApi(Module),
    ...explainApi(Module),
    ...workApi(Module),
    ...serveApi(Module),
  });
}
