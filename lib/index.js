export { loadLlmSpacetime, loadModule } from './node.js';
export { createApi, InputError } from './api.js';
