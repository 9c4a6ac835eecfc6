// Loads the WASM modules under Node (the CLI, the node:test suite, scripts).
// Debian's Emscripten 3.1.6 loader tries fetch() on a file path under Node 18+,
// so each binary is read from disk and handed over as wasmBinary.
//
// Node loads the calculator (every closed form) at load; the lab (kernels,
// measured runs) only on the first measured call, synchronously, so the API
// keeps its synchronous functions. The first-load module (issue 16: presets and
// the model closed forms, what a page fetches first) and the closed-forms module
// (every closed form and explain view, what a page's other calculating panels
// fetch) are for pages: Node reads the whole calculator from disk instead, and
// loads those only when asked by name (module: 'first' or 'forms', for
// createFirstApi, createFormsApi and the tests).
import { existsSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

import { attachLab, createApi } from './api.js';

const generatedDir = join(dirname(fileURLToPath(import.meta.url)), '..', 'web', 'generated');

// The calculator and the first-load module have one build; the lab a SIMD
// build and a scalar one (the benchmarks' scalar column).
const fileName = (module, variant) => {
  if (module === 'calculator') return 'llm_spacetime_calculator';
  if (module === 'first') return 'llm_spacetime';
  if (module === 'forms') return 'llm_spacetime_forms';
  if (module === 'lab') return variant === 'scalar' ? 'llm_spacetime_lab_scalar' : 'llm_spacetime_lab';
  throw new Error(`module must be 'calculator', 'first', 'forms' or 'lab' (got ${JSON.stringify(module)})`);
};

const missing = (name) => new Error(`${name}.wasm not found in ${generatedDir}: run "npm run build:wasm"` +
  `${name.endsWith('_scalar') ? ' and "bash scripts/build-wasm.sh scalar"' : ''} first`);

async function importFactory(name) {
  // The EXPORT_ES6 loader reads __dirname under Node.
  globalThis.__dirname ??= generatedDir;
  const { default: factory } = await import(pathToFileURL(join(generatedDir, `${name}.mjs`)).href);
  return factory;
}

// Instantiates a module now, not on a later tick: Emscripten's loader takes the
// instance from instantiateWasm and starts the runtime before the factory returns.
function instantiateNow(factory, name) {
  let wasmBinary;
  try {
    wasmBinary = readFileSync(join(generatedDir, `${name}.wasm`));
  } catch {
    throw missing(name);
  }
  const Module = {
    wasmBinary,
    instantiateWasm(imports, receiveInstance) {
      const compiled = new WebAssembly.Module(wasmBinary);
      const instance = new WebAssembly.Instance(compiled, imports);
      receiveInstance(instance, compiled);
      return instance.exports;
    },
  };
  factory(Module);  // MODULARIZE: the object passed in becomes the module
  if (!Module.calledRun) throw new Error(`${name} did not start synchronously`);
  return Module;
}

/**
 * Instantiates a raw Emscripten module. `module`: 'calculator' (default; the
 * lab is attached, loaded on the first measured call, so createApi(Module) has
 * every function), 'first' (the first-load module, for createFirstApi),
 * 'forms' (the closed-forms module, for createFormsApi) or
 * 'lab' (the kernels alone, e.g. for benchmarks).
 * `variant`: the lab's build, 'simd' (default) or 'scalar'.
 */
export async function loadModule({ variant = 'simd', module = 'calculator' } = {}) {
  if (variant !== 'simd' && variant !== 'scalar') throw new Error(`variant must be 'simd' or 'scalar' (got ${JSON.stringify(variant)})`);
  const labName = fileName('lab', variant);
  if (module === 'lab') return instantiateNow(await importFactory(labName).catch(() => { throw missing(labName); }), labName);
  const name = fileName(module, variant);
  let wasmBinary;
  try {
    wasmBinary = await readFile(join(generatedDir, `${name}.wasm`));
  } catch {
    throw missing(name);
  }
  const calculator = await (await importFactory(name))({ wasmBinary });
  if (module === 'first' || module === 'forms') return calculator;
  // The lab's loader script is small: imported now (an import cannot wait for a
  // synchronous call); its WASM is read and compiled on the first measured call.
  const labFactory = await importFactory(labName).catch(() => null);
  // Asked for by name, the scalar lab must be there now (benchmarks skip its column when it is not).
  if (variant === 'scalar' && !(labFactory && existsSync(join(generatedDir, `${labName}.wasm`)))) throw missing(labName);
  return attachLab(calculator, () => {
    if (!labFactory) throw missing(labName);
    return instantiateNow(labFactory, labName);
  });
}

/** The public API, ready to call: `const api = await loadLlmSpacetime()`. */
export async function loadLlmSpacetime(options) {
  return createApi(await loadModule(options));
}
