// Child process: bare Fastify answering the M2M limits route (or the verify API's) with a fixed copy of Latchkey's
// JSON — the HTTP ceiling. Usage: bare-server.ts '<BareSpec json>' (see http-servers.ts). With headers (Latchkey's
// own answer's X-Request-Id and rate-limit headers), it sends them too, so its responses are byte for byte as long
// as Latchkey's. With work, each request first spends about that many microseconds of CPU hashing (part `budget`).
// Prints BENCH_READY {url}.
import { hash } from 'node:crypto';
import Fastify from 'fastify';
import { tuneV8ForServing } from '../src/runtime-tuning.js';
import { tell } from './bench-child.js';
import type { BareSpec } from './http-servers.js';

// The V8 setting Latchkey's `serve` applies, so that both servers run in the same process setup.
tuneV8ForServing();
const spec = JSON.parse(process.argv[2] ?? '{}') as BareSpec;
const work = busyWork(spec.workMicros ?? 0);
const app = Fastify();

// The same response shape as Latchkey's route, serialized from a schema as a Fastify user would.
const limitsSchema = {
  type: 'object',
  properties: {
    tenant_id: { type: 'string' },
    plan: { type: 'string' },
    environment: { type: 'string' },
    key: {
      type: 'object',
      properties: { id: { type: 'string' }, name: { type: 'string' }, scopes: { type: 'array', items: { type: 'string' } }, expires_at: { type: ['string', 'null'] } },
    },
    rate_limit: {
      type: 'object',
      properties: { limit: { type: 'integer' }, remaining: { type: 'integer' }, reset: { type: 'integer' }, window: { type: 'integer' } },
    },
  },
};

// What the verify API answers, as a Fastify user would declare it; the request body is checked by a schema too.
const verifySchema = {
  type: 'object',
  properties: {
    valid: { type: 'boolean' },
    code: { type: 'string' },
    status: { type: 'integer' },
    details: { type: ['string', 'null'] },
    key_id: { type: ['string', 'null'] },
    tenant_id: { type: ['string', 'null'] },
    environment: { type: ['string', 'null'] },
    scopes: { type: 'array', items: { type: 'string' } },
    expires_at: { type: ['string', 'null'] },
    rate_limit: {
      type: ['object', 'null'],
      properties: { limit: { type: 'integer' }, remaining: { type: 'integer' }, reset: { type: 'integer' }, window: { type: 'integer' } },
    },
    retry_after: { type: ['integer', 'null'] },
  },
};
const verifyBodySchema = {
  type: 'object',
  required: ['key'],
  properties: {
    key: { type: 'string', minLength: 1, maxLength: 200 },
    ip: { type: 'string', format: 'ipv4' },
    tenant_id: { type: 'string', maxLength: 1000 },
    path: { type: 'string', pattern: '^/', maxLength: 2048 },
    method: { type: 'string', pattern: '^[A-Za-z]{1,16}$' },
  },
  additionalProperties: false,
};

const headers = spec.headers;
const answer = async (_request: unknown, reply: { headers(h: Record<string, string>): unknown }) => {
  if (headers !== undefined) reply.headers(headers);
  work();
  return spec.body;
};
if (spec.route === 'verify') app.post('/v1/keys/verify', { schema: { body: verifyBodySchema, response: { 200: verifySchema } } }, answer);
else app.get('/api/v1/m2m/tenants/:tenantId/limits', { schema: { response: { 200: limitsSchema } } }, answer);

/**
 * A function that spends about `micros` µs of CPU: SHA-256 of a 1 KiB buffer, a number of times counted from
 * the fastest of several timed calibration runs (the one least disturbed by the machine's other load). Native
 * work, so the JIT's tiers cannot change its cost; a count, not a clock, so preemption cannot shorten it.
 */
function busyWork(micros: number): () => void {
  if (!(micros > 0)) return () => {};
  const input = Buffer.alloc(1024, 7);
  const spin = (times: number): void => {
    for (let i = 0; i < times; i++) hash('sha256', input);
  };
  const CALIBRATION = 20_000;
  let fastestNs = Infinity;
  for (let run = 0; run < 7; run++) {
    const started = process.hrtime.bigint();
    spin(CALIBRATION);
    fastestNs = Math.min(fastestNs, Number(process.hrtime.bigint() - started));
  }
  const times = Math.max(1, Math.round((micros * 1000 * CALIBRATION) / fastestNs));
  return () => spin(times);
}

const url = await app.listen({ host: '127.0.0.1', port: 0 });
tell('BENCH_READY', { url });
process.once('SIGTERM', () => void app.close().finally(() => process.exit(0)));
