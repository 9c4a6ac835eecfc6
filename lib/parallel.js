// Measured runs split across workers, each with its own module instance (Web
// Workers on the page, worker_threads under Node): no SharedArrayBuffer, so it
// works on any static host. The core runs a slice (heads [head_begin,
// head_end) of runAttention, KV heads [kv_head_begin, kv_head_end) of
// runDecode, rows [row_begin, row_end) of quantGemv, chunks [chunk_begin,
// chunk_end) of quantLab) and draws exactly the data the whole run gives
// it, so the merged outputs are the single-worker run's bit for bit; this
// module splits, merges, and measures the speedup over one worker in the same
// run. A pool is { size, run(index, method, input) → Promise<result> }.
import { InputError } from './convert.js';
import { timingStats } from './timing.js';

/** Most workers a run may ask for. */
export const MAX_WORKERS = 256;

/** `workers` when it is a whole number from 1 to MAX_WORKERS, else an InputError naming `field`. */
export function checkWorkers(workers, field = 'workers') {
  if (!Number.isInteger(workers) || workers < 1 || workers > MAX_WORKERS) {
    throw new InputError(field, `${field} = ${workers} must be a whole number from 1 to ${MAX_WORKERS}`);
  }
  return workers;
}

/** [begin, end) ranges splitting `count` items into min(parts, count) contiguous runs, sizes differing by ≤ 1. */
export function splitRange(count, parts) {
  const used = Math.max(1, Math.min(parts, count));
  const ranges = [];
  for (let i = 0, begin = 0; i < used; i++) {
    const end = begin + Math.floor(count / used) + (i < count % used ? 1 : 0);
    ranges.push([begin, end]);
    begin = end;
  }
  return ranges;
}

const sum = (values) => values.reduce((a, b) => a + b, 0);

// runAttention by heads: every figure of a head comes from that head alone.
const attention = {
  defaults: (pool) => pool.run(0, 'attentionDefaults').then((all) => all.attention),
  defaultsOf: (api) => api.attentionDefaults().attention,
  units: (input) => input.heads,
  slice: (input, [begin, end]) => ({ ...input, head_begin: begin, head_end: end }),
  // Bit-identical: outputs (per-head hashes) and max |Δ| (a max over heads).
  // Summed over slices: FLOPs, bytes (every worker holds its own inputs and
  // workspace, so peak_bytes is their total). time is the slowest slice's
  // kernel time: the workers run at once, and the run ends with the slowest.
  merge(parts, input) {
    const flops = sum(parts.map((p) => p.flops));
    const inputBytes = sum(parts.map((p) => p.input_bytes));
    const variants = parts[0].variants.map((first, i) => {
      const each = parts.map((p) => p.variants[i]);
      const refused = each.find((v) => v.refused);
      if (refused) return { ...refused, head_output_hashes: [] };
      const slowest = each.reduce((a, b) => (b.time.median_s > a.time.median_s ? b : a));
      const seconds = slowest.time.median_s;
      return {
        ...first,
        bytes_needed: sum(each.map((v) => v.bytes_needed)),
        workspace_bytes: sum(each.map((v) => v.workspace_bytes)),
        peak_bytes: sum(each.map((v) => v.peak_bytes)),
        seconds,
        time: slowest.time,
        flops_per_s: seconds > 0 ? flops / seconds : 0,
        gflop_per_s: seconds > 0 ? flops / seconds / 1e9 : 0,
        max_abs_error: Math.max(...each.map((v) => v.max_abs_error)),
        head_output_hashes: each.flatMap((v) => v.head_output_hashes),
      };
    });
    return { ...parts[0], input, heads_run: sum(parts.map((p) => p.heads_run)), flops, input_bytes: inputBytes,
      intensity: flops / inputBytes, variants };
  },
  identical: (a, b) => a.variants.length === b.variants.length && a.variants.every((v, i) =>
    v.head_output_hashes.length === b.variants[i].head_output_hashes.length &&
    v.head_output_hashes.every((hash, h) => hash === b.variants[i].head_output_hashes[h])),
};

// runDecode by KV heads, each with its group of query heads (GQA and MQA
// groups stay whole): the projections, the cache and the attention of a KV
// head need no other head. Not with output_projection (Wo mixes every head:
// one worker). Every worker runs the whole token loop over its heads.
const decodeKvHeads = (input) => (input.kv_heads === 0 ? input.heads : input.kv_heads);
const decode = {
  defaults: (pool) => pool.run(0, 'attentionDefaults').then((all) => all.decode),
  defaultsOf: (api) => api.attentionDefaults().decode,
  units: (input) => (input.output_projection ? 1 : decodeKvHeads(input)),
  slice: (input, [begin, end]) => ({ ...input, kv_head_begin: begin, kv_head_end: end }),
  // Bit-identical: per-KV-head output hashes, the max |Δ| (maxima over
  // heads), and the cosines, summed from the slices' per-head terms in head
  // order as the core sums them. Summed: FLOPs, bytes (each worker holds its
  // own weights, cache and hidden states). Times are the slowest slice's.
  merge(parts, input) {
    const slowest = parts.reduce((a, b) => (b.time.median_s > a.time.median_s ? b : a));
    const steps = parts[0].measured_steps;
    let minCosine = 1, cosineSum = 0;
    for (let t = 0; t < steps; t++) {
      let dot = 0, normRef = 0, normOut = 0;
      for (const part of parts) {
        for (let g = 0; g < part.kv_heads_run; g++) {
          const at = (t * part.kv_heads_run + g) * 3;
          dot += part.cosine_terms[at];
          normRef += part.cosine_terms[at + 1];
          normOut += part.cosine_terms[at + 2];
        }
      }
      const cosine = normRef > 0 && normOut > 0 ? dot / Math.sqrt(normRef * normOut) : 1;
      minCosine = Math.min(minCosine, cosine);
      cosineSum += cosine;
    }
    const summed = (field) => sum(parts.map((p) => p[field]));
    const flopsByPart = Object.fromEntries(Object.keys(parts[0].flops_by_part)
      .map((key) => [key, sum(parts.map((p) => p.flops_by_part[key]))]));
    return {
      ...parts[0], input,
      seconds: slowest.seconds, time: slowest.time, time_split_s: slowest.time_split_s, step_time: slowest.step_time,
      tokens_per_s: slowest.tokens_per_s,
      kv_bytes: summed('kv_bytes'), hidden_bytes: summed('hidden_bytes'), weights_bytes: summed('weights_bytes'),
      peak_bytes: summed('peak_bytes'), recomputed_flops: summed('recomputed_flops'),
      flops_per_step: summed('flops_per_step'), flops_by_part: flopsByPart,
      max_abs_error: Math.max(...parts.map((p) => p.max_abs_error)),
      mask_check_max_abs: Math.max(...parts.map((p) => p.mask_check_max_abs)),
      min_cosine: minCosine, mean_cosine: steps > 0 ? cosineSum / steps : 1,
      kv_heads_run: summed('kv_heads_run'), kv_head_output_hashes: parts.flatMap((p) => p.kv_head_output_hashes),
      cosine_terms: [],
    };
  },
  identical: (a, b) => a.kv_head_output_hashes.length === b.kv_head_output_hashes.length &&
    a.kv_head_output_hashes.every((hash, g) => hash === b.kv_head_output_hashes[g]) &&
    ['max_abs_error', 'mask_check_max_abs', 'min_cosine', 'mean_cosine'].every((field) => a[field] === b[field]),
};

const slowestOf = (items, seconds) => items.reduce((a, b) => (seconds(b) > seconds(a) ? b : a));

// quantGemv by rows: a row of y needs its row of W and the whole x. Every
// worker times its rows in batches sized to min_time_s, so the split run's
// wall time does not shrink with the rows the way its per-call time does:
// kernel_speedups (per-call, one worker ÷ N) is the figure for the kernels.
const gemv = {
  defaults: (pool) => pool.run(0, 'quantRunDefaults').then((all) => all.gemv),
  defaultsOf: (api) => api.quantDefaults().gemv,
  units: (input) => input.rows,
  slice: (input, [begin, end]) => ({ ...input, row_begin: begin, row_end: end }),
  // Bit-identical: max |Δ| (a max), rel_rmse and cosine (their per-row terms
  // summed in row order, as the core sums them), the output hash (XOR over
  // rows). Summed: bytes. Per call: the slowest slice's time (the workers run
  // at once; a call of the whole matrix ends with its slowest rows).
  merge(parts) {
    const kernels = parts[0].kernels.map((first, k) => {
      const each = parts.map((p) => p.kernels[k]);
      const slowest = slowestOf(each, (kernel) => kernel.time.median_s);
      let noise = 0, signal = 0, dot = 0, normY = 0;
      for (const kernel of each) {
        for (let i = 0; i < kernel.error_terms.length; i += 4) {
          noise += kernel.error_terms[i];
          signal += kernel.error_terms[i + 1];
          dot += kernel.error_terms[i + 2];
          normY += kernel.error_terms[i + 3];
        }
      }
      const weightBytes = sum(each.map((kernel) => kernel.weight_bytes));
      const flops = sum(each.map((kernel) => kernel.flops));
      const seconds = slowest.seconds_per_call;
      return {
        ...first, weight_bytes: weightBytes, bits_per_weight: weightBytes * 8 / (flops / 2), flops,
        intensity: flops / weightBytes, seconds_per_call: seconds, time: slowest.time, calls: slowest.calls,
        gb_per_s: weightBytes / seconds / 1e9, flops_per_s: seconds > 0 ? flops / seconds : 0,
        max_abs_error: Math.max(...each.map((kernel) => kernel.max_abs_error)),
        rel_rmse: signal > 0 ? Math.sqrt(noise / signal) : 0,
        cosine: signal > 0 && normY > 0 ? dot / Math.sqrt(signal * normY) : 1,
        output_hash: each.reduce((hash, kernel) => (hash ^ kernel.output_hash) >>> 0, 0), error_terms: [],
      };
    });
    return { ...parts[0], rows_run: sum(parts.map((p) => p.rows_run)),
      bytes_needed: sum(parts.map((p) => p.bytes_needed)), kernels };
  },
  identical: (a, b) => a.kernels.length === b.kernels.length && a.kernels.every((kernel, k) =>
    ['output_hash', 'max_abs_error', 'rel_rmse', 'cosine'].every((field) => kernel[field] === b.kernels[k][field])),
  kernelSeconds: (result) => Object.fromEntries(result.kernels.map((kernel) => [kernel.kernel, kernel.seconds_per_call])),
};

// quantLab by chunks of 65,536 values (the core's kQuantLabChunkValues): a
// chunk's codes and scales need no other chunk, except where a scale reaches
// across (per-tensor, NVFP4, double quantization): then one worker
// (quantLabChunks says how many chunks).
const labSumFields = ['count', 'nonfinite', 'signal', 'noise', 'dot', 'reconstructed_norm', 'abs_sum', 'max_abs_error'];
const lab = {
  defaults: (pool) => pool.run(0, 'quantRunDefaults').then((all) => all.lab),
  defaultsOf: (api) => api.quantDefaults().lab,
  units: (input, call) => call('quantLabChunks', input),
  slice: (input, [begin, end]) => ({ ...input, chunk_begin: begin, chunk_end: end }),
  // Bit-identical: the restored values (per-chunk hashes) and every metric,
  // from the chunks' error sums added in chunk order as the core adds them
  // (quant/metrics.cpp, metrics_from_sums). Not the histogram: its bins span
  // ± the whole tensor's max |error|, which no slice knows; each slice's bins
  // (over its own max) are re-binned by their centres, so a count may land one
  // bin off. Summed: bytes. The pass time is the slowest slice's.
  merge(parts) {
    const s = Object.fromEntries(labSumFields.map((field) => [field, 0]));
    for (const part of parts) {
      for (let i = 0; i < part.chunk_sums.length; i += 8) {
        labSumFields.forEach((field, f) => {
          s[field] = field === 'max_abs_error' ? Math.max(s[field], part.chunk_sums[i + f]) : s[field] + part.chunk_sums[i + f];
        });
      }
    }
    const slowest = slowestOf(parts, (part) => part.quantize_time.median_s);
    const metrics = s.count === 0 ? { rmse: 0, mean_abs_error: 0, rel_rmse: 0, snr_db: 0, cosine: 0 } : {
      rmse: Math.sqrt(s.noise / s.count),
      mean_abs_error: s.abs_sum / s.count,
      rel_rmse: s.signal > 0 ? Math.sqrt(s.noise / s.signal) : (s.noise > 0 ? Infinity : 0),
      snr_db: s.noise > 0 ? 10 * Math.log10(s.signal / s.noise) : Infinity,
      cosine: s.signal > 0 && s.reconstructed_norm > 0 ? s.dot / Math.sqrt(s.signal * s.reconstructed_norm)
        : s.signal === s.reconstructed_norm ? 1 : 0,
    };
    return {
      ...parts[0], ...metrics, max_abs_error: s.max_abs_error, nonfinite_inputs: s.nonfinite,
      ...rebinned(parts, s.max_abs_error),
      quantize_s: slowest.quantize_s, quantize_time: slowest.quantize_time,
      bytes_needed: sum(parts.map((p) => p.bytes_needed)), chunks_run: sum(parts.map((p) => p.chunks_run)),
      chunk_hashes: parts.flatMap((p) => p.chunk_hashes), chunk_sums: [],
    };
  },
  identical: (a, b) => a.chunk_hashes.length === b.chunk_hashes.length &&
    a.chunk_hashes.every((hash, c) => hash === b.chunk_hashes[c]) &&
    ['rel_rmse', 'snr_db', 'cosine', 'rmse', 'max_abs_error', 'mean_abs_error', 'nonfinite_inputs']
      .every((field) => a[field] === b[field]),
};

// The slices' histograms over ± the whole tensor's max |error| (edges as the
// core draws them), each slice bin counted at its centre.
function rebinned(parts, maxAbsError) {
  const bins = parts[0].histogram_counts.length;
  if (bins === 0) return { histogram_edges: [], histogram_counts: [] };
  const half = maxAbsError > 0 ? maxAbsError : 1;
  const edges = Array.from({ length: bins + 1 }, (_, b) => -half + 2 * half * b / bins);
  const counts = new Array(bins).fill(0);
  for (const part of parts) {
    part.histogram_counts.forEach((count, b) => {
      const centre = (part.histogram_edges[b] + part.histogram_edges[b + 1]) / 2;
      counts[Math.min(bins - 1, Math.floor(Math.max(0, (centre + half) / (2 * half) * bins)))] += count;
    });
  }
  return { histogram_edges: edges, histogram_counts: counts };
}

/** The API methods a run can be split for, with how. */
export const parallelMethods = { runAttention: attention, runDecode: decode, quantGemv: gemv, quantLab: lab };

/** True when `method` can run split across workers. */
export const canRunParallel = (method) => Object.hasOwn(parallelMethods, method);

const now = () => globalThis.performance.now() / 1e3;

/**
 * The work of a split run in ordinary runs of `input`, for an estimate: with
 * `compare`, (runs + 1) one-worker runs and as many split ones, (runs + 1)(1
 * + 1/N); without it, 1 (the split run's work on one core). `api`: a loaded
 * API, for the defaults.
 */
export function parallelWorkFactor(api, method, input, { workers = 1, compare = false } = {}) {
  const how = parallelMethods[method];
  if (!how || !compare || !(workers > 1)) return 1;
  const resolved = { ...how.defaultsOf(api), ...definedFields(input) };
  const used = usedOrAll(() => workersUsed(api, method, input, workers), workers);
  return used > 1 && Number.isInteger(resolved.runs) ? (resolved.runs + 1) * (1 + 1 / used) : 1;
}

// The page's main thread has no lab module, which quantLab's units need
// (quantLabChunks): its estimate then assumes every worker is used.
function usedOrAll(used, workers) {
  try {
    return used();
  } catch {
    return workers;
  }
}

/**
 * The workers a split run of `input` uses out of `workers`: at most one per
 * unit (head, KV head), 1 for a method that does not split or an input the
 * core will refuse. `api`: a loaded API, for the defaults.
 */
export function workersUsed(api, method, input, workers) {
  const how = parallelMethods[method];
  if (!how || !(workers > 1)) return 1;
  const units = how.units({ ...how.defaultsOf(api), ...definedFields(input) }, (name, args) => api[name](args));
  return Number.isInteger(units) && units > 0 ? splitRange(units, workers).length : 1;
}

const definedFields = (input) => Object.fromEntries(Object.entries(input ?? {}).filter(([, value]) => value !== undefined));

/**
 * Runs api[method](input) split across `workers` workers of `pool` and
 * returns the merged result with `parallel`: { workers (used: at most one per
 * head), speedup, efficiency, time, single_time, identical_outputs }.
 *
 * `compare` (default true): the same run also measures one worker. One
 * untimed run of each (one worker, then all: the warm-up), then `runs` (the
 * input's) timed pairs, each timed from dispatch to its last result (its
 * whole wall time: data, reference, warm-up and timed passes). speedup = the
 * one-worker median ÷ the N-worker median; efficiency = speedup ÷ N;
 * identical_outputs: the merged outputs equal the one-worker run's bit for
 * bit; pair_speedups: each timed pair's one-worker ÷ N-worker time (their
 * spread is the speedup's); kernel_speedups (quantGemv only): per kernel,
 * the median over the pairs of the one-worker ÷ N-worker time per call. Without `compare`, the split run runs once: time is its one wall
 * time, and speedup, efficiency, single_time and identical_outputs are null.
 * With one worker used, the result is one ordinary run (speedup 1, times
 * null). `onProgress({done, total})` follows the runs.
 */
export async function runParallel(pool, method, input, { workers = pool.size, compare = true, onProgress } = {}) {
  const how = parallelMethods[method];
  if (!how) throw new Error(`${method} cannot run split across workers`);
  const resolved = { ...(await how.defaults(pool)), ...definedFields(input) };
  const units = await how.units(resolved, (name, args) => pool.run(0, name, args));
  const ranges = Number.isInteger(units) && units > 0 ? splitRange(units, Math.min(workers, pool.size)) : [];
  if (ranges.length <= 1) {  // one worker, or an input the core will refuse by name
    const result = await pool.run(0, method, input);
    onProgress?.({ done: 1, total: 1 });
    return { ...result, parallel: { workers: 1, speedup: 1, efficiency: 1, time: null, single_time: null,
      identical_outputs: true, pair_speedups: [] } };
  }
  const split = async () => {
    const parts = await Promise.all(ranges.map((range, i) => pool.run(i, method, how.slice(resolved, range))));
    return how.merge(parts, { ...(parts[0].input ?? resolved), ...how.slice({}, [0, 0]) });
  };
  if (!compare) {
    const start = now();
    const merged = await split();
    const time = timingStats([now() - start]);
    onProgress?.({ done: 1, total: 1 });
    return { ...merged, parallel: { workers: ranges.length, speedup: null, efficiency: null, time, single_time: null,
      identical_outputs: null, pair_speedups: [] } };
  }
  // The one-worker run first: a bad input is its InputError, before anything is split.
  const single = await pool.run(0, method, input);
  const runs = (single.input ?? resolved).runs;
  const total = 2 + 2 * runs;
  let done = 1;
  onProgress?.({ done, total });
  let merged = await split();  // warm-up
  onProgress?.({ done: ++done, total });
  const singleSeconds = [], splitSeconds = [], kernelPairs = [];
  for (let r = 0; r < runs; r++) {
    let start = now();
    const one = await pool.run(0, method, input);
    singleSeconds.push(now() - start);
    onProgress?.({ done: ++done, total });
    start = now();
    merged = await split();
    splitSeconds.push(now() - start);
    onProgress?.({ done: ++done, total });
    if (how.kernelSeconds) kernelPairs.push([how.kernelSeconds(one), how.kernelSeconds(merged)]);
  }
  const time = timingStats(splitSeconds), singleTime = timingStats(singleSeconds);
  const speedup = time.median_s > 0 ? singleTime.median_s / time.median_s : 0;
  return { ...merged, parallel: { workers: ranges.length, speedup, efficiency: speedup / ranges.length, time,
    single_time: singleTime, identical_outputs: how.identical(merged, single),
    pair_speedups: singleSeconds.map((seconds, r) => seconds / splitSeconds[r]),
    ...(how.kernelSeconds ? { kernel_speedups: kernelSpeedups(kernelPairs) } : {}) } };
}

// Per kernel, the median over the pairs of its one-worker ÷ N-worker time per call.
function kernelSpeedups(pairs) {
  return Object.fromEntries(Object.keys(pairs[0]?.[0] ?? {}).map((kernel) =>
    [kernel, timingStats(pairs.map(([one, split]) => one[kernel] / split[kernel])).median_s]));
}
