// Work estimates of the measured runs (lib/work.js).

/** The measured runs estimateRun knows, by API method name. */
export type EstimatedRun = 'runAttention' | 'runDecode' | 'seedExperiment' | 'quantLab' | 'quantGemv' | 'measureMachine'
  | 'measureCacheSweep' | 'serve' | 'serveSweep' | 'serveMaxRate';

/** How long a measured run would take, estimated before it starts at deliberately low rates. */
export interface WorkEstimate {
  /** flops / flops_per_second + bytes / bytes_per_second + fixed_seconds. */
  seconds: number;
  /** Arithmetic of the whole run: timed passes, warm-up and untimed accuracy checks. */
  flops: number;
  /** Memory traffic the run streams. */
  bytes: number;
  /** Time spent by design whatever the rates (repeat-until-this-long loops). */
  fixed_seconds: number;
  /** The rates the estimate assumes: 4e9 FLOP/s and 2e9 bytes/s. */
  flops_per_second: number;
  bytes_per_second: number;
  /** The estimate in words, e.g. "about 3.4 minutes (2e11 FLOPs at 4.0 GFLOP/s, …)". */
  text: string;
}

export interface WorkApi {
  /** The methods estimateRun knows. */
  estimatedRuns(): EstimatedRun[];
  /**
   * How long `api[method](input)` would take; throws InputError for an input it cannot cost.
   * serveSweep: the serve input with `rates` (an array); serveMaxRate: up to 48 simulations (bracketing, then bisection to 1 %).
   */
  estimateRun(method: EstimatedRun, input?: object): WorkEstimate;
}
