// The intervals of a usage query: UTC minutes, hours or days from the one holding `from` up to `to`.
import type { UsageInterval } from '../store/usage-store.js';

export type { UsageInterval };

export const INTERVAL_MS: Record<UsageInterval, number> = { minute: 60_000, hour: 3_600_000, day: 86_400_000 };

/** More than this per request is refused: a chart has no use for it, and the answer would be large. */
export const MAX_INTERVALS = 2000;

export interface IntervalRange {
  /** Start of the first interval (the one holding `from`), epoch ms. */
  start: number;
  /** Intervals whose start lies before `to`. */
  count: number;
}

/**
 * The intervals covering [from, to): the first holds `from`, the last holds the moment just before `to`.
 * Day intervals are UTC days, which all last 86 400 s in epoch time.
 */
export function intervalRange(fromMs: number, toMs: number, interval: UsageInterval): IntervalRange {
  const size = INTERVAL_MS[interval];
  const start = Math.floor(fromMs / size) * size;
  return { start, count: Math.max(0, Math.ceil((toMs - start) / size)) };
}

/** The start (epoch ms) of each interval of the range, in order. */
export function intervalStarts(range: IntervalRange, interval: UsageInterval): number[] {
  const size = INTERVAL_MS[interval];
  return Array.from({ length: range.count }, (_, i) => range.start + i * size);
}
