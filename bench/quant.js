// Quantization benchmark: int8/int4 quantize and quantized GEMV, five ways in
// one run — WASM SIMD, WASM scalar (no -msimd128), native (-march=native),
// native SSE4.1 (128-bit, no FMA; built on demand by bench/native-builds.js),
// plain JS — with ratios. Not a test: it reports what it measured.
// Usage: npm run bench -- quant   (needs `bash scripts/build-wasm.sh`,
// `bash scripts/build-wasm.sh scalar` and, for the native column, `bash scripts/build-native.sh`)
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

import { loadLlmSpacetime } from '../lib/node.js';
import { compareTimings } from '../lib/timing.js';
import { timeJs } from './js-timing.js';
import { nativeDriver } from './native-builds.js';

const minTime = Number(process.env.BENCH_MIN_TIME ?? 0.2);
const runs = Number(process.env.BENCH_RUNS ?? 5);
const n = 1 << 20;
const group = 128;
// A decode-sized matrix streamed from memory (64 MB at fp32), and one that stays in cache (4 MB).
const gemvSizes = [4096, 1024];
const quantizeKernels = ['quantize_int8', 'quantize_int4', 'quantize_int8_asym', 'quantize_int4_asym', 'quantize_nf4', 'quantize_q4_1',
  'dequantize_int8', 'dequantize_nf4'];

// ---- plain JS: the same algorithms as src/quant/kernels.cpp ----

function quantizeSymJs(x, group, qmax, codes, scales) {
  for (let start = 0, g = 0; start < x.length; start += group, g++) {
    const end = Math.min(x.length, start + group);
    let absmax = 0;
    for (let i = start; i < end; i++) { const a = Math.abs(x[i]); if (a > absmax && a !== Infinity) absmax = a; }
    const scale = Math.fround(absmax / qmax);
    const inverse = scale > 0 ? 1 / scale : 0;
    scales[g] = scale;
    for (let i = start; i < end; i++) {
      const scaled = Math.min(qmax, Math.max(-qmax, x[i] * inverse || 0));
      codes[i] = Math.round(scaled);  // half up, not half even: same cost, differs only on exact ties
    }
  }
}

function quantizeAsymJs(x, group, qmax, codes, scales, mins) {
  for (let start = 0, g = 0; start < x.length; start += group, g++) {
    const end = Math.min(x.length, start + group);
    let low = Infinity, high = -Infinity;
    for (let i = start; i < end; i++) { const v = x[i]; if (Number.isFinite(v)) { if (v < low) low = v; if (v > high) high = v; } }
    if (low > high) low = high = 0;
    const scale = Math.fround((high - low) / qmax);
    const inverse = scale > 0 ? 1 / scale : 0;
    scales[g] = scale;
    mins[g] = low;
    for (let i = start; i < end; i++) codes[i] = Math.round(Math.min(qmax, Math.max(0, (x[i] - low) * inverse || 0)));
  }
}

const nf4Levels = [-1, -0.6961928009986877, -0.5250730514526367, -0.39491748809814453, -0.28444138169288635,
  -0.18477343022823334, -0.09105003625154495, 0, 0.07958029955625534, 0.16093020141124725, 0.24611230194568634,
  0.33791524171829224, 0.44070982933044434, 0.5626170039176941, 0.7229568362236023, 1];  // kNf4Levels
const nf4Midpoints = nf4Levels.slice(1).map((level, k) => (nf4Levels[k] + level) / 2);

function quantizeNf4Js(x, group, codes, scales) {
  for (let start = 0, g = 0; start < x.length; start += group, g++) {
    const end = Math.min(x.length, start + group);
    let absmax = 0;
    for (let i = start; i < end; i++) { const a = Math.abs(x[i]); if (a > absmax && a !== Infinity) absmax = a; }
    const inverse = absmax > 0 ? 1 / absmax : 0;
    scales[g] = absmax;
    for (let i = start; i < end; i++) {
      const scaled = Math.min(1, Math.max(-1, x[i] * inverse || 0));
      let code = 0;
      for (let k = 0; k < 15; k++) code += scaled > nf4Midpoints[k] ? 1 : 0;
      codes[i] = code;
    }
  }
}

function dequantizeSymJs(codes, scales, group, out) {
  for (let i = 0; i < codes.length; i++) out[i] = codes[i] * scales[(i / group) | 0];
}

const nf4LevelsF32 = Float32Array.from(nf4Levels);
function dequantizeNf4Js(codes, scales, group, out) {
  for (let i = 0; i < codes.length; i++) out[i] = nf4LevelsF32[codes[i]] * scales[(i / group) | 0];
}

// ggml Q4_1 (blocks of 32): d = (max − min) / 15, code = min(15, (x − min)·(1/d) + 0.5 truncated).
function quantizeQ41Js(x, codes, scales, mins) {
  for (let start = 0, b = 0; start < x.length; start += 32, b++) {
    const end = Math.min(x.length, start + 32);
    let low = Infinity, high = -Infinity;
    for (let i = start; i < end; i++) { const v = x[i]; if (Number.isFinite(v)) { if (v < low) low = v; if (v > high) high = v; } }
    if (low > high) low = high = 0;
    const d = Math.fround((high - low) / 15);
    const inverse = d ? Math.fround(1 / d) : 0;
    scales[b] = d;
    mins[b] = low;
    for (let i = start; i < end; i++) codes[i] = Math.floor(Math.min(15, Math.max(0, (x[i] - low) * inverse + 0.5 || 0)));
  }
}

function gemvF32Js(w, x, rows, cols, y) {
  for (let r = 0; r < rows; r++) {
    let sum = 0;
    const base = r * cols;
    for (let c = 0; c < cols; c++) sum += w[base + c] * x[c];
    y[r] = sum;
  }
}

function gemvQ8Js(codes, scales, x, rows, cols, group, y) {
  const groups = cols / group;
  for (let r = 0; r < rows; r++) {
    let sum = 0;
    for (let g = 0; g < groups; g++) {
      const base = r * cols + g * group;
      const xBase = g * group;
      let partial = 0;
      for (let i = 0; i < group; i++) partial += codes[base + i] * x[xBase + i];
      sum += scales[r * groups + g] * partial;
    }
    y[r] = sum;
  }
}

function gemvQ4Js(packed, scales, x, rows, cols, group, y) {
  const groups = cols / group;
  for (let r = 0; r < rows; r++) {
    let sum = 0;
    for (let g = 0; g < groups; g++) {
      const base = (r * cols + g * group) / 2;
      const xBase = g * group;
      let partial = 0;
      for (let run = 0; run < group; run += 32) {
        for (let i = 0; i < 16; i++) {
          const byte = packed[base + run / 2 + i];
          partial += ((byte & 15) - 8) * x[xBase + run + i] + ((byte >> 4) - 8) * x[xBase + run + i + 16];
        }
      }
      sum += scales[r * groups + g] * partial;
    }
    y[r] = sum;
  }
}

function gemvQ8Q8Js(codes, scales, xCodes, xScales, rows, cols, group, y) {
  const groups = cols / group;
  for (let r = 0; r < rows; r++) {
    let sum = 0;
    for (let g = 0; g < groups; g++) {
      const base = r * cols + g * group;
      const xBase = g * group;
      let dot = 0;
      for (let i = 0; i < group; i++) dot += codes[base + i] * xCodes[xBase + i];
      sum += scales[r * groups + g] * xScales[g] * dot;
    }
    y[r] = sum;
  }
}

function gemvQ4Q8Js(packed, scales, xCodes, xScales, rows, cols, group, y) {
  const groups = cols / group;
  for (let r = 0; r < rows; r++) {
    let sum = 0;
    for (let g = 0; g < groups; g++) {
      const base = (r * cols + g * group) / 2;
      const xBase = g * group;
      let dot = 0;
      for (let run = 0; run < group; run += 32) {
        for (let i = 0; i < 16; i++) {
          const byte = packed[base + run / 2 + i];
          dot += ((byte & 15) - 8) * xCodes[xBase + run + i] + ((byte >> 4) - 8) * xCodes[xBase + run + i + 16];
        }
      }
      sum += scales[r * groups + g] * xScales[g] * dot;
    }
    y[r] = sum;
  }
}

// Seeded normals (not bit-identical to the C++ generator; only timing matters here).
function normals(count, seed) {
  let state = seed >>> 0 || 1;
  const uniform = () => { state = (Math.imul(state, 1664525) + 1013904223) >>> 0; return (state + 0.5) / 4294967296; };
  const out = new Float32Array(count);
  for (let i = 0; i < count; i += 2) {
    const radius = Math.sqrt(-2 * Math.log(uniform())), angle = 2 * Math.PI * uniform();
    out[i] = radius * Math.cos(angle);
    if (i + 1 < count) out[i + 1] = radius * Math.sin(angle);
  }
  return out;
}

// tinybench: a warm-up call, then `runs` samples over ≥ minTime; TimingStats per call.
const fastest = (fn) => timeJs('js', fn, { runs, minSeconds: minTime });

function jsColumn(rows, cols) {
  const x = normals(n, 1);
  const codes = new Int8Array(n), unsignedCodes = new Uint8Array(n);
  const scales = new Float32Array(Math.ceil(n / group)), mins = new Float32Array(Math.ceil(n / group));
  const out = new Float32Array(n);
  const quantize = {
    quantize_int8: fastest(() => quantizeSymJs(x, group, 127, codes, scales)),
    quantize_int4: fastest(() => quantizeSymJs(x, group, 7, codes, scales)),
    quantize_int8_asym: fastest(() => quantizeAsymJs(x, group, 255, unsignedCodes, scales, mins)),
    quantize_int4_asym: fastest(() => quantizeAsymJs(x, group, 15, unsignedCodes, scales, mins)),
    quantize_nf4: fastest(() => quantizeNf4Js(x, group, unsignedCodes, scales)),
  };
  const blockScales = new Float32Array(Math.ceil(n / 32)), blockMins = new Float32Array(Math.ceil(n / 32));
  quantize.quantize_q4_1 = fastest(() => quantizeQ41Js(x, unsignedCodes, blockScales, blockMins));
  quantizeSymJs(x, group, 127, codes, scales);
  quantize.dequantize_int8 = fastest(() => dequantizeSymJs(codes, scales, group, out));
  quantizeNf4Js(x, group, unsignedCodes, scales);
  quantize.dequantize_nf4 = fastest(() => dequantizeNf4Js(unsignedCodes, scales, group, out));

  const w = normals(rows * cols, 2);
  const v = normals(cols, 3);
  const y = new Float32Array(rows);
  const w8 = new Int8Array(rows * cols), s8 = new Float32Array(rows * cols / group);
  const w4 = new Int8Array(rows * cols), s4 = new Float32Array(rows * cols / group);
  quantizeSymJs(w, group, 127, w8, s8);
  quantizeSymJs(w, group, 7, w4, s4);
  const packed = new Uint8Array(rows * cols / 2);
  for (let start = 0; start < rows * cols; start += 32) {
    for (let i = 0; i < 16; i++) packed[start / 2 + i] = (w4[start + i] + 8) | ((w4[start + i + 16] + 8) << 4);
  }
  const xCodes = new Int8Array(cols), xScales = new Float32Array(cols / group);
  const gemv = {
    f32: fastest(() => gemvF32Js(w, v, rows, cols, y)),
    int8: fastest(() => gemvQ8Js(w8, s8, v, rows, cols, group, y)),
    int4: fastest(() => gemvQ4Js(packed, s4, v, rows, cols, group, y)),
    int8x8: fastest(() => { quantizeSymJs(v, group, 127, xCodes, xScales); gemvQ8Q8Js(w8, s8, xCodes, xScales, rows, cols, group, y); }),
    int4x8: fastest(() => { quantizeSymJs(v, group, 127, xCodes, xScales); gemvQ4Q8Js(packed, s4, xCodes, xScales, rows, cols, group, y); }),
  };
  return { quantize, gemv };
}

function wasmColumn(api, simd, rows, cols) {
  const quantize = {};
  for (const kernel of quantizeKernels) {
    quantize[kernel] = api.quantBench({ kernel, n, group_size: group, min_time_s: minTime, simd, runs }).time;
  }
  const result = api.quantGemv({ rows, cols, group_size: group, min_time_s: minTime, simd, runs });
  const gemv = Object.fromEntries(result.kernels.map((k) => [k.kernel, k.time]));
  return { quantize, gemv, isa: result.kernel };
}

// which: 'native' (-march=native) or 'sse41' (128-bit SSE4.1, no FMA: build/native-sse41).
async function nativeColumn(rows, cols, which) {
  const binary = nativeDriver(which, 'bench_quant');
  if (!binary) return null;
  const { stdout } = await promisify(execFile)(binary, [String(minTime), 'simd', String(rows), String(cols)]);
  const json = JSON.parse(stdout);
  return {
    quantize: Object.fromEntries(json.quantize.map((k) => [k.kernel, k.time])),
    gemv: Object.fromEntries(json.gemv.kernels.map((k) => [k.kernel, k.time])),
  };
}

// A cell: the median per call in ms with its first to third quartile.
const ms = (time) => (time === undefined ? '—' : `${(time.median_s * 1e3).toFixed(3)} (${(time.q1_s * 1e3).toFixed(3)}–${(time.q3_s * 1e3).toFixed(3)})`);
// slow / fast from the medians; "(noise)" where the two q1–q3 ranges overlap.
const ratio = (slow, fast, digits = 1) => {
  if (slow === undefined || fast === undefined) return '—';
  const noise = compareTimings(slow, fast).verdict === 'within noise' ? ' (noise)' : '';
  return `${(slow.median_s / fast.median_s).toFixed(digits)}×${noise}`;
};

export async function run() {
  const simdApi = await loadLlmSpacetime();
  let scalarApi = null;
  try {
    scalarApi = await loadLlmSpacetime({ variant: 'scalar' });
  } catch (error) {
    console.log(`(no scalar WASM build: ${error.message})`);
  }
  const lines = [];
  const all = {};
  for (const size of gemvSizes) {
    const columns = {
      simd: wasmColumn(simdApi, true, size, size),
      scalar: scalarApi ? wasmColumn(scalarApi, false, size, size) : null,
      native: await nativeColumn(size, size, 'native'),
      sse41: await nativeColumn(size, size, 'sse41'),
      js: jsColumn(size, size),
    };
    all[size] = columns;
    const weightBytes = Object.fromEntries(simdApi.quantGemv({ rows: 64, cols: size, group_size: group, min_time_s: 0 }).kernels
      .map((k) => [k.kernel, k.weight_bytes * size / 64]));
    const table = (title, section, kernels, extra) => {
      lines.push('', title, '');
      lines.push('| kernel | WASM SIMD ms | WASM scalar ms | native ms | native SSE4.1 ms | plain JS ms | SIMD vs scalar | SIMD vs JS | ' +
        'native vs SIMD | SIMD ÷ SSE4.1 |' + (extra ? ' SIMD GB/s of weights |' : ''));
      lines.push('|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|' + (extra ? '---:|' : ''));
      for (const kernel of kernels) {
        const s = columns.simd[section][kernel], c = columns.scalar?.[section][kernel];
        const nat = columns.native?.[section][kernel], sse = columns.sse41?.[section][kernel], j = columns.js[section][kernel];
        // SIMD ÷ SSE4.1: WASM SIMD's speed as a fraction of native SSE4.1's (target ≥ 0.7 on GEMV, issue 16).
        lines.push(`| ${kernel} | ${ms(s)} | ${ms(c)} | ${ms(nat)} | ${ms(sse)} | ${ms(j)} | ${ratio(c, s)} | ${ratio(j, s)} | ${ratio(s, nat)} | ` +
          `${ratio(sse, s, 2)} |` +
          (extra ? ` ${(weightBytes[kernel] / s.median_s / 1e9).toFixed(2)} |` : ''));
      }
    };
    if (size === gemvSizes[0]) {
      table(`Quantize / dequantize, n = ${n} (2^20) values, group ${group}`, 'quantize', quantizeKernels);
    }
    table(`GEMV ${size} × ${size}, group ${group}, fp32 vector`, 'gemv', ['f32', 'int8', 'int4', 'int8x8', 'int4x8'], true);
  }
  console.log(`# quant benchmark (ms per call: median (q1–q3) of ${runs} timed samples over ≥ ${minTime} s per kernel; ` +
    `ratios of medians, "(noise)" where the quartile ranges overlap; ${new Date().toISOString()})`);
  console.log(lines.join('\n'));
  return all;
}

if (import.meta.url === `file://${process.argv[1]}`) await run();
