// Child process: autocannon against one server — a warm-up, then the measured run with each response's latency.
// Usage: load.ts '<LoadSpec json>'. Prints BENCH_RESULT LoadResult.
import autocannon from 'autocannon';
import { tell } from './bench-child.js';
import { busyShare, readMachine } from './process-cpu.js';
import { percentile } from './stats.js';

/** One request of the load, as autocannon sends it. */
export interface LoadRequest {
  method: 'GET' | 'POST';
  path: string;
  headers: Record<string, string>;
  body?: string;
}

export interface LoadSpec {
  url: string;
  /** Sent in turn, one per request: each carries another key, so no single key's rate limit is the bottleneck. */
  requests: LoadRequest[];
  connections: number;
  seconds: number;
  warmupSeconds: number;
}

export interface LoadResult {
  requestsPerSec: number;
  p50Ns: number;
  p99Ns: number;
  /** Responses of the warm-up and the measured run. */
  responses: number;
  non2xx: number;
  statuses: Record<string, number>;
  errors: number;
  /** This process's CPU time (autocannon, all threads) per response of the measured run. */
  loadCpuNs: number;
  /** Share of the machine's cores busy during the measured run (server, load generator and the rest), 0-1. */
  machineBusy: number | undefined;
}

function run(spec: LoadSpec, seconds: number, onResponse?: (status: number, ms: number) => void): Promise<autocannon.Result> {
  return new Promise((resolve, reject) => {
    const options: autocannon.Options = {
      url: spec.url,
      connections: spec.connections,
      duration: seconds,
      requests: spec.requests,
    };
    const instance = autocannon(options, (error: unknown, result: autocannon.Result) => (error ? reject(error) : resolve(result)));
    if (onResponse) instance.on('response', (_client: unknown, statusCode: number, _bytes: number, responseTime: number) => onResponse(statusCode, responseTime));
  });
}

const spec = JSON.parse(process.argv[2] ?? '{}') as LoadSpec;
// Statuses are counted from the warm-up on too: a refusal there is as wrong as one measured.
const statuses: Record<string, number> = {};
const count = (status: number) => {
  statuses[status] = (statuses[status] ?? 0) + 1;
};
const warmup = await run(spec, spec.warmupSeconds, count);

// autocannon's own histogram rounds latencies to whole milliseconds; the response event has them exact.
const latenciesMs: number[] = [];
const machineBefore = readMachine();
const cpuBefore = process.cpuUsage();
const started = performance.now();
const result = await run(spec, spec.seconds, (status, ms) => {
  latenciesMs.push(ms);
  count(status);
});
const elapsedS = (performance.now() - started) / 1000;
const cpu = process.cpuUsage(cpuBefore);
const machineBusy = busyShare(machineBefore, readMachine());

const report: LoadResult = {
  requestsPerSec: latenciesMs.length / elapsedS,
  p50Ns: percentile(latenciesMs, 0.5) * 1e6,
  p99Ns: percentile(latenciesMs, 0.99) * 1e6,
  responses: Object.values(statuses).reduce((a, b) => a + b, 0),
  non2xx: Object.entries(statuses).filter(([status]) => !status.startsWith('2')).reduce((n, [, c]) => n + c, 0),
  statuses,
  errors: warmup.errors + result.errors,
  loadCpuNs: latenciesMs.length > 0 ? ((cpu.user + cpu.system) * 1000) / latenciesMs.length : 0,
  machineBusy,
};
tell('BENCH_RESULT', report);
