// Child process: a Latchkey server on a temporary SQLite file, as `serve` builds it, listening on a free port.
// Usage: latchkey-server.ts <keys>. Prints BENCH_READY {url, tenantId, secrets, limiter, redisReady, requestLog, verifyToken}.
import { buildApp } from '../src/http/app.js';
import { tuneV8ForServing } from '../src/runtime-tuning.js';
import { tell } from './bench-child.js';
import { openLatchkey } from './latchkey-fixture.js';

// As `serve` does, before anything is built.
tuneV8ForServing();
const keys = Number(process.argv[2] ?? '1');
const redisUrl = process.env.LATCHKEY_REDIS_URL || undefined;
const fixture = await openLatchkey({
  keys,
  env: { LATCHKEY_REDIS_URL: redisUrl, LATCHKEY_REDIS_PREFIX: process.env.LATCHKEY_REDIS_PREFIX, LATCHKEY_REQUEST_LOG: process.env.LATCHKEY_REQUEST_LOG },
});
const { services } = fixture;
// What a service using the SDK holds: a token that may call the verify API and nothing else.
const verifyToken = (await services.rootTokens.create('bench-verify', 'verify')).token;
const app = await buildApp(services);
services.startBackgroundJobs();
const url = await app.listen({ host: '127.0.0.1', port: 0 });

tell('BENCH_READY', {
  url,
  tenantId: fixture.tenantId,
  secrets: fixture.secrets,
  limiter: services.limiter.constructor.name,
  redisReady: services.redis ? services.redis.connection.isReady() : null,
  requestLog: services.config.requestLog,
  verifyToken,
});

const stop = () => {
  void app.close().then(() => fixture.close()).finally(() => process.exit(0));
};
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
