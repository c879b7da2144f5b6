// Part 5: the HTTP figure with LATCHKEY_REDIS_URL set (Redis limiter), against the same server with the in-memory limiter.
import type { PartOptions } from './bench-options.js';
import { alternate, type HttpFigures, httpRows, probe, type Server, startLatchkey } from './http-servers.js';
import type { Row } from './report.js';

const REDIS_URL = process.env.LATCHKEY_BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';

function skipped(reason: string): { rows: Row[]; figures: HttpFigures[] } {
  return { rows: [{ part: '5 Redis', figure: 'Latchkey with LATCHKEY_REDIS_URL, requests/s', latchkey: `skipped: ${reason}` }], figures: [] };
}

export async function runRedis(options: PartOptions): Promise<{ rows: Row[]; figures: HttpFigures[] }> {
  const servers: Server[] = [];
  try {
    // Its own prefix, so the bench's buckets and messages never meet a test run's on the same Redis.
    const prefix = `latchkey-bench-${process.pid}-${Date.now()}:`;
    const redis = await startLatchkey('Latchkey + Redis', { LATCHKEY_REDIS_URL: REDIS_URL, LATCHKEY_REDIS_PREFIX: prefix });
    servers.push(redis.server);
    if (redis.ready.redisReady === null) return skipped('the server ignores LATCHKEY_REDIS_URL (Redis not wired yet)');
    if (!redis.ready.redisReady) return skipped(`Redis unreachable at ${REDIS_URL}`);
    const first = await probe(redis.server);
    if (first.status !== 200) return skipped(`the Redis-backed server answered ${first.status}: ${JSON.stringify(first.body)}`);

    const memory = await startLatchkey('Latchkey, in-memory limiter');
    servers.push(memory.server);
    const [withRedis, inMemory] = (await alternate([redis.server, memory.server], options)) as [HttpFigures, HttpFigures];
    const rows = httpRows('5 Redis', withRedis, inMemory, {});
    rows.unshift({ part: '5 Redis', figure: 'limiter in use', latchkey: redis.ready.limiter, baselineName: 'in-memory', baseline: memory.ready.limiter });
    return { rows, figures: [withRedis] };
  } finally {
    await Promise.all(servers.map((s) => s.child.stop()));
  }
}
