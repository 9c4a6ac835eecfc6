// Public JS API of llm-spacetime (hand-written; checked by `npm run typecheck`).
// Functions are camelCase; result fields are snake_case and match the CLI's JSON.
// Each area's types live in lib/<area>.d.ts beside lib/<area>.js.
import type { ModelApi } from './model.js';
import type { MemoryApi } from './memory.js';
import type { AttentionApi } from './attention.js';
import type { QuantApi } from './quant.js';
import type { RooflineApi } from './roofline.js';
import type { ExplainApi } from './explain.js';
import type { WorkApi } from './work.js';
import type { ServeApi } from './serve.js';
import type { SearchApi } from './search.js';

export type * from './model.js';
export type * from './memory.js';
export type * from './attention.js';
export type * from './quant.js';
export type * from './roofline.js';
export type * from './explain.js';
export type * from './work.js';
export type * from './serve.js';
export type * from './search.js';
export { quantReferenceErrors } from './quant.js';
export { canRunParallel, checkWorkers, createNodePool, defaultWorkers, parallelWorkFactor, runParallel, splitRange, workersUsed } from './parallel.js';
export type { NodeWorkerPool, ParallelStats, WorkerPool } from './parallel.js';
export { compareTimings, formatSeconds, formatTiming, isNoisy, NOISY_SPREAD, relativeSpread, scaleTiming, timingStats } from './timing.js';
export type { TimingComparison } from './timing.js';

/** A bad input: `field` names it, `message` says what was wrong with its value. */
export declare class InputError extends Error {
  readonly field: string;
  constructor(field: string, message: string);
}

export interface DtypeInfo {
  id: string;
  label: string;
  bits: number;
}

export interface CoreApi {
  /** fp32, fp16, bf16, fp8, int8, int4 with their storage bits. */
  plainDtypes(): DtypeInfo[];
}

/** What `createFirstApi()` returns: the core and model areas (the first-load module's functions). */
export interface LlmSpacetimeFirst extends CoreApi, ModelApi {}

/**
 * What `createFormsApi()` returns: every closed form, the presets, the explain
 * views and the measured runs' estimates (the closed-forms module's functions);
 * no simulator (serve, search; estimateRun refuses the serving runs) or measured run.
 */
export interface LlmSpacetimeForms extends CoreApi, ModelApi, MemoryApi, WorkApi,
  Omit<AttentionApi, 'runAttention' | 'runDecode' | 'seedExperiment'>,
  Omit<QuantApi, 'quantLab' | 'quantGemv' | 'quantBench'>,
  Omit<RooflineApi, 'measureMachine' | 'measureCacheSweep'>, ExplainApi {}

/** Everything `loadLlmSpacetime()` returns: one object, every area's functions. */
export interface LlmSpacetime extends CoreApi, ModelApi, MemoryApi, AttentionApi, QuantApi, RooflineApi, ExplainApi, WorkApi, ServeApi, SearchApi {}

export interface LoadOptions {
  /** The lab module's build: 'simd' (default) or 'scalar' (the benchmark build without -msimd128). */
  variant?: 'simd' | 'scalar';
  /**
   * loadModule only: 'calculator' (default; every closed form and the simulators, with the
   * lab attached and loaded on the first measured run), 'first' (the first-load module:
   * presets and the model closed forms, for createFirstApi), 'forms' (the closed-forms
   * module: every closed form, presets and explain views, for createFormsApi) or 'lab'
   * (kernels and measured runs alone).
   */
  module?: 'calculator' | 'first' | 'forms' | 'lab';
}

/** Loads the calculator module under Node and returns the API; the lab module loads on the first measured run. */
export declare function loadLlmSpacetime(options?: LoadOptions): Promise<LlmSpacetime>;
/**
 * Wraps an already instantiated calculator module (e.g. in a browser). `lab`: the
 * instantiated lab module, or a function returning it (called on the first
 * measured run); without it, the measured runs throw unless the module came from loadModule.
 */
export declare function createApi(module: unknown, lab?: unknown): LlmSpacetime;
/**
 * Wraps an instantiated first-load module (llm_spacetime: what a page loads
 * first): the core and model areas, with the same functions as createApi's.
 */
export declare function createFirstApi(module: unknown): LlmSpacetimeFirst;
/**
 * Wraps an instantiated closed-forms module (llm_spacetime_forms: what a page's
 * calculating panels and explain views load): every closed form, the presets and
 * the explain views, with the same functions as createApi's.
 */
export declare function createFormsApi(module: unknown): LlmSpacetimeForms;
/** A raw Emscripten module (for benchmarks). */
export declare function loadModule(options?: LoadOptions): Promise<unknown>;
