// Part 4: RSS and verify latency with 10k, 100k and 1M keys stored; each store seeded, then measured by a fresh process.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BenchChild } from './bench-child.js';
import type { PartOptions } from './bench-options.js';
import type { Row, Unit } from './report.js';
import type { MeasureResult, SeedResult } from './scale-worker.js';
import { summarize, type Summary } from './stats.js';

/** Keys verified before timing (cached) and keys verified once each while timing (uncached). */
const WARM = 5000;
const COLD = 5000;

interface SizeFigures {
  size: number;
  seed: SeedResult;
  rssAtOpenBytes: number;
  rss: Summary;
  cachedP50: Summary;
  cachedP99: Summary;
  uncachedP50: Summary;
  uncachedP99: Summary;
}

/** Figures from different processes pair up by nothing, so their ratio is of medians, its range from the extremes. */
function ratioOfMedians(a: Summary, b: Summary): Summary {
  return { median: a.median / b.median, min: a.min / b.max, max: a.max / b.min, rounds: [] };
}

async function measureSize(size: number, options: PartOptions): Promise<SizeFigures> {
  const dir = mkdtempSync(join(tmpdir(), `latchkey-bench-scale-${size}-`));
  try {
    const seeding = new BenchChild('./scale-worker.ts', ['seed', dir, String(size), `${WARM},${COLD}`]);
    const seed = await seeding.message<SeedResult>('BENCH_RESULT', 20 * 60_000);
    await seeding.exited;
    const measuring = new BenchChild('./scale-worker.ts', ['measure', dir, String(options.rounds), String(options.durationMs)], { nodeArgs: ['--expose-gc'] });
    const m = await measuring.message<MeasureResult>('BENCH_RESULT', 10 * 60_000);
    return {
      size,
      seed,
      rssAtOpenBytes: m.rssAtOpenBytes,
      rss: summarize([m.rssBytes]),
      cachedP50: summarize(m.cached.map((s) => s.p50Ns)),
      cachedP99: summarize(m.cached.map((s) => s.p99Ns)),
      uncachedP50: summarize(m.uncached.map((s) => s.p50Ns)),
      uncachedP99: summarize(m.uncached.map((s) => s.p99Ns)),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function mib(bytes: number): string {
  return `${(bytes / 2 ** 20).toFixed(0)} MiB`;
}

function label(size: number): string {
  return size >= 1e6 ? `${size / 1e6}M` : `${size / 1e3}k`;
}

export async function runScale(options: PartOptions): Promise<Row[]> {
  const sizes: SizeFigures[] = [];
  for (const size of options.scaleSizes) sizes.push(await measureSize(size, options));
  const smallest = sizes[0]!;
  const largest = Math.max(...options.scaleSizes);
  const rows: Row[] = [];
  const base = `${label(smallest.size)} keys`;
  for (const s of sizes) {
    const part = '4 scale';
    const name = label(s.size);
    const compare = (figure: string, value: Summary, baseline: Summary, withTarget: boolean, unit: Unit = 'ns'): Row => ({
      part,
      figure: `${name} keys: ${figure}`,
      latchkey: { summary: value, unit },
      ...(s === smallest ? {} : { baselineName: base, baseline: { summary: baseline, unit }, ratio: ratioOfMedians(value, baseline) }),
      ...(withTarget && s.size === largest && s !== smallest ? { target: { op: '<=' as const, value: 1.5 } } : {}),
    });
    rows.push(
      compare(`RSS after loading (${WARM} keys cached; ${mib(s.rssAtOpenBytes)} at open; SQLite file ${mib(s.seed.databaseBytes)}, seeded in ${s.seed.seconds.toFixed(0)} s)`, s.rss, smallest.rss, false, 'bytes'),
      compare('cached verify p50 (blocks of 1000)', s.cachedP50, smallest.cachedP50, false),
      compare('cached verify p99 (blocks of 1000)', s.cachedP99, smallest.cachedP99, true),
      compare('uncached verify p50 (each call timed)', s.uncachedP50, smallest.uncachedP50, false),
      compare('uncached verify p99 (each call timed)', s.uncachedP99, smallest.uncachedP99, true),
    );
  }
  return rows;
}
