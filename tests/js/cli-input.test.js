// Issue 17 on the CLI: a repeated flag is refused; messages name the flag and
// the value as typed, not the core's field (budget_bytes, prompt_tokens);
// values a command would read and ignore are refused.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { cliAsync } from './helpers.js';

const refused = (result, pattern) => {
  assert.equal(result.code, 2, result.stdout);
  assert.match(result.stderr, pattern);
};

test('a repeated flag is an error naming both values (lists are comma-separated)', async () => {
  const [batch, json, boolean] = await Promise.all([
    cliAsync('plan', '--preset', 'llama-2-7b', '--batch', '2', '--batch', '3'),
    cliAsync('kv', '--json', '--json'),
    cliAsync('plan', '--unfused', '--unfused'),
  ]);
  refused(batch, /--batch is given twice \(--batch 2, then --batch 3\)/);
  refused(json, /--json is given twice/);
  refused(boolean, /--unfused is given twice/);
});

test('messages name the flag and the value as typed, bounds in the flag\'s units', async () => {
  const [budget, context, generated, sram, memory, jsonBudget] = await Promise.all([
    cliAsync('kv-paging', '--budget-gb=-1'),
    cliAsync('kv', '--context=-5'),
    cliAsync('kv', '--context', '5', '--generated', '9'),
    cliAsync('attention-memory', '--n', '1024', '--sram-kib=-1'),
    cliAsync('plan', '--preset', 'llama-2-7b', '--memory-gib=-2'),
    cliAsync('kv-paging', '--budget-gb=-1', '--json'),
  ]);
  refused(budget, /^llm-spacetime: --budget-gb = -1 must be at least 0$/m);
  assert.doesNotMatch(budget.stderr, /budget_bytes|1000000000/);
  refused(context, /^llm-spacetime: --context = -5 must be at least 0$/m);
  assert.doesNotMatch(context.stderr, /prompt_tokens|--prompt/);
  refused(generated, /--generated = 9 is more than --context = 5/);
  refused(sram, /--sram-kib = -1 must be at least 0$/m);
  refused(memory, /--memory-gib = -2 must be at least 0$/m);
  // JSON keeps the core's field for scripts, with the message in the flag's terms.
  assert.deepEqual(JSON.parse(jsonBudget.stdout).error, { field: 'budget_bytes', message: '--budget-gb = -1 must be at least 0' });
});

test('values a command would read and ignore are refused', async () => {
  const [gpus, offload, window, channel, group, channelNan, plan] = await Promise.all([
    cliAsync('roofline', '--preset', 'llama-2-7b', '--gpus', 'NaN'),
    cliAsync('roofline', '--preset', 'llama-2-7b', '--offload-layers=-1'),
    cliAsync('kv-paging', '--bytes-per-token', '1000', '--window', 'NaN'),
    cliAsync('quant', '--preset', 'llama-2-7b', '--format', 'int4', '--channel-size', 'NaN'),
    cliAsync('quant', '--preset', 'llama-2-7b', '--format', 'int4', '--layout', 'tensor', '--group', '64'),
    cliAsync('quant', '--preset', 'llama-2-7b', '--format', 'int4', '--layout', 'channel', '--channel-size', 'NaN'),
    cliAsync('plan', '--preset', 'llama-2-7b', '--gpus', '2', '--json'),
  ]);
  const [rooflineStages, planStages, hybrid] = await Promise.all([
    cliAsync('roofline', '--preset', 'llama-2-7b', '--pipeline-stages', '2'),
    cliAsync('plan', '--preset', 'llama-2-7b', '--gpus', '4', '--pipeline-stages', '2'),
    cliAsync('plan', '--preset', 'llama-2-7b', '--gpus', '4', '--parallel', 'tensor_pipeline', '--pipeline-stages', '2'),
  ]);
  refused(rooflineStages, /--pipeline-stages = 2 is a plan flag/);
  // Stages with tensor parallelism (the default) would be read and ignored.
  refused(planStages, /--pipeline-stages = 2 is read by parallelism = "tensor_pipeline" only \(parallelism = "tensor"\)/);
  assert.equal(hybrid.code, 0, hybrid.stderr);
  assert.match(hybrid.stdout, /tensor_pipeline: 2 stages x 2-way tensor/);
  refused(gpus, /--gpus = NaN is a plan flag: roofline models one device/);
  refused(offload, /--offload-layers = -1 is a plan flag/);
  refused(window, /--window = NaN would be ignored: --bytes-per-token gives the KV bytes of a token/);
  refused(channel, /--channel-size = NaN applies only with --layout channel \(the layout is group\)/);
  refused(group, /--group = 64 applies only with --layout group \(the layout is tensor\)/);
  refused(channelNan, /--channel-size = NaN is not a finite number/);
  assert.equal(plan.code, 0, plan.stderr);
});

test('a budget above what the WASM module can allocate is capped there: refused by name, no abort', async () => {
  const [attention, decode, small] = await Promise.all([
    cliAsync('attention', '--n', '30000', '--variant', 'naive', '--budget', '1e12'),
    cliAsync('decode', '--strategy', 'int4', '--n', '2e6', '--budget', '1e12', '--json'),
    cliAsync('decode', '--strategy', 'full', '--n', '16', '--d-model', '16', '--heads', '2', '--budget', '1e12', '--json'),
  ]);
  refused(attention, /naive attention at n = 30000, d = 64, heads = 1 needs 3630720000 bytes, more than this WASM module can allocate for one run: \d+ bytes \(the lesser of a 2 GiB cap per run and its \d+-byte maximum memory less \d+ bytes in use\); a larger budget does not raise it/);
  assert.doesNotMatch(attention.stderr, /Aborted/);
  refused(decode, /decode with int4 over 2000000 tokens .* more than this WASM module can allocate for one run/);
  assert.equal(JSON.parse(decode.stdout).error.field, 'memory_budget_bytes');
  // The budget only ever lowers the limit: a small run with a large budget runs.
  assert.equal(small.code, 0, small.stderr);
});

test('measured commands name the flag as typed, not the core field (decode --window, not cache_tokens)', async () => {
  const cases = [
    [['decode', '--window=-3'], /^llm-spacetime: --window = -3 must be at least 0$/m, /cache_tokens/],
    [['decode', '--strategy', 'window', '--window', '0'], /^llm-spacetime: --window = 0 must be at least 1 for window$/m, /cache_tokens/],
    [['attention', '--check-rows', '1.5'], /^llm-spacetime: --check-rows = 1.5 must be a whole number$/m, /check_rows/],
    [['seed-experiment', '--lengths', '1'], /^llm-spacetime: --lengths = 1 must be at least 2$/m, /sequence_lengths/],
    [['quant-lab', '--format', 'int4', '--bins=-7'], /^llm-spacetime: --bins = -7 must be at least 1$/m, /histogram_bins/],
    [['quant-lab', '--format=bogus'], /^llm-spacetime: --format = bogus is not one of fp32/m, /format = "/],
    [['quant-gemv', '--min-time=-7'], /^llm-spacetime: --min-time = -7 must be at least 0$/m, /min_time_s/],
    [['quant-gemv', '--group=-7'], /^llm-spacetime: --group = -7 must be at least 32$/m, /group_size/],
    // --n sets both token counts: the message starts from what was typed and says how.
    [['decode', '--n', '3e6', '--max-seconds', '1e9'],
      /^llm-spacetime: --n = 3e6 \(half prompt, half generated\): prompt_tokens = 1500000 is too large/m],
  ];
  const results = await Promise.all(cases.map(([args]) => cliAsync(...args)));
  results.forEach((result, i) => {
    const [, pattern, coreField] = cases[i];
    refused(result, pattern);
    if (coreField) assert.doesNotMatch(result.stderr, coreField);
  });
  // The JSON error keeps the core's field for scripts.
  const json = await cliAsync('decode', '--window=-3', '--json');
  assert.deepEqual(JSON.parse(json.stdout).error, { field: 'cache_tokens', message: '--window = -3 must be at least 0' });
});

test('training: adapter flags under full fine-tuning are refused, not read and ignored', async () => {
  const [rank, paged, lora] = await Promise.all([
    cliAsync('training', '--lora-rank=-7'),
    cliAsync('training', '--paged-optimizer'),
    cliAsync('training', '--method', 'lora', '--lora-rank', '8', '--json'),
  ]);
  refused(rank, /^llm-spacetime: --lora-rank = -7 applies only with --method lora or qlora \(the method is full\)$/m);
  refused(paged, /--paged-optimizer applies only with --method lora or qlora/);
  assert.equal(lora.code, 0, lora.stderr);
});
