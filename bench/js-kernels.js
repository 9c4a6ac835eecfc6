// The benchmark's plain-JS column: the same algorithms as src/simd and
// src/attention/kernels.cpp, written over Float32Array with Math.fround-free
// JS numbers (doubles), the way a page without WASM would do it.

export function dotRows(x, rows, rowStride, rowCount, n, out, rowOffset = 0) {
  for (let j = 0; j < rowCount; j++) {
    const base = rowOffset + j * rowStride;
    let sum = 0;
    for (let i = 0; i < n; i++) sum += x[i] * rows[base + i];
    out[j] = sum;
  }
}

// Softmax of x[offset, offset + n) into out at the same offset; out may be x.
export function softmax(x, out, n, offset = 0) {
  let max = -Infinity;
  for (let i = 0; i < n; i++) if (x[offset + i] > max) max = x[offset + i];
  let sum = 0;
  for (let i = 0; i < n; i++) sum += (out[offset + i] = Math.exp(x[offset + i] - max));
  const inv = 1 / sum;
  for (let i = 0; i < n; i++) out[offset + i] *= inv;
}

export function exp(x, out, n) {
  for (let i = 0; i < n; i++) out[i] = Math.exp(x[i]);
}

// Causal attention, one head: q, k, v, out are (n, d); scores is (n, n).
export function attentionNaive(q, k, v, out, scores, n, d) {
  const scale = 1 / Math.sqrt(d);
  const qi = new Float32Array(d);
  const row = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    qi.set(q.subarray(i * d, (i + 1) * d));
    dotRows(qi, k, d, i + 1, d, row);
    for (let j = 0; j <= i; j++) scores[i * n + j] = row[j] * scale;
  }
  for (let i = 0; i < n; i++) softmax(scores, scores, i + 1, i * n);
  for (let i = 0; i < n; i++) {
    const o = i * d;
    out.fill(0, o, o + d);
    for (let j = 0; j <= i; j++) {
      const p = scores[i * n + j];
      const vj = j * d;
      for (let c = 0; c < d; c++) out[o + c] += p * v[vj + c];
    }
  }
}

// FlashAttention forward with the same 32-query × 64-key tiles as the C++.
export function attentionTiled(q, k, v, out, n, d, tileQueries = 32, tileKeys = 64) {
  const scale = 1 / Math.sqrt(d);
  const s = new Float32Array(tileKeys);
  const m = new Float32Array(tileQueries);
  const l = new Float32Array(tileQueries);
  const qi = new Float32Array(d);
  for (let i0 = 0; i0 < n; i0 += tileQueries) {
    const rows = Math.min(tileQueries, n - i0);
    m.fill(-Infinity);
    l.fill(0);
    out.fill(0, i0 * d, (i0 + rows) * d);
    for (let j0 = 0; j0 < i0 + rows; j0 += tileKeys) {
      for (let r = 0; r < rows; r++) {
        const i = i0 + r;
        if (j0 > i) continue;
        const cols = Math.min(tileKeys, i - j0 + 1);
        qi.set(q.subarray(i * d, (i + 1) * d));
        dotRows(qi, k, d, cols, d, s, j0 * d);
        let tileMax = -Infinity;
        for (let c = 0; c < cols; c++) { s[c] *= scale; if (s[c] > tileMax) tileMax = s[c]; }
        const mNew = Math.max(m[r], tileMax);
        let rowSum = 0;
        for (let c = 0; c < cols; c++) rowSum += (s[c] = Math.exp(s[c] - mNew));
        const correction = l[r] === 0 ? 0 : Math.exp(m[r] - mNew);
        l[r] = l[r] * correction + rowSum;
        const o = i * d;
        for (let c = 0; c < d; c++) out[o + c] *= correction;
        for (let j = 0; j < cols; j++) {
          const p = s[j];
          const vj = (j0 + j) * d;
          for (let c = 0; c < d; c++) out[o + c] += p * v[vj + c];
        }
        m[r] = mNew;
      }
    }
    for (let r = 0; r < rows; r++) {
      const o = (i0 + r) * d;
      for (let c = 0; c < d; c++) out[o + c] /= l[r];
    }
  }
}
