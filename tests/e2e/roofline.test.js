// The Roofline and Plan panels in Chromium: points on the roofline, batch
// moving decode points right, plan answers updating, no CSP violations.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { loadLlmSpacetime } from '../../lib/node.js';
import { openPage, useBrowserAndServer } from './harness.js';

const lab = useBrowserAndServer();

// Screen x of every decode point (Plot draws each symbol as a path translated to its position).
async function decodeXs(page) {
  return page.locator('#roofline-plot g.decode-points path').evaluateAll((paths) =>
    paths.map((path) => Number(/translate\(([-\d.]+)/.exec(path.getAttribute('transform'))?.[1])));
}

const decodeIntensity = async (page) => Number(await page.locator('#roofline-decode-intensity').textContent());

test('the roofline plot shows points; a larger batch moves the decode points right', async () => {
  const { page, context, problems, cspViolations } = await openPage(lab.browser, `${lab.server.url}?panel=roofline`);
  // Llama-2-7B fp16 on an H100 SXM: ridge 989.4 / 3.35 = 295.3 FLOP/byte.
  assert.equal(await page.locator('#roofline-ridge').textContent(), '295.3');
  const prefill = page.locator('#roofline-plot g.prefill-points path');
  assert.ok(await prefill.count() >= 10, 'prefill operators are plotted');
  const before = await decodeXs(page);
  assert.ok(before.length >= 10, 'decode operators are plotted');
  // Batch 1, fp16 weights: ~1 FLOP/byte (2 FLOPs per 2-byte weight).
  assert.ok(Math.abs(await decodeIntensity(page) - 1) < 0.05);
  await page.fill('#roofline-batch', '64');
  await page.locator('#roofline-batch').dispatchEvent('change');
  await page.waitForFunction(() => new URL(location.href).searchParams.get('roofline.batch') === '64');
  const afterXs = await decodeXs(page);
  assert.ok(Math.max(...afterXs) > Math.max(...before) + 50, `decode points moved right (${Math.max(...before)} → ${Math.max(...afterXs)})`);
  // Batch 64 at 4096 tokens (MHA): FLOPs 64 x (2 x 6.74e9 + 4 x 32 x 4096 x 4096) = 64 x 15.6e9;
  // bytes 13.2e9 of weights + 64 x 2.15e9 of KV: ~6.6 FLOP/byte (the KV reads cap it).
  const intensity64 = await decodeIntensity(page);
  assert.ok(intensity64 > 6 && intensity64 < 7.2, String(intensity64));
  // The table lists every operator of both phases.
  assert.ok(await page.locator('#roofline-table tbody tr').count() >= 30);
  // A bad value shows an error next to its field.
  await page.fill('#roofline-batch', '0');
  assert.match(await page.locator('#roofline-batch-error').textContent(), /batch = 0/);
  assert.equal(await page.locator('#roofline-batch').getAttribute('aria-invalid'), 'true');
  assert.deepEqual(await cspViolations(), []);
  assert.deepEqual(problems, []);
  await context.close();
});

test('the URL restores the roofline workload', async () => {
  const { page, context, problems } = await openPage(lab.browser, `${lab.server.url}?panel=roofline&roofline.batch=8&roofline.weights_dtype=int8&roofline.hardware=a100-80gb`);
  // A100 80GB: 312 / 2.039 = 153.0. int8 weights at batch 8, 4096 tokens: FLOPs 8 x 15.6e9 over
  // 6.61e9 B of weights + 8 x 2.15e9 B of KV: ~5.2 FLOP/byte.
  assert.equal(await page.locator('#roofline-ridge').textContent(), '153.0');
  assert.equal(await page.locator('#roofline-batch').inputValue(), '8');
  const intensity = await decodeIntensity(page);
  assert.ok(intensity > 4.8 && intensity < 5.6, String(intensity));
  assert.deepEqual(problems, []);
  await context.close();
});

test('plan answers update: fit, throughput, memory limit', async () => {
  const { page, context, problems, cspViolations } = await openPage(lab.browser, `${lab.server.url}?panel=plan`);
  // Llama-2-70B fp16 over 2 H100s: 137.95e9 B of weights in 2 x 80 GiB fits.
  assert.equal(await page.locator('#plan-fits').textContent(), 'fits');
  const twoGpus = Number(await page.locator('#plan-tokens-per-s').textContent());
  await page.fill('#plan-gpus', '1');
  await page.locator('#plan-gpus').dispatchEvent('change');
  assert.equal(await page.locator('#plan-fits').textContent(), 'does not fit');
  assert.equal(await page.locator('#plan-max-batch').textContent(), '0');
  await page.fill('#plan-gpus', '4');
  await page.locator('#plan-gpus').dispatchEvent('change');
  assert.ok(Number(await page.locator('#plan-tokens-per-s').textContent()) > twoGpus);
  await page.selectOption('#plan-hardware', 'h200');
  assert.equal(await page.locator('#plan-fits').textContent(), 'fits');
  // Weights in ggml Q4_K: 144 B per 256 weights, so 68,976,648,192 × 144 / 256 = 38.80 GB.
  await page.selectOption('#plan-weights_dtype', 'q4_k');
  assert.match(await page.locator('#plan-weights_dtype option:checked').textContent(), /Q4_K \(4\.5 bits\)/);
  assert.match(await page.locator('#plan-table tbody').textContent(), /38\.80 GB/);
  // The batch curve draws points and a memory-limit rule.
  assert.ok(await page.locator('#plan-curve-plot svg circle').count() >= 5);
  assert.ok(await page.locator('#plan-calibration-plot svg circle').count() >= 4);
  assert.equal(await page.locator('#plan-training-table tbody tr').count(), 4);
  assert.deepEqual(await cspViolations(), []);
  assert.deepEqual(problems, []);
  await context.close();
});

test('Plan tensor x pipeline: the stages field, the numbers api.plan gives, and a bad stage count beside its field', async () => {
  const api = await loadLlmSpacetime();
  const url = `${lab.server.url}?panel=plan&plan.gpus=8&plan.parallelism=tensor_pipeline&plan.pipeline_stages=2&plan.batch=8`;
  const { page, context, problems, cspViolations } = await openPage(lab.browser, url);
  assert.equal(await page.locator('#plan-parallelism').inputValue(), 'tensor_pipeline');
  assert.equal(await page.locator('#plan-pipeline_stages').inputValue(), '2');
  const expected = api.plan({ model: 'llama-2-70b', hardware: 'h100-sxm', weights_dtype: 'fp16', kv_dtype: 'fp16', compute_dtype: 'fp16',
    batch: 8, context: 4096, gpus: 8, parallelism: 'tensor_pipeline', pipeline_stages: 2 });
  assert.equal(await page.locator('#plan-tokens-per-s').textContent(), expected.decode.tokens_per_s.toFixed(1));
  assert.equal(await page.locator('#plan-total-tokens-per-s').textContent(), expected.decode.total_tokens_per_s.toFixed(0));
  assert.match(await page.locator('#plan-min-gpus').locator('..').textContent(), /fewest devices \(2 stages of tensor parallel\)/);
  // 3 stages do not divide 8 devices: the core's reason, beside the field.
  await page.fill('#plan-pipeline_stages', '3');
  await page.locator('#plan-pipeline_stages').dispatchEvent('change');
  await page.getByText(/pipeline_stages = 3 must divide gpus = 8/).first().waitFor({ timeout: 5000 });
  // Tensor parallelism hides the field.
  await page.selectOption('#plan-parallelism', 'tensor');
  assert.equal(await page.locator('#plan-pipeline_stages').count(), 0);
  assert.deepEqual(await cspViolations(), []);
  assert.deepEqual(problems, []);
  await context.close();
});

test('Plan training: none / selective / full / sqrt rows, logits and loss, ZeRO and parallelism controls, per-tensor rows; the URL keeps them', async () => {
  const { page, context, problems, cspViolations } = await openPage(lab.browser,
    `${lab.server.url}?panel=plan&plan.model=llama-3-8b&plan.train_sequence=4096`);
  const rows = page.locator('#plan-training-table tbody tr');
  await rows.first().waitFor();
  assert.deepEqual((await page.locator('#plan-training-table td[data-key="checkpointing"]').allTextContents()).map((t) => t.trim()),
    ['none', 'selective', 'full', 'sqrt']);
  // The loss holds the fp32 logits and their gradient: 2 x 128,256 x 4096 x 4 B = 4.20 GB.
  assert.equal((await rows.first().locator('td[data-key="loss_bytes"]').textContent()).trim(), '4.20 GB');
  // Adam's fp32 master and moments: 12 x 8,030,261,248 B = 96.36 GB; ZeRO-1 over 8 replicas: 12.05 GB.
  assert.equal((await rows.first().locator('td[data-key="optimizer_bytes"]').textContent()).trim(), '96.36 GB');
  await page.selectOption('#plan-train_zero_stage', '1');
  await page.fill('#plan-train_data_parallel', '8');
  await page.locator('#plan-train_data_parallel').dispatchEvent('change');
  await page.waitForFunction(() => new URL(location.href).searchParams.get('plan.train_data_parallel') === '8');
  assert.equal((await rows.first().locator('td[data-key="optimizer_bytes"]').textContent()).trim(), '12.05 GB');
  // A fused cross-entropy in 4 chunks holds a quarter: 1.05 GB.
  await page.fill('#plan-train_vocab_chunks', '4');
  await page.locator('#plan-train_vocab_chunks').dispatchEvent('change');
  assert.equal((await rows.first().locator('td[data-key="loss_bytes"]').textContent()).trim(), '1.05 GB');
  await page.check('#plan-train_dropout');
  await page.waitForFunction(() => new URL(location.href).searchParams.get('plan.train_dropout') === '1');
  // One layer's tensors, a row each, with the paper's term beside them.
  const terms = page.locator('#plan-training-layer-table tbody tr');
  assert.equal(await terms.count(), 15);
  assert.match(await page.locator('#plan-training-layer-table tbody').textContent(), /sbh\(34 \+ 5as\/h\)/);
  // A bad value names its field.
  await page.fill('#plan-train_tensor_parallel', '0');
  await page.locator('#plan-train_tensor_parallel').dispatchEvent('input');
  assert.match(await page.locator('#plan-train_tensor_parallel-error').textContent(), /tensor_parallel = 0/);
  // The link restores every training control.
  const url = new URL(page.url());
  assert.equal(url.searchParams.get('plan.train_zero_stage'), '1');
  const again = await context.newPage();
  await again.goto(url.href);
  await again.locator('#plan-training-table tbody tr').first().waitFor();
  assert.equal(await again.locator('#plan-train_zero_stage').inputValue(), '1');
  assert.equal(await again.locator('#plan-train_data_parallel').inputValue(), '8');
  assert.equal(await again.locator('#plan-train_dropout').isChecked(), true);
  assert.equal((await again.locator('#plan-training-table tbody tr').first().locator('td[data-key="loss_bytes"]').textContent()).trim(), '1.05 GB');
  assert.deepEqual(await cspViolations(), []);
  assert.deepEqual(problems, []);
  await context.close();
});

test('"Measure this machine": the cache sweep with its plateaus, the probe, and every kernel under its own roof or explained', async () => {
  const { page, context, problems, cspViolations } = await openPage(lab.browser, `${lab.server.url}?panel=plan`);
  await page.click('#plan-measure');
  // The sweep comes first: bandwidth against working set, 16 KiB to 256 MiB, with the plateaus marked and listed.
  await page.locator('#plan-sweep-plot .sweep-points circle').first().waitFor({ timeout: 120000 });
  assert.equal(await page.locator('#plan-sweep-plot .sweep-points circle').count(), 2 * 43);
  const levels = await page.locator('#plan-plateaus td[data-key="level"]').allTextContents();
  assert.ok(levels.length >= 1, 'at least one plateau');
  assert.equal(levels[0], 'L1');
  for (const level of levels) assert.match(level, /^(L[12]|L3[a-z]?|LLC|DRAM)$/);
  assert.equal(await page.locator('#plan-sweep-plot .plateau-labels text').count(), levels.length);
  await page.locator('#plan-machine-table tbody tr').first().waitFor({ timeout: 60000 });
  assert.equal(await page.locator('#plan-machine-table tbody tr').count(), 2);
  // The lab's kernels: attention naive and tiled, GEMV f32, int8, int4, int8×int8, int4×int8, each with its working set's roof.
  await page.waitForSelector('#plan-machine-message:has-text("Done")', { timeout: 180000 });
  assert.equal(await page.locator('#plan-machine-kernels tbody tr').count(), 7);
  assert.equal(await page.locator('#plan-machine-plot .measured-points circle').count(), 7);
  const shares = await page.locator('#plan-machine-kernels td[data-key="share"]').allTextContents();
  const reasons = await page.locator('#plan-machine-kernels td[data-key="explanation"]').allTextContents();
  const sets = await page.locator('#plan-machine-kernels td[data-key="working_set_bytes"]').allTextContents();
  assert.ok(sets.includes('16 MiB'), `GEMV f32 2048² reads 16 MiB: ${sets}`);
  shares.forEach((share, i) => {
    const percent = parseFloat(share);
    if (percent > 100) assert.match(reasons[i], /above its roof: \S/, `row ${i}: ${share} with no explanation`);
    else assert.equal(reasons[i].trim(), '', `row ${i}`);
  });
  // Labels: a colour legend, no text labels laid over the points.
  assert.equal(await page.locator('#plan-machine-plot svg[class*="plot"] text:has-text("GEMV")').count(), 0);
  assert.deepEqual(await cspViolations(), []);
  assert.deepEqual(problems, []);
  await context.close();
});

test('operators with no memory traffic (fused softmax) are labelled so, not compute bound', async () => {
  const { page, context, problems } = await openPage(lab.browser, `${lab.server.url}?panel=roofline`);
  const row = page.locator('#roofline-table tbody tr', { has: page.locator('td[data-key="name"]', { hasText: /^softmax$/ }) }).first();
  await row.waitFor({ timeout: 30000 });
  assert.equal((await row.locator('td[data-key="bound"]').textContent()).trim(), 'no memory traffic (fused)');
  assert.equal((await row.locator('td[data-key="intensity"]').textContent()).trim(), '–');
  assert.deepEqual(problems, []);
  await context.close();
});

test('a custom chip starts from the preset, and a bad spec shows an error next to its field', async () => {
  const { page, context, problems } = await openPage(lab.browser, `${lab.server.url}?panel=roofline&roofline.context=1`);
  const decodeMs = async () => parseFloat(await page.locator('#roofline-decode-time').textContent());
  const h100 = await decodeMs();
  await page.selectOption('#roofline-hardware', 'custom');
  assert.equal(await page.locator('#roofline-hw_memory_gb_per_s').inputValue(), '3350');
  assert.equal(await page.locator('#roofline-hw_memory_gib').inputValue(), '80');
  // Twice the bandwidth: a memory-bound decode step takes half the time.
  await page.fill('#roofline-hw_memory_gb_per_s', '6700');
  await page.locator('#roofline-hw_memory_gb_per_s').dispatchEvent('change');
  assert.ok(Math.abs(await decodeMs() - h100 / 2) / (h100 / 2) < 0.01, `${h100} → ${await decodeMs()}`);
  assert.equal(new URL(page.url()).searchParams.get('roofline.hw_memory_gb_per_s'), '6700');
  await page.fill('#roofline-hw_memory_gb_per_s', '0');
  assert.match(await page.locator('#roofline-hw_memory_gb_per_s-error').textContent(), /hardware.memory_gb_per_s = 0 must be greater than 0/);
  assert.deepEqual(problems, []);
  await context.close();
});
