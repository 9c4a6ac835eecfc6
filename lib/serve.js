// Serving simulator (src/serve, docs/serve.md): one run, a sweep over rates,
// and the highest rate that meets an SLO. The input is flat and snake_case,
// mirroring the CLI's `serve` flags; the core checks every value.
import { InputError, describe, mergeChecked, plainInput, toPlain, unwrap } from './convert.js';
import { workloadResolvers } from './roofline.js';

// Fields of the C++ ServeConfig the JS input does not take by that name:
// the workload (model, hardware, gpus, parallelism, pipeline_stages, weights, kv_dtype are
// given flat), the draft (spec_draft: a preset id or a model) and the test-only
// invariant check.
const internalFields = ['workload', 'spec_draft', 'draft_model', 'draft_weights_dtype', 'check_invariants'];

/**
 * The converter from the JS input to the core's ServeConfig, with the core's
 * defaults: { defaults, toConfig(input) }. Shared by the serve functions and estimateRun.
 */
export function serveInputs(Module) {
  const { fieldDefaults, resolveModel, resolveHardware } = workloadResolvers(Module);
  const core = toPlain(Module.serveDefaults());
  const serveFields = Object.fromEntries(Object.entries(core).filter(([key]) => !internalFields.includes(key)));
  // The flat input's defaults: the workload fields serve reads, then the simulation's.
  const defaults = Object.freeze({
    gpus: fieldDefaults.gpus,
    parallelism: fieldDefaults.parallelism,
    pipeline_stages: fieldDefaults.pipeline_stages,
    weights: fieldDefaults.weights_dtype,
    kv_dtype: fieldDefaults.kv_dtype,
    ...serveFields,
  });

  function toConfig(input) {
    const { model, hardware, spec_draft: draft, ...fields } = plainInput(input, 'serve input', 'input');
    const merged = mergeChecked(defaults, fields, 'serve input');
    refuseUnread(fields, merged, draft);
    const { gpus, parallelism, pipeline_stages: pipelineStages, weights, kv_dtype: kvDtype, ...simulation } = merged;
    const workload = { ...fieldDefaults, gpus, parallelism, pipeline_stages: pipelineStages, weights_dtype: weights, kv_dtype: kvDtype,
      model: resolveModel(model), hardware: resolveHardware(hardware) };
    const config = { ...core, ...simulation, workload, spec_draft: draft !== undefined && draft !== null };
    if (config.spec_draft) {
      if (typeof draft !== 'string' && (typeof draft !== 'object' || Array.isArray(draft))) {
        throw new InputError('spec_draft', `spec_draft must be a model preset id or a config object (got ${describe(draft)})`);
      }
      config.draft_model = resolveModel(draft, 'spec_draft');
    }
    return config;
  }

  return { defaults, toConfig };
}

// Fields that only some settings read: given under another, they would be read
// and ignored, so they are refused naming the field (the core cannot tell a
// default from a value given). [field, the setting that reads it, reads it?]
const readOnlyUnder = [
  ['rate', 'arrival = poisson or gamma', (c) => c.arrival === 'poisson' || c.arrival === 'gamma'],
  ['arrival_cv', 'arrival = gamma', (c) => c.arrival === 'gamma'],
  ['users', 'arrival = closed', (c) => c.arrival === 'closed'],
  ['ramp_s', 'arrival = closed', (c) => c.arrival === 'closed'],
  ['requests', 'arrivals that are drawn (a trace sends its own lines)', (c) => c.arrival !== 'trace'],
  ['prompt_dist', 'drawn lengths (a trace gives its own)', (c) => c.arrival !== 'trace'],
  ['output_dist', 'drawn lengths (a trace gives its own)', (c) => c.arrival !== 'trace'],
  ['chunk_tokens', 'scheduler = continuous or chunked', (c) => c.scheduler !== 'static'],
  ['watermark', 'scheduler = continuous or chunked', (c) => c.scheduler !== 'static'],
  ['preemption', 'scheduler = continuous or chunked', (c) => c.scheduler !== 'static'],
  ['spec_gamma', 'speculative decoding (spec_draft or spec_mtp)', (c, draft) => c.spec_mtp || (draft !== undefined && draft !== null)],
  ['spec_accept', 'speculative decoding (spec_draft or spec_mtp)', (c, draft) => c.spec_mtp || (draft !== undefined && draft !== null)],
  ['prefix_tokens', 'prefix_share > 0 or a trace with prefix ids', (c) => c.prefix_share > 0 || c.arrival === 'trace'],
];

function refuseUnread(given, merged, draft) {
  for (const [field, setting, reads] of readOnlyUnder) {
    if (given[field] === undefined || reads(merged, draft)) continue;
    const value = typeof given[field] === 'string' ? `"${given[field]}"` : given[field];
    throw new InputError(field, `${field} = ${value} applies only with ${setting}; it would be ignored here`);
  }
}

// The core names the workload's format field weights_dtype; the input calls it weights.
function named(run) {
  try {
    return run();
  } catch (error) {
    if (error instanceof InputError && error.field === 'weights_dtype') {
      throw new InputError('weights', error.message.replace(/^weights_dtype/, 'weights'));
    }
    throw error;
  }
}

const progressOf = (onProgress) => {
  if (onProgress !== undefined && typeof onProgress !== 'function') {
    throw new InputError('onProgress', `onProgress must be a function (got ${describe(onProgress)})`);
  }
  return onProgress ?? (() => {});
};

export function serveApi(Module) {
  const { defaults, toConfig } = serveInputs(Module);
  const run = (config) => named(() => unwrap(Module.serve(config)));

  return {
    /** The defaults of every serve input field (the model, hardware and spec_draft are given by preset id or object). */
    serveDefaults: () => ({ ...defaults }),

    /** One simulation: latencies, throughput, goodput, KV, prefix cache, speculation, Little's law, series. */
    serve(input, onProgress) {
      const report = progressOf(onProgress);
      const result = run(toConfig(input));
      report({ done: 1, total: 1 });
      return result;
    },

    /** One simulation per rate (requests/s), the same seed each: the latency and goodput curves. */
    serveSweep(input, rates, onProgress) {
      const report = progressOf(onProgress);
      if (!Array.isArray(rates) || !rates.length) {
        throw new InputError('rates', `rates must be a non-empty array of requests/s (got ${describe(rates)})`);
      }
      rates.forEach((rate, i) => {
        if (typeof rate !== 'number') throw new InputError(`rates[${i}]`, `rates[${i}] must be a number (got ${describe(rate)})`);
      });
      const given = plainInput(input, 'serve input', 'input');
      if (given.rate !== undefined) {
        throw new InputError('rate', `rate = ${describe(given.rate) === 'number' ? given.rate : describe(given.rate)}: a sweep takes its rates from \`rates\`; give one or the other`);
      }
      const config = toConfig(given);
      if (config.arrival !== 'poisson' && config.arrival !== 'gamma') {
        throw new InputError('arrival', `arrival = "${config.arrival}": a sweep over rates needs arrivals at a rate (poisson or gamma)`);
      }
      return rates.map((rate, i) => {
        const result = named(() => {
          try {
            return run({ ...config, rate });
          } catch (error) {
            if (error instanceof InputError && error.field === 'rate') throw new InputError(`rates[${i}]`, `rates[${i}]: ${error.message}`);
            throw error;
          }
        });
        report({ done: i + 1, total: rates.length });
        return {
          rate, ttft_s: result.ttft_s, tpot_s: result.tpot_s, e2e_s: result.e2e_s, throughput: result.throughput,
          goodput_requests_per_s: result.goodput_requests_per_s, slo_attainment: result.slo_attainment,
          completed: result.completed, rejected: result.rejected,
        };
      });
    },

    /** The highest rate whose run has slo_attainment of its requests within the SLO (bisection in the core). */
    serveMaxRate(input) {
      const found = named(() => unwrap(Module.serveMaxRate(toConfig(input))));
      delete found.result.status;
      return found;
    },
  };
}

/** estimateRun's serve methods: [method, runs of the simulation it starts]. */
export const serveRuns = { serve: 1, serveSweep: null, serveMaxRate: 48 };

/** The work estimate of `method` (serve, serveSweep with input.rates, serveMaxRate). */
export function estimateServe(Module, inputs, method, input) {
  let given = input;
  let runs = serveRuns[method];
  if (method === 'serveSweep') {
    const { rates, ...rest } = plainInput(input, 'serve input', 'input');
    if (!Array.isArray(rates)) throw new InputError('rates', `rates must be an array of requests/s (got ${describe(rates)})`);
    runs = Math.max(1, rates.length);
    given = rest;
  }
  return named(() => unwrap(Module.estimateServe(inputs.toConfig(given), runs)));
}
