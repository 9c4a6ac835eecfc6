export { loadLlmSpacetime, loadModule } from './node.js';
export { createApi, InputError } from './api.js';
export { quantReferenceErrors } from './quant.js';
