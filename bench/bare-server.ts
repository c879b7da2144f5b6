// Child process: bare Fastify answering the M2M limits route with a fixed copy of Latchkey's JSON — the HTTP ceiling.
// Usage: bare-server.ts '<body json>' ['<headers json>']. With headers (Latchkey's own answer's X-Request-Id and
// rate-limit headers), it sends them too, so its responses are byte for byte as long as Latchkey's.
// Prints BENCH_READY {url}.
import Fastify from 'fastify';
import { tuneV8ForServing } from '../src/runtime-tuning.js';
import { tell } from './bench-child.js';

// The V8 setting Latchkey's `serve` applies, so that both servers run in the same process setup.
tuneV8ForServing();
const body = JSON.parse(process.argv[2] ?? '{}') as Record<string, unknown>;
const headers = JSON.parse(process.argv[3] ?? 'null') as Record<string, string> | null;
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

if (headers === null) app.get('/api/v1/m2m/tenants/:tenantId/limits', { schema: { response: { 200: limitsSchema } } }, async () => body);
else {
  app.get('/api/v1/m2m/tenants/:tenantId/limits', { schema: { response: { 200: limitsSchema } } }, async (_request, reply) => {
    reply.headers(headers);
    return body;
  });
}

const url = await app.listen({ host: '127.0.0.1', port: 0 });
tell('BENCH_READY', { url });
process.once('SIGTERM', () => void app.close().finally(() => process.exit(0)));
