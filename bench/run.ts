// `npm run bench`: runs the parts, prints one table, writes bench/results/<date>.json, latest.json and http.svg.
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type Part, parseOptions, type PartOptions } from './bench-options.js';
import { httpChart } from './http-chart.js';
import type { HttpFigures } from './http-servers.js';
import { oneMinuteLoad, renderTable, type Row, runInfo, writeResults } from './report.js';

interface PartResult {
  rows: Row[];
  figures?: HttpFigures[];
}

/** Each part is imported only when it runs, so a missing peer package cannot stop the others. */
const RUNNERS: Record<Part, (options: PartOptions) => Promise<PartResult>> = {
  inproc: async (o) => ({ rows: await (await import('./inproc.js')).runInproc(o) }),
  http: async (o) => (await import('./http.js')).runHttp(o),
  peer: async (o) => ({ rows: await (await import('./peer.js')).runPeer(o) }),
  scale: async (o) => ({ rows: await (await import('./scale.js')).runScale(o) }),
  redis: async (o) => (await import('./redis.js')).runRedis(o),
  budget: async (o) => (await import('./budget.js')).runBudget(o),
  verify: async (o) => (await import('./verify.js')).runVerify(o),
};

const options = parseOptions(process.argv.slice(2));
const info = runInfo({ only: options.only, rounds: options.rounds, quick: options.quick });
const started = performance.now();
const rows: Row[] = [];
const figures: HttpFigures[] = [];
let failed = false;
for (const part of options.only) {
  process.stderr.write(`bench: ${part}...\n`);
  const partStarted = performance.now();
  const loadAtStart = oneMinuteLoad();
  try {
    const result = await RUNNERS[part](options);
    rows.push(...result.rows);
    figures.push(...(result.figures ?? []));
  } catch (error) {
    failed = true;
    rows.push({ part, figure: 'the part failed', latchkey: `error: ${(error as Error).message.split('\n')[0]}` });
    process.stderr.write(`bench: ${part} failed: ${(error as Error).stack}\n`);
  }
  const seconds = (performance.now() - partStarted) / 1000;
  info.parts.push({ part, seconds, loadAtStart, loadAtEnd: oneMinuteLoad() });
  process.stderr.write(`bench: ${part} took ${seconds.toFixed(0)} s\n`);
}

// The HTTP chart keeps one bar per server: the in-memory Latchkey of part 5 repeats part 2's.
const bars = figures.filter((f, i) => figures.findIndex((g) => g.label === f.label) === i);
const resultsDir = fileURLToPath(new URL('./results/', import.meta.url));
const day = info.date.slice(0, 10);
// Only a full run replaces the committed latest.json and chart; a partial run keeps its own file.
const name = options.full ? day : `${day}-${options.quick ? 'quick' : 'partial'}-${options.only.join('+')}`;
const written = writeResults(resultsDir, name, info, rows, options.full);
if (options.full && bars.length > 0) {
  writeFileSync(`${resultsDir}http.svg`, httpChart(info, bars, options.connections));
  written.push(`${resultsDir}http.svg`);
}
process.stdout.write(`${renderTable(info, rows)}\n\nran ${((performance.now() - started) / 1000).toFixed(0)} s; wrote ${written.join(', ')}\n`);
if (failed) process.exitCode = 1;
