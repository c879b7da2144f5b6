import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Redis } from 'ioredis';
import { LimiterUnavailableError, type RateLimitDecision } from '../../src/limits/rate-limiter.js';
import { RedisTokenBucketLimiter } from '../../src/limits/redis-limiter.js';
import { TOKEN_BUCKET_SHA } from '../../src/limits/redis-token-bucket-script.js';
import { nextStatus, openConnection, RedisProxy, redisSkipReason, TEST_REDIS_URL, testKeyPrefix } from '../support/redis.js';

/** Nothing listens there: Redis is unreachable from the start. */
const NOWHERE = 'redis://127.0.0.1:1';

async function takeAll(limiter: RedisTokenBucketLimiter, count: number, rule = { requestsPerMinute: 5, burst: 5 }): Promise<RateLimitDecision[]> {
  const decisions = [];
  for (let i = 0; i < count; i++) decisions.push(await limiter.take('key_a', rule, Date.now()));
  return decisions;
}

describe('RedisTokenBucketLimiter', { skip: await redisSkipReason() }, () => {
  it('passes exactly `burst` immediate takes, then denies with Retry-After 12 s for 5 rpm', async (t) => {
    const { connection } = await openConnection(t, TEST_REDIS_URL);
    const limiter = new RedisTokenBucketLimiter(connection, { keyPrefix: testKeyPrefix(t), failureMode: 'closed' });
    const decisions = await takeAll(limiter, 6);
    assert.deepEqual(
      decisions.map((d) => d.allowed),
      [true, true, true, true, true, false],
    );
    assert.deepEqual(
      decisions.map((d) => d.remaining),
      [4, 3, 2, 1, 0, 0],
    );
    const denied = decisions[5]!;
    assert.equal(denied.retryAfterSeconds, 12);
    assert.equal(denied.limit, 5);
    assert.equal(denied.windowSeconds, 60);
    const nowSeconds = Date.now() / 1000;
    assert.ok(denied.resetAt >= Math.floor(nowSeconds + 59) && denied.resetAt <= Math.ceil(nowSeconds + 60), `resetAt ${denied.resetAt} about a minute ahead`);
  });

  it('a take of 0 reads the bucket: it reports what is left and changes nothing, not even a missing bucket', async (t) => {
    const keyPrefix = testKeyPrefix(t);
    const { connection } = await openConnection(t, TEST_REDIS_URL);
    const limiter = new RedisTokenBucketLimiter(connection, { keyPrefix, failureMode: 'closed' });
    const rule = { requestsPerMinute: 5, burst: 5 };
    const fresh = await limiter.take('key_a', rule, Date.now(), 0);
    assert.deepEqual([fresh.allowed, fresh.remaining], [true, 5]);
    assert.equal(await connection.client.exists(`${keyPrefix}rl:key_a`), 0, 'reading wrote no bucket');
    await takeAll(limiter, 2);
    for (let i = 0; i < 3; i++) assert.equal((await limiter.take('key_a', rule, Date.now(), 0)).remaining, 3);
    assert.deepEqual((await takeAll(limiter, 4)).map((d) => d.allowed), [true, true, true, false]);
  });

  it('applies a changed rule at once (tokens clamped to the new burst)', async (t) => {
    const { connection } = await openConnection(t, TEST_REDIS_URL);
    const limiter = new RedisTokenBucketLimiter(connection, { keyPrefix: testKeyPrefix(t), failureMode: 'closed' });
    assert.equal((await limiter.take('key_a', { requestsPerMinute: 100, burst: 100 }, Date.now())).remaining, 99);
    const narrow = { requestsPerMinute: 3, burst: 3 };
    const decisions = await takeAll(limiter, 4, narrow);
    assert.deepEqual(
      decisions.map((d) => [d.allowed, d.remaining, d.limit]),
      [
        [true, 2, 3],
        [true, 1, 3],
        [true, 0, 3],
        [false, 0, 3],
      ],
    );
    assert.equal(decisions[3]!.retryAfterSeconds, 20);
  });

  it('shares one bucket between two nodes: a 10 rpm rule gives exactly 10 passes in all', async (t) => {
    const keyPrefix = testKeyPrefix(t);
    const nodes = await Promise.all(
      [1, 2].map(async () => {
        const { connection } = await openConnection(t, TEST_REDIS_URL);
        return new RedisTokenBucketLimiter(connection, { keyPrefix, failureMode: 'closed' });
      }),
    );
    const rule = { requestsPerMinute: 10, burst: 10 };
    const takes = Array.from({ length: 30 }, (_, i) => nodes[i % 2]!.take('key_shared', rule, Date.now()));
    const decisions = await Promise.all(takes);
    assert.equal(decisions.filter((d) => d.allowed).length, 10);
    assert.deepEqual(decisions.filter((d) => d.allowed).map((d) => d.remaining).sort((a, b) => b - a), [9, 8, 7, 6, 5, 4, 3, 2, 1, 0]);
  });

  it('keeps each bucket under a key that expires once the bucket would be full again', async (t) => {
    const keyPrefix = testKeyPrefix(t);
    const { connection } = await openConnection(t, TEST_REDIS_URL);
    const limiter = new RedisTokenBucketLimiter(connection, { keyPrefix, failureMode: 'closed' });
    await takeAll(limiter, 2, { requestsPerMinute: 60, burst: 10 });
    const ttl = await connection.client.pttl(`${keyPrefix}rl:key_a`);
    // Two tokens short at one per second: full in 2 s, kept one second more.
    assert.ok(ttl > 2000 && ttl <= 3000, `PTTL ${ttl}`);
  });

  it('loads the script again after SCRIPT FLUSH and carries on with the same bucket', async (t) => {
    const { connection } = await openConnection(t, TEST_REDIS_URL);
    const limiter = new RedisTokenBucketLimiter(connection, { keyPrefix: testKeyPrefix(t), failureMode: 'closed' });
    assert.equal((await takeAll(limiter, 1))[0]!.remaining, 4);
    const admin = new Redis(TEST_REDIS_URL);
    t.after(() => admin.quit());
    await admin.script('FLUSH');
    assert.deepEqual(await admin.script('EXISTS', TOKEN_BUCKET_SHA), [0]);
    const after = await takeAll(limiter, 2);
    assert.deepEqual(
      after.map((d) => d.remaining),
      [3, 2],
    );
    assert.deepEqual(await admin.script('EXISTS', TOKEN_BUCKET_SHA), [1]);
  });

  it('fail-closed refuses while Redis is away, and decides again from the shared bucket once it is back', async (t) => {
    const proxy = await RedisProxy.start(t, TEST_REDIS_URL);
    const { connection, logger } = await openConnection(t, proxy.url, { failureMode: 'closed' });
    const limiter = new RedisTokenBucketLimiter(connection, { keyPrefix: testKeyPrefix(t), failureMode: 'closed' });
    assert.equal((await takeAll(limiter, 1))[0]!.remaining, 4);

    const down = nextStatus(connection, false);
    await proxy.stop();
    await down;
    await assert.rejects(async () => limiter.take('key_a', { requestsPerMinute: 5, burst: 5 }, Date.now()), LimiterUnavailableError);

    const up = nextStatus(connection, true);
    await proxy.start();
    await up;
    assert.deepEqual(
      (await takeAll(limiter, 1)).map((d) => [d.allowed, d.remaining]),
      [[true, 3]],
      'the bucket in Redis kept its state through the outage',
    );
    assert.deepEqual(logger.messages('warn'), ['Redis unreachable: requests needing it are refused with 503 (LATCHKEY_REDIS_FAILURE=closed)']);
    assert.ok(logger.messages('info').includes('Redis reachable again'));
  });

  it('treats a Redis that stops answering as unreachable: closed refuses, open decides locally', async (t) => {
    const proxy = await RedisProxy.start(t, TEST_REDIS_URL);
    const keyPrefix = testKeyPrefix(t);
    const { connection } = await openConnection(t, proxy.url, { commandTimeoutMs: 200 });
    const closed = new RedisTokenBucketLimiter(connection, { keyPrefix, failureMode: 'closed' });
    const open = new RedisTokenBucketLimiter(connection, { keyPrefix, failureMode: 'open' });
    await takeAll(closed, 1);
    proxy.hang();
    await assert.rejects(async () => closed.take('key_a', { requestsPerMinute: 5, burst: 5 }, Date.now()), LimiterUnavailableError);
    const local = await open.take('key_a', { requestsPerMinute: 5, burst: 5 }, Date.now());
    assert.equal(local.allowed, true);
    assert.equal(local.remaining, 4, "a fresh local bucket: this node's share while Redis is silent");
  });
});

describe('RedisTokenBucketLimiter without Redis', () => {
  it('fail-closed rejects every take with LimiterUnavailableError', async (t) => {
    const { connection } = await openConnection(t, NOWHERE, { ready: false, failureMode: 'closed' });
    const limiter = new RedisTokenBucketLimiter(connection, { keyPrefix: 'latchkey-test:', failureMode: 'closed' });
    for (let i = 0; i < 3; i++) {
      await assert.rejects(async () => limiter.take('key_a', { requestsPerMinute: 5, burst: 5 }, Date.now()), LimiterUnavailableError);
    }
  });

  it('fail-open decides with a local bucket of the same semantics', async (t) => {
    const { connection } = await openConnection(t, NOWHERE, { ready: false, failureMode: 'open' });
    const limiter = new RedisTokenBucketLimiter(connection, { keyPrefix: 'latchkey-test:', failureMode: 'open' });
    const now = Date.UTC(2026, 0, 1);
    const decisions = [];
    for (let i = 0; i < 6; i++) decisions.push(await limiter.take('key_a', { requestsPerMinute: 5, burst: 5 }, now));
    assert.deepEqual(
      decisions.map((d) => d.allowed),
      [true, true, true, true, true, false],
    );
    assert.equal(decisions[5]!.retryAfterSeconds, 12);
  });
});

describe('RedisTokenBucketLimiter on a link that loses bytes', { skip: await redisSkipReason() }, () => {
  it("never answers a take with another take's reply: a lost reply fails its take and replaces the connection", async (t) => {
    const proxy = await RedisProxy.start(t, TEST_REDIS_URL);
    const { connection, logger } = await openConnection(t, proxy.url, { commandTimeoutMs: 2000 });
    const limiter = new RedisTokenBucketLimiter(connection, { keyPrefix: testKeyPrefix(t), failureMode: 'closed' });
    const small = { requestsPerMinute: 5, burst: 5 };
    const large = { requestsPerMinute: 2000, burst: 2000 };
    await limiter.take('key_small', small, Date.now());
    // The small key's reply is lost on the way; the large key's take follows before the first times out, and its
    // reply is the next to arrive: paired in order, it would be the small key's answer (1999 left of 5).
    const replaced = nextStatus(connection, true);
    proxy.dropNextReply();
    const lost = Promise.resolve(limiter.take('key_small', small, Date.now()));
    await new Promise((resolve) => setTimeout(resolve, 50));
    const next = Promise.resolve(limiter.take('key_large', large, Date.now()));
    await assert.rejects(lost, LimiterUnavailableError);
    await assert.rejects(next, LimiterUnavailableError, 'its own reply was taken by the lost one: it is not decided on a connection out of step');
    assert.ok(logger.lines.some((line) => line.msg === 'Redis connection out of step: reconnecting'), 'the connection is replaced');

    // Bounded: a connection never replaced shows in the answers below.
    await Promise.race([replaced, new Promise((resolve) => setTimeout(resolve, 5000))]);
    const decisions = await Promise.all([0, 1, 2, 3, 4, 5].map((i) => limiter.take(i % 2 === 0 ? 'key_large' : 'key_small', i % 2 === 0 ? large : small, Date.now())));
    for (const [i, decision] of decisions.entries()) assert.equal(decision.limit, i % 2 === 0 ? 2000 : 5, `take ${i} got its own bucket's answer`);
  });

  it('replaces a connection on which a take timed out, so that takes sent together after the link heals get their own answers', async (t) => {
    const proxy = await RedisProxy.start(t, TEST_REDIS_URL);
    const { connection } = await openConnection(t, proxy.url, { commandTimeoutMs: 200 });
    const limiter = new RedisTokenBucketLimiter(connection, { keyPrefix: testKeyPrefix(t), failureMode: 'closed' });
    const small = { requestsPerMinute: 5, burst: 5 };
    const large = { requestsPerMinute: 2000, burst: 2000 };
    await limiter.take('key_small', small, Date.now());
    const replaced = nextStatus(connection, true);
    proxy.hang();
    await assert.rejects(Promise.resolve(limiter.take('key_small', small, Date.now())), LimiterUnavailableError);
    proxy.resume();
    // Bounded: a connection never replaced shows in the answers below.
    await Promise.race([replaced, new Promise((resolve) => setTimeout(resolve, 5000))]);
    let allowedSmall = 0;
    for (let round = 0; round < 5; round++) {
      const decisions = await Promise.allSettled([limiter.take('key_large', large, Date.now()), limiter.take('key_large', large, Date.now()), limiter.take('key_small', small, Date.now())]);
      for (const [i, settled] of decisions.entries()) {
        assert.equal(settled.status, 'fulfilled', `round ${round}, take ${i}`);
        const decision = (settled as PromiseFulfilledResult<RateLimitDecision>).value;
        assert.equal(decision.limit, i < 2 ? 2000 : 5, `round ${round}, take ${i}: its own bucket's answer`);
        if (i === 2 && decision.allowed) allowedSmall++;
      }
    }
    assert.equal(allowedSmall, 4, 'the small key got what was left of its 5, no more');
  });
});
