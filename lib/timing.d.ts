// Types of lib/timing.js: reading measured times (see docs/attention.md, "Timings").
import type { TimingStats } from './attention.js';

/** 0.1: above this (q3 − q1) / median a timing is called noisy. */
export const NOISY_SPREAD: number;
/** The TimingStats of timings in seconds (type 7 quartiles, as src/sim/timing_stats.hpp). */
export function timingStats(seconds: number[]): TimingStats;
/** "812 µs", "1.23 ms", "2.41 s". */
export function formatSeconds(seconds: number): string;
/** (q3 − q1) / median. */
export function relativeSpread(time: TimingStats): number;
/** relativeSpread(time) > threshold (default NOISY_SPREAD). */
export function isNoisy(time: TimingStats, threshold?: number): boolean;
/** "1.23 ms (1.20–1.31)": median (q1–q3). */
export function formatTiming(time: TimingStats): string;
export interface TimingComparison {
  /** 'faster' / 'slower' only where the q1–q3 ranges do not overlap. */
  verdict: 'faster' | 'slower' | 'within noise';
  /** The slower median over the faster one (≥ 1); NaN when a median is 0. */
  ratio: number;
  /** "A is 2.40× faster than B", or "A and B: within noise (their q1–q3 ranges overlap)". */
  text: string;
}
/** Timing a against b: a ratio is stated only where the spreads do not overlap. */
export function compareTimings(a: TimingStats, b: TimingStats, labelA?: string, labelB?: string): TimingComparison;
/** Every field times k (runs kept). */
export function scaleTiming(time: TimingStats, k: number): TimingStats;
