// Timing and summaries: batched timing of synchronous calls, per-call timing of async ones, median/min/max over rounds.

/** One figure over the rounds of a run: the median is what the table reports, min and max its spread. */
export interface Summary {
  median: number;
  min: number;
  max: number;
  rounds: number[];
}

/** What one round of timing measured: throughput and per-call latency in nanoseconds. */
export interface Sample {
  opsPerSec: number;
  p50Ns: number;
  p99Ns: number;
  calls: number;
}

export function summarize(values: readonly number[]): Summary {
  if (values.length === 0) throw new RangeError('nothing to summarize');
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  const median = sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  return { median, min: sorted[0]!, max: sorted[sorted.length - 1]!, rounds: [...values] };
}

/** Nearest-rank percentile of unsorted values (`q` in 0..1). */
export function percentile(values: ArrayLike<number>, q: number): number {
  const sorted = Float64Array.from(values).sort();
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[rank]!;
}

/**
 * Times a synchronous call in blocks of `blockSize` calls, for at least `durationMs`. A single call
 * is too short to time on its own (the clock read costs as much as the call), so each block's time
 * divided by its size is one latency sample: p50/p99 are over these block means and hide outliers
 * inside a block (a GC pause shows as a slow block, not as one slow call).
 */
export function timeBlocks(call: (i: number) => boolean, durationMs: number, blockSize = 1000): Sample {
  const perCall: number[] = [];
  const deadline = process.hrtime.bigint() + BigInt(Math.round(durationMs * 1e6));
  let totalNs = 0n;
  let i = 0;
  let failures = 0;
  for (;;) {
    const start = process.hrtime.bigint();
    for (let n = 0; n < blockSize; n++) if (!call(i++)) failures++;
    const end = process.hrtime.bigint();
    totalNs += end - start;
    perCall.push(Number(end - start) / blockSize);
    if (end >= deadline) break;
  }
  if (failures > 0) throw new Error(`${failures} of ${i} timed calls failed`);
  return { opsPerSec: i / (Number(totalNs) / 1e9), p50Ns: percentile(perCall, 0.5), p99Ns: percentile(perCall, 0.99), calls: i };
}

/**
 * Times each call of an async operation on its own (one call at a time, awaited), for at least
 * `durationMs` or `maxCalls` calls. `prepare` runs untimed before each call (e.g. clearing a cache).
 */
export async function timeEach(
  call: (i: number) => unknown,
  durationMs: number,
  options: { maxCalls?: number; prepare?: (i: number) => void } = {},
): Promise<Sample> {
  const perCall: number[] = [];
  const deadline = performance.now() + durationMs;
  const maxCalls = options.maxCalls ?? Number.POSITIVE_INFINITY;
  let totalNs = 0n;
  let i = 0;
  while (i < maxCalls && performance.now() < deadline) {
    options.prepare?.(i);
    const start = process.hrtime.bigint();
    const ok = await call(i);
    const elapsed = process.hrtime.bigint() - start;
    if (ok !== true) throw new Error(`timed call ${i} failed: ${JSON.stringify(ok)}`);
    totalNs += elapsed;
    perCall.push(Number(elapsed));
    i++;
  }
  return { opsPerSec: i / (Number(totalNs) / 1e9), p50Ns: percentile(perCall, 0.5), p99Ns: percentile(perCall, 0.99), calls: i };
}

/** The rounds of several samples as three summaries. */
export function summarizeSamples(samples: readonly Sample[]): { opsPerSec: Summary; p50Ns: Summary; p99Ns: Summary } {
  return {
    opsPerSec: summarize(samples.map((s) => s.opsPerSec)),
    p50Ns: summarize(samples.map((s) => s.p50Ns)),
    p99Ns: summarize(samples.map((s) => s.p99Ns)),
  };
}

/** Per-round ratios `a[i] / b[i]` of two figures measured in the same rounds. */
export function ratioOf(a: Summary, b: Summary): Summary {
  return summarize(a.rounds.map((value, i) => value / b.rounds[i]!));
}
