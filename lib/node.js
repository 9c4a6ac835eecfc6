// Loads the WASM module under Node (the CLI, the node:test suite, scripts).
// Debian's Emscripten 3.1.6 loader tries fetch() on a file path under Node 18+,
// so the binary is read from disk and handed over as wasmBinary.
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

import { createApi } from './api.js';

const generatedDir = join(dirname(fileURLToPath(import.meta.url)), '..', 'web', 'generated');

/** Instantiates the raw Emscripten module; `variant` 'simd' (default) or 'scalar'. */
export async function loadModule({ variant = 'simd' } = {}) {
  const name = variant === 'scalar' ? 'llm_spacetime_scalar' : 'llm_spacetime';
  const jsPath = join(generatedDir, `${name}.mjs`);
  let wasmBinary;
  try {
    wasmBinary = await readFile(join(generatedDir, `${name}.wasm`));
  } catch {
    throw new Error(`${name}.wasm not found in ${generatedDir}: run "npm run build:wasm" first`);
  }
  // The EXPORT_ES6 loader reads __dirname under Node.
  globalThis.__dirname ??= generatedDir;
  const { default: factory } = await import(pathToFileURL(jsPath).href);
  return factory({ wasmBinary });
}

/** The public API, ready to call: `const api = await loadLlmSpacetime()`. */
export async function loadLlmSpacetime(options) {
  return createApi(await loadModule(options));
}
