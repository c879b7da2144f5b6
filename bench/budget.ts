// Optional part `budget`: how much CPU a request may cost beyond bare Fastify's before the HTTP targets are missed on
// this machine. Bare Fastify sending Latchkey's own headers, with 0, 2, 5 and 10 µs of added work per request, is
// loaded in the same rounds as plain bare Fastify and as Latchkey, and each is judged against the part 2 targets.
import type { PartOptions } from './bench-options.js';
import { alternate, type HttpFigures, type Server, startBare, startLatchkeyAndBare } from './http-servers.js';
import type { Row } from './report.js';
import { ratioOf } from './stats.js';

/** Microseconds of work per request added to bare Fastify with Latchkey's headers. */
const WORK_MICROS = [0, 2, 5, 10];
/** Part 2's targets, against which every server of this part is read. */
const TARGET_RPS = 0.8;
const TARGET_P99 = 1.5;

export async function runBudget(options: PartOptions): Promise<{ rows: Row[] }> {
  const servers: Server[] = [];
  try {
    const { latchkey, bare, first } = await startLatchkeyAndBare(servers);
    for (const micros of WORK_MICROS) servers.push(await startBare({ body: first.body, headers: first.headers, workMicros: micros }, latchkey));

    const [lk, base, ...worked] = (await alternate(servers, options)) as [HttpFigures, HttpFigures, ...HttpFigures[]];
    return { rows: [...worked, lk].flatMap((figures) => budgetRows(figures, base)) };
  } finally {
    await Promise.all(servers.map((s) => s.child.stop()));
  }
}

/** Requests/s and p99 against bare Fastify, read against part 2's targets, and the CPU per request that got them. */
function budgetRows(server: HttpFigures, bare: HttpFigures): Row[] {
  const part = 'budget';
  const baselineName = bare.label;
  const rps = ratioOf(server.requestsPerSec, bare.requestsPerSec);
  const p99 = ratioOf(server.p99Ns, bare.p99Ns);
  const rows: Row[] = [
    { part, figure: `${server.label}, requests/s`, latchkey: { summary: server.requestsPerSec, unit: 'per-second' }, baselineName, baseline: { summary: bare.requestsPerSec, unit: 'per-second' }, ratio: rps, targetText: `part 2: ≥ ${TARGET_RPS}`, met: rps.median >= TARGET_RPS },
    { part, figure: `${server.label}, p99 latency`, latchkey: { summary: server.p99Ns, unit: 'ns' }, baselineName, baseline: { summary: bare.p99Ns, unit: 'ns' }, ratio: p99, targetText: `part 2: ≤ ${TARGET_P99}`, met: p99.median <= TARGET_P99 },
  ];
  if (server.cpuAllNs !== undefined && bare.cpuAllNs !== undefined) {
    rows.push({ part, figure: `${server.label}, server CPU per request, all threads`, latchkey: { summary: server.cpuAllNs, unit: 'ns' }, baselineName, baseline: { summary: bare.cpuAllNs, unit: 'ns' }, ratio: ratioOf(server.cpuAllNs, bare.cpuAllNs) });
  }
  return rows;
}
