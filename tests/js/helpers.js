// Shared by the node:test files: run the CLI, and check InputErrors.
import assert from 'node:assert/strict';
import { execFile, spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { InputError } from '../../lib/api.js';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Runs `llm-spacetime ...args`: { code, stdout, stderr }. */
export function cli(...args) {
  const result = spawnSync(process.execPath, [join(root, 'cli', 'llm-spacetime.js'), ...args], { encoding: 'utf8' });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Runs `llm-spacetime ...args` without blocking, so several can run at once: { code, stdout, stderr }. */
export function cliAsync(...args) {
  return new Promise((resolve) => {
    execFile(process.execPath, [join(root, 'cli', 'llm-spacetime.js'), ...args], { encoding: 'utf8', maxBuffer: 64 * 2 ** 20 },
      (error, stdout, stderr) => resolve({ code: error ? error.code : 0, stdout, stderr }));
  });
}

/** Runs `llm-spacetime ...args --json`, asserts exit 0 and returns the parsed output. */
export function cliJson(...args) {
  const result = cli(...args, '--json');
  assert.equal(result.code, 0, result.stderr);
  return JSON.parse(result.stdout);
}

/** Asserts fn throws an InputError naming `field`, with a message matching `pattern` (if given). */
export function assertInputError(fn, field, pattern) {
  assert.throws(fn, (error) => {
    assert.ok(error instanceof InputError, `expected InputError, got ${error}`);
    assert.equal(error.field, field);
    if (pattern) assert.match(error.message, pattern);
    return true;
  });
}
