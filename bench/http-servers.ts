// The HTTP parts' moving pieces: server child processes, one load run per child, and rounds alternating two servers.
import { BenchChild } from './bench-child.js';
import type { PartOptions } from './bench-options.js';
import type { LoadRequest, LoadResult, LoadSpec } from './load.js';
import { type CpuReading, readCpu } from './process-cpu.js';
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
  /** The server's LATCHKEY_REQUEST_LOG setting. */
  requestLog: string;
  /** A verify-only root token, for POST /v1/keys/verify. */
  verifyToken: string;
}

export interface Server {
  label: string;
  url: string;
  /** The route loaded and the keys sent in turn (the bare server gets Latchkey's, which it ignores). */
  path: string;
  secrets: string[];
  /** What the load sends, one request per key in turn. */
  requests: LoadRequest[];
  child: BenchChild;
}

export function limitsPath(tenantId: string): string {
  return `/api/v1/m2m/tenants/${tenantId}/limits`;
}

/** GET of `path` with each key as X-API-Key in turn: an M2M call. */
export function keyHeaderRequests(path: string, secrets: readonly string[]): LoadRequest[] {
  return secrets.map((secret) => ({ method: 'GET', path, headers: { 'x-api-key': secret } }));
}

/** Extra node flags for server children, e.g. LATCHKEY_BENCH_SERVER_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof". */
function serverNodeArgs(): string[] {
  return (process.env.LATCHKEY_BENCH_SERVER_NODE_ARGS ?? '').split(' ').filter(Boolean);
}

export async function startLatchkey(label: string, env: Record<string, string | undefined> = {}): Promise<{ server: Server; ready: LatchkeyReady }> {
  // An unset LATCHKEY_REDIS_URL must stay unset even when the developer's shell has one.
  const child = new BenchChild('./latchkey-server.ts', [String(LOAD_KEYS)], { env: { LATCHKEY_REDIS_URL: '', ...env }, nodeArgs: serverNodeArgs() });
  const ready = await child.message<LatchkeyReady>('BENCH_READY', 60_000);
  const path = limitsPath(ready.tenantId);
  return { server: { label, url: ready.url, path, secrets: ready.secrets, requests: keyHeaderRequests(path, ready.secrets), child }, ready };
}

/** What a bare server answers, and how (see bare-server.ts). */
export interface BareSpec {
  /** The JSON it answers, Latchkey's own (probed). */
  body: unknown;
  /** Latchkey's own headers (probed), sent too. */
  headers?: Record<string, string> | undefined;
  /** CPU work spent on each request first, in µs (part `budget`). */
  workMicros?: number | undefined;
  /** The M2M limits route (GET), or the verify API's (POST with a JSON body, checked by a schema). */
  route?: 'limits' | 'verify' | undefined;
}

/** Bare Fastify answering as `spec` says, loaded with `like`'s requests. */
export async function startBare(spec: BareSpec, like: Server): Promise<Server> {
  const child = new BenchChild('./bare-server.ts', [JSON.stringify(spec)], { nodeArgs: serverNodeArgs() });
  const ready = await child.message<{ url: string }>('BENCH_READY', 30_000);
  const work = spec.workMicros ? ` + ${spec.workMicros} µs of work` : '';
  const label = `bare Fastify${spec.route === 'verify' ? ' POST' : ''}${spec.headers === undefined ? '' : " + Latchkey's headers"}${work}`;
  return { label, url: ready.url, path: like.path, secrets: like.secrets, requests: like.requests, child };
}

/** Headers every HTTP answer carries, whoever sends it; the rest are what the server itself adds. */
const TRANSPORT_HEADERS = new Set(['content-type', 'content-length', 'date', 'connection', 'keep-alive']);

/** The server's first request (its first key): the status, JSON body and the server's own headers a client sees. */
export async function probe(server: Server): Promise<{ status: number; body: unknown; headers: Record<string, string> }> {
  const first = server.requests[0]!;
  const response = await fetch(new URL(first.path, server.url), { method: first.method, headers: first.headers, body: first.body });
  const headers = Object.fromEntries([...response.headers].filter(([name]) => !TRANSPORT_HEADERS.has(name)));
  return { status: response.status, body: await response.json(), headers };
}

/** What Latchkey answered the probe: its JSON body and its own headers, which bare servers then copy. */
export type Probed = Awaited<ReturnType<typeof probe>>;

/**
 * Latchkey and bare Fastify answering Latchkey's very body (checked), both added to `servers` for the caller
 * to stop; with Latchkey's probed answer, for servers that copy it.
 */
export async function startLatchkeyAndBare(servers: Server[]): Promise<{ latchkey: Server; bare: Server; first: Probed }> {
  const { server: latchkey } = await startLatchkey('Latchkey');
  servers.push(latchkey);
  const first = await probe(latchkey);
  if (first.status !== 200) throw new Error(`Latchkey answered ${first.status} to a valid key: ${JSON.stringify(first.body)}`);
  const bare = await startBare({ body: first.body }, latchkey);
  servers.push(bare);
  const check = await probe(bare);
  if (check.status !== 200 || JSON.stringify(check.body) !== JSON.stringify(first.body)) throw new Error('the bare server does not answer the same JSON');
  return { latchkey, bare, first };
}

async function load(server: Server, options: PartOptions): Promise<LoadResult> {
  const spec: LoadSpec = {
    url: server.url,
    requests: server.requests,
    connections: options.connections,
    seconds: options.httpSeconds,
    warmupSeconds: options.httpWarmupSeconds,
  };
  const child = new BenchChild('./load.ts', [JSON.stringify(spec)]);
  return child.message<LoadResult>('BENCH_RESULT', (options.httpSeconds + options.httpWarmupSeconds + 60) * 1000);
}

/** One load of one server: what the load generator saw, and the server's CPU time per response. */
interface Round extends LoadResult {
  /** Undefined where the server's CPU time cannot be read (not Linux). */
  cpu: { mainNs: number; allNs: number } | undefined;
}

export interface HttpFigures {
  label: string;
  requestsPerSec: Summary;
  p50Ns: Summary;
  p99Ns: Summary;
  /** The server process's CPU time per response: its request (main) thread, and all its threads. */
  cpuMainNs: Summary | undefined;
  cpuAllNs: Summary | undefined;
  /** The load generator's CPU time per response. */
  loadCpuNs: Summary;
  /** The server's (all threads) plus the load generator's CPU time per response: what one request costs the machine. */
  cpuWithLoadNs: Summary | undefined;
  /** Share of the machine's cores busy while measured. */
  machineBusy: Summary | undefined;
  responses: number;
  non2xx: number;
  errors: number;
  statuses: Record<string, number>;
}

function cpuPerResponse(before: CpuReading | undefined, after: CpuReading | undefined, responses: number): Round['cpu'] {
  if (before === undefined || after === undefined || responses === 0) return undefined;
  return { mainNs: ((after.mainMs - before.mainMs) * 1e6) / responses, allNs: ((after.allMs - before.allMs) * 1e6) / responses };
}

function figures(label: string, results: Round[]): HttpFigures {
  const statuses: Record<string, number> = {};
  for (const r of results) for (const [status, n] of Object.entries(r.statuses)) statuses[status] = (statuses[status] ?? 0) + n;
  const cpu = results.every((r) => r.cpu !== undefined) ? results.map((r) => r.cpu!) : undefined;
  return {
    label,
    requestsPerSec: summarize(results.map((r) => r.requestsPerSec)),
    p50Ns: summarize(results.map((r) => r.p50Ns)),
    p99Ns: summarize(results.map((r) => r.p99Ns)),
    cpuMainNs: cpu && summarize(cpu.map((c) => c.mainNs)),
    cpuAllNs: cpu && summarize(cpu.map((c) => c.allNs)),
    loadCpuNs: summarize(results.map((r) => r.loadCpuNs)),
    cpuWithLoadNs: cpu && summarize(results.map((r) => r.cpu!.allNs + r.loadCpuNs)),
    machineBusy: results.every((r) => r.machineBusy !== undefined) ? summarize(results.map((r) => r.machineBusy!)) : undefined,
    responses: results.reduce((n, r) => n + r.responses, 0),
    non2xx: results.reduce((n, r) => n + r.non2xx, 0),
    errors: results.reduce((n, r) => n + r.errors, 0),
    statuses,
  };
}

/**
 * Settling time after each load, before the server's CPU time is read and the other server is loaded: the
 * request-log writer hands records over every 100 ms and writes every second, so its work for this load is
 * done and counted here, not during the other server's load.
 */
const SETTLE_MS = 2000;

/**
 * Loads the servers in turn, `rounds` times, one load at a time; each round starts one server later
 * (with two, who goes first swaps every round), so no server always follows the same one.
 */
export async function alternate(servers: readonly Server[], options: PartOptions): Promise<HttpFigures[]> {
  const results: Round[][] = servers.map(() => []);
  for (let round = 0; round < options.rounds; round++) {
    for (let turn = 0; turn < servers.length; turn++) {
      const i = (round + turn) % servers.length;
      const server = servers[i]!;
      const before = readCpu(server.child.pid);
      const result = await load(server, options);
      await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
      results[i]!.push({ ...result, cpu: cpuPerResponse(before, readCpu(server.child.pid), result.responses) });
    }
  }
  return servers.map((server, i) => figures(server.label, results[i]!));
}

/** Rows comparing `latchkey` with `baseline`: req/s, p50 and p99, and the non-2xx count. */
export function httpRows(part: string, latchkey: HttpFigures, baseline: HttpFigures, targets: { rps?: number; p99?: number }): Row[] {
  const name = baseline.label;
  return [
    { part, figure: `${latchkey.label}, requests/s`, latchkey: { summary: latchkey.requestsPerSec, unit: 'per-second' }, baselineName: name, baseline: { summary: baseline.requestsPerSec, unit: 'per-second' }, ratio: ratioOf(latchkey.requestsPerSec, baseline.requestsPerSec), target: targets.rps !== undefined ? { op: '>=', value: targets.rps } : undefined },
    { part, figure: `${latchkey.label}, p50 latency`, latchkey: { summary: latchkey.p50Ns, unit: 'ns' }, baselineName: name, baseline: { summary: baseline.p50Ns, unit: 'ns' }, ratio: ratioOf(latchkey.p50Ns, baseline.p50Ns) },
    { part, figure: `${latchkey.label}, p99 latency`, latchkey: { summary: latchkey.p99Ns, unit: 'ns' }, baselineName: name, baseline: { summary: baseline.p99Ns, unit: 'ns' }, ratio: ratioOf(latchkey.p99Ns, baseline.p99Ns), target: targets.p99 !== undefined ? { op: '<=', value: targets.p99 } : undefined },
    ...cpuRows(part, latchkey, baseline),
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

/**
 * CPU time per response, where /proc could be read for both servers: the server's (warm-up included), the load
 * generator's, and the two together. When the load keeps every core busy, requests/s is the cores divided by
 * that sum, so the ratio of requests/s is the inverse of the sum's ratio, the load generator's share included.
 */
function cpuRows(part: string, latchkey: HttpFigures, baseline: HttpFigures): Row[] {
  const rows: Row[] = [];
  const name = baseline.label;
  const perRequest = [
    ['server CPU per request, request thread', latchkey.cpuMainNs, baseline.cpuMainNs],
    ['server CPU per request, all threads', latchkey.cpuAllNs, baseline.cpuAllNs],
    ['load generator CPU per request', latchkey.loadCpuNs, baseline.loadCpuNs],
    ['server + load generator CPU per request', latchkey.cpuWithLoadNs, baseline.cpuWithLoadNs],
  ] as const;
  for (const [what, l, b] of perRequest) {
    if (l === undefined || b === undefined) continue;
    rows.push({ part, figure: `${latchkey.label}, ${what}`, latchkey: { summary: l, unit: 'ns' }, baselineName: name, baseline: { summary: b, unit: 'ns' }, ratio: ratioOf(l, b) });
  }
  if (latchkey.machineBusy !== undefined && baseline.machineBusy !== undefined) {
    rows.push({ part, figure: `${latchkey.label}, machine's cores busy during the load`, latchkey: { summary: latchkey.machineBusy, unit: 'share' }, baselineName: name, baseline: { summary: baseline.machineBusy, unit: 'share' } });
  }
  return rows;
}
