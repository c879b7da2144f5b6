// The HTTP parts' moving pieces: server child processes, one load run per child, and rounds alternating two servers.
import { BenchChild } from './bench-child.js';
import type { PartOptions } from './bench-options.js';
import type { LoadResult, LoadSpec } from './load.js';
import type { Row } from './report.js';
import { ratioOf, summarize, type Summary } from './stats.js';

/** Keys the load sends in turn: each key then sees a small share of the load, far under its rate limit. */
export const LOAD_KEYS = 100;

export interface LatchkeyReady {
  url: string;
  tenantId: string;
  secrets: string[];
  limiter: string;
  redisReady: boolean | null;
}

export interface Server {
  label: string;
  url: string;
  /** The route loaded and the keys sent in turn (the bare server gets Latchkey's, which it ignores). */
  path: string;
  secrets: string[];
  child: BenchChild;
}

export function limitsPath(tenantId: string): string {
  return `/api/v1/m2m/tenants/${tenantId}/limits`;
}

/** Extra node flags for server children, e.g. LATCHKEY_BENCH_SERVER_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof". */
function serverNodeArgs(): string[] {
  return (process.env.LATCHKEY_BENCH_SERVER_NODE_ARGS ?? '').split(' ').filter(Boolean);
}

export async function startLatchkey(label: string, env: Record<string, string | undefined> = {}): Promise<{ server: Server; ready: LatchkeyReady }> {
  // An unset LATCHKEY_REDIS_URL must stay unset even when the developer's shell has one.
  const child = new BenchChild('./latchkey-server.ts', [String(LOAD_KEYS)], { env: { LATCHKEY_REDIS_URL: '', ...env }, nodeArgs: serverNodeArgs() });
  const ready = await child.message<LatchkeyReady>('BENCH_READY', 60_000);
  return { server: { label, url: ready.url, path: limitsPath(ready.tenantId), secrets: ready.secrets, child }, ready };
}

export async function startBare(body: unknown, like: Server): Promise<Server> {
  const child = new BenchChild('./bare-server.ts', [JSON.stringify(body)], { nodeArgs: serverNodeArgs() });
  const ready = await child.message<{ url: string }>('BENCH_READY', 30_000);
  return { label: 'bare Fastify', url: ready.url, path: like.path, secrets: like.secrets, child };
}

/** One GET with the server's first key: the status and JSON body a client sees. */
export async function probe(server: Server): Promise<{ status: number; body: unknown }> {
  const response = await fetch(new URL(server.path, server.url), { headers: { 'x-api-key': server.secrets[0]! } });
  return { status: response.status, body: await response.json() };
}

async function load(server: Server, options: PartOptions): Promise<LoadResult> {
  const spec: LoadSpec = {
    url: server.url,
    path: server.path,
    secrets: server.secrets,
    connections: options.connections,
    seconds: options.httpSeconds,
    warmupSeconds: options.httpWarmupSeconds,
  };
  const child = new BenchChild('./load.ts', [JSON.stringify(spec)]);
  return child.message<LoadResult>('BENCH_RESULT', (options.httpSeconds + options.httpWarmupSeconds + 60) * 1000);
}

export interface HttpFigures {
  label: string;
  requestsPerSec: Summary;
  p50Ns: Summary;
  p99Ns: Summary;
  responses: number;
  non2xx: number;
  errors: number;
  statuses: Record<string, number>;
}

function figures(label: string, results: LoadResult[]): HttpFigures {
  const statuses: Record<string, number> = {};
  for (const r of results) for (const [status, n] of Object.entries(r.statuses)) statuses[status] = (statuses[status] ?? 0) + n;
  return {
    label,
    requestsPerSec: summarize(results.map((r) => r.requestsPerSec)),
    p50Ns: summarize(results.map((r) => r.p50Ns)),
    p99Ns: summarize(results.map((r) => r.p99Ns)),
    responses: results.reduce((n, r) => n + r.responses, 0),
    non2xx: results.reduce((n, r) => n + r.non2xx, 0),
    errors: results.reduce((n, r) => n + r.errors, 0),
    statuses,
  };
}

/** Loads `a` and `b` in turn, `rounds` times, swapping who goes first each round; one load at a time. */
export async function alternate(a: Server, b: Server, options: PartOptions): Promise<[HttpFigures, HttpFigures]> {
  const ra: LoadResult[] = [];
  const rb: LoadResult[] = [];
  for (let round = 0; round < options.rounds; round++) {
    const pair: [Server, LoadResult[]][] = [[a, ra], [b, rb]];
    for (const [server, results] of round % 2 === 0 ? pair : pair.reverse()) {
      results.push(await load(server, options));
      // Lets the server's batched writers flush before the other server is loaded.
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  }
  return [figures(a.label, ra), figures(b.label, rb)];
}

/** Rows comparing `latchkey` with `baseline`: req/s, p50 and p99, and the non-2xx count. */
export function httpRows(part: string, latchkey: HttpFigures, baseline: HttpFigures, targets: { rps?: number; p99?: number }): Row[] {
  const name = baseline.label;
  return [
    { part, figure: `${latchkey.label}, requests/s`, latchkey: { summary: latchkey.requestsPerSec, unit: 'per-second' }, baselineName: name, baseline: { summary: baseline.requestsPerSec, unit: 'per-second' }, ratio: ratioOf(latchkey.requestsPerSec, baseline.requestsPerSec), target: targets.rps !== undefined ? { op: '>=', value: targets.rps } : undefined },
    { part, figure: `${latchkey.label}, p50 latency`, latchkey: { summary: latchkey.p50Ns, unit: 'ns' }, baselineName: name, baseline: { summary: baseline.p50Ns, unit: 'ns' }, ratio: ratioOf(latchkey.p50Ns, baseline.p50Ns) },
    { part, figure: `${latchkey.label}, p99 latency`, latchkey: { summary: latchkey.p99Ns, unit: 'ns' }, baselineName: name, baseline: { summary: baseline.p99Ns, unit: 'ns' }, ratio: ratioOf(latchkey.p99Ns, baseline.p99Ns), target: targets.p99 !== undefined ? { op: '<=', value: targets.p99 } : undefined },
    {
      part,
      figure: `${latchkey.label}, non-2xx / connection errors`,
      latchkey: `${latchkey.non2xx} of ${latchkey.responses} / ${latchkey.errors} (${Object.entries(latchkey.statuses).map(([s, n]) => `${s}: ${n}`).join(', ')})`,
      baselineName: name,
      baseline: `${baseline.non2xx} / ${baseline.errors}`,
      targetText: '0 / 0',
      met: latchkey.non2xx === 0 && latchkey.errors === 0,
    },
  ];
}
