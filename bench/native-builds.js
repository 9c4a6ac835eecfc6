// The two native builds the benchmarks compare WASM with: build/native
// (-march=native: AVX2/AVX-512 and FMA where the host has them, from
// scripts/build-native.sh) and build/native-sse41 (LLMST_NATIVE_SSE41: 128-bit
// SSE4.1, no AVX, no FMA — WASM SIMD's width and instruction set). The SSE4.1
// build is configured and brought up to date here, on demand, only its bench
// drivers (not by the test command).
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cpus } from 'node:os';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const dirs = { native: 'build/native', sse41: 'build/native-sse41' };
const drivers = ['bench_attention', 'bench_quant', 'bench_calculator'];
let sse41Ready = null;

/** Brings build/native-sse41's bench drivers up to date (once per process); false with a warning if it cannot. */
export function ensureSse41Build() {
  if (sse41Ready !== null) return sse41Ready;
  const dir = `${root}${dirs.sse41}`;
  try {
    if (!existsSync(`${dir}/CMakeCache.txt`)) {
      console.error('bench: configuring build/native-sse41 (-DLLMST_NATIVE_SSE41=ON)');
      execFileSync('cmake', ['-S', root, '-B', dir, '-DCMAKE_BUILD_TYPE=Release', '-DLLMST_NATIVE_SSE41=ON', '-DLLMST_TESTS=OFF'],
        { stdio: ['ignore', 'ignore', 'inherit'] });
    }
    execFileSync('cmake', ['--build', dir, '-j', String(Math.min(2, cpus().length)), '--target', ...drivers],
      { stdio: ['ignore', 'ignore', 'inherit'] });
    sse41Ready = true;
  } catch (error) {
    console.warn(`bench: build/native-sse41 failed (${error.message.split('\n')[0]}); its column is n/a`);
    sse41Ready = false;
  }
  return sse41Ready;
}

/** Path of a driver in build `which` ('native' or 'sse41'), or null when it is not built. */
export function nativeDriver(which, name) {
  if (which === 'sse41' && !ensureSse41Build()) return null;
  const path = `${root}${dirs[which]}/bench/${name}`;
  return existsSync(path) ? path : null;
}
