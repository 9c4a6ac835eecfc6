// Types of lib/parallel.js and lib/node-pool.js (see docs/attention.md, "Split across workers").
import type { TimingStats } from './attention.js';

/** Workers that each hold their own module instance: Web Workers on the page, worker_threads under Node. */
export interface WorkerPool {
  readonly size: number;
  /** api[method](input) in worker `index`. */
  run(index: number, method: string, input: object): Promise<any>;
}

export interface NodeWorkerPool extends WorkerPool {
  /** Terminates every worker; calls still waiting reject. */
  close(): Promise<void>;
}

/** How a split run compared with one worker, measured in the same run. */
export interface ParallelStats {
  /**
   * Workers used (at most one per head, per KV head for decode, per row for quantGemv, per 65,536-value chunk for
   * quantLab); 1: an ordinary run, the fields below not measured.
   */
  workers: number;
  /** One-worker whole-run median ÷ N-worker median (1 with one worker; null when not compared). */
  speedup: number | null;
  /** speedup ÷ workers (null when not compared). */
  efficiency: number | null;
  /** The spread of the N-worker whole runs (dispatch to last result; one run when not compared); null with one worker. */
  time: TimingStats | null;
  /** The spread of the one-worker whole runs; null with one worker or when not compared. */
  single_time: TimingStats | null;
  /** The merged outputs equal the one-worker run's bit for bit (null when not compared). */
  identical_outputs: boolean | null;
  /** Each timed pair's one-worker ÷ N-worker wall time, in run order (empty when not compared or with one worker). */
  pair_speedups: number[];
  /**
   * quantGemv, compared: per kernel, the median over the pairs of one-worker ÷ N-worker time per call (its wall time
   * barely shrinks: every worker times batches sized to min_time_s).
   */
  kernel_speedups?: Record<string, number>;
}

export declare const MAX_WORKERS: number;
/** `workers` when a whole number from 1 to MAX_WORKERS; else throws InputError naming `field` (default 'workers'). */
export declare function checkWorkers(workers: number, field?: string): number;
/** [begin, end) ranges splitting `count` items into min(parts, count) contiguous runs. */
export declare function splitRange(count: number, parts: number): Array<[number, number]>;
/** True when api[method] can run split across workers (runAttention by heads, runDecode by KV heads, quantGemv by rows, quantLab by chunks). */
export declare function canRunParallel(method: string): boolean;
/** api[method](input) split across `workers` workers of `pool`: the merged result with `parallel`. */
export declare function runParallel<Result extends object>(pool: WorkerPool, method: string, input: object,
  options?: { workers?: number; compare?: boolean; onProgress?: (progress: { done: number; total: number }) => void }):
  Promise<Result & { parallel: ParallelStats }>;
/** The work of a split run in ordinary runs, for an estimate: (runs + 1)(1 + 1/N) with `compare`, else 1. */
export declare function parallelWorkFactor(api: object, method: string, input: object,
  options?: { workers?: number; compare?: boolean }): number;
/** The workers a split run of `input` uses out of `workers` (at most one per head or KV head; 1 when it does not split). */
export declare function workersUsed(api: object, method: string, input: object, workers: number): number;
/** os.availableParallelism(). */
export declare function defaultWorkers(): number;
/** `size` worker_threads, each with its own module instance ('simd' or 'scalar'); resolves when all have loaded. */
export declare function createNodePool(size: number, options?: { variant?: 'simd' | 'scalar' }): Promise<NodeWorkerPool>;
