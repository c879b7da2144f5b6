import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LimiterUnavailableError } from '../../src/limits/rate-limiter.js';
import { RedisOtpThrottle } from '../../src/redis/redis-otp-throttle.js';
import { openConnection, redisSkipReason, TEST_REDIS_URL, testKeyPrefix } from '../support/redis.js';

const NOWHERE = 'redis://127.0.0.1:1';

describe('RedisOtpThrottle', { skip: await redisSkipReason() }, () => {
  it('grants a cooldown once across nodes, then refuses with the seconds left', async (t) => {
    const keyPrefix = testKeyPrefix(t);
    const nodeA = new RedisOtpThrottle((await openConnection(t, TEST_REDIS_URL)).connection, { keyPrefix, failureMode: 'closed' });
    const nodeB = new RedisOtpThrottle((await openConnection(t, TEST_REDIS_URL)).connection, { keyPrefix, failureMode: 'closed' });
    assert.deepEqual(await nodeA.claimCooldown('digest-a', 60), { ok: true });
    assert.deepEqual(await nodeB.claimCooldown('digest-a', 60), { ok: false, retryAfterSeconds: 60 });
    assert.deepEqual(await nodeA.claimCooldown('digest-b', 60), { ok: true }, 'another scope has its own cooldown');
  });

  it('lets a released cooldown be claimed again', async (t) => {
    const throttle = new RedisOtpThrottle((await openConnection(t, TEST_REDIS_URL)).connection, { keyPrefix: testKeyPrefix(t), failureMode: 'closed' });
    assert.equal((await throttle.claimCooldown('digest-a', 60)).ok, true);
    await throttle.releaseCooldown('digest-a');
    assert.equal((await throttle.claimCooldown('digest-a', 60)).ok, true);
  });

  it('keeps a cooldown under a key that expires with it', async (t) => {
    const keyPrefix = testKeyPrefix(t);
    const { connection } = await openConnection(t, TEST_REDIS_URL);
    const throttle = new RedisOtpThrottle(connection, { keyPrefix, failureMode: 'closed' });
    assert.equal((await throttle.claimCooldown('digest-a', 60)).ok, true);
    const ttl = await connection.client.pttl(`${keyPrefix}otp:cooldown:digest-a`);
    assert.ok(ttl > 59_000 && ttl <= 60_000, `PTTL ${ttl}`);
    assert.deepEqual(await throttle.claimCooldown('digest-a', 1), { ok: false, retryAfterSeconds: 60 }, 'a shorter claim does not cut a running cooldown');
  });

  it('counts wrong tries per challenge, shared by nodes, under a key that expires', async (t) => {
    const keyPrefix = testKeyPrefix(t);
    const { connection } = await openConnection(t, TEST_REDIS_URL);
    const nodeA = new RedisOtpThrottle(connection, { keyPrefix, failureMode: 'closed' });
    const nodeB = new RedisOtpThrottle((await openConnection(t, TEST_REDIS_URL)).connection, { keyPrefix, failureMode: 'closed' });
    const counts = [];
    for (let i = 0; i < 5; i++) counts.push((await (i % 2 === 0 ? nodeA : nodeB).incrementTries('chl_1', 600)).count);
    assert.deepEqual(counts, [1, 2, 3, 4, 5]);
    assert.equal((await nodeA.incrementTries('chl_2', 600)).count, 1);
    const ttl = await connection.client.ttl(`${keyPrefix}otp:tries:chl_1`);
    assert.ok(ttl > 590 && ttl <= 600, `TTL ${ttl}`);
    // The window is the first try's: a later try does not stretch it.
    await connection.client.expire(`${keyPrefix}otp:tries:chl_1`, 100);
    assert.equal((await nodeB.incrementTries('chl_1', 600)).count, 6);
    assert.ok((await connection.client.ttl(`${keyPrefix}otp:tries:chl_1`)) <= 100);
    assert.ok((await connection.client.ttl(`${keyPrefix}otp:cooldown:none`)) < 0);
  });
});

describe('RedisOtpThrottle without Redis', () => {
  it('fail-closed rejects with LimiterUnavailableError', async (t) => {
    const { connection } = await openConnection(t, NOWHERE, { ready: false });
    const throttle = new RedisOtpThrottle(connection, { keyPrefix: 'latchkey-test:', failureMode: 'closed' });
    await assert.rejects(throttle.claimCooldown('digest-a', 60), LimiterUnavailableError);
    await assert.rejects(throttle.incrementTries('chl_1', 600), LimiterUnavailableError);
    await assert.rejects(throttle.releaseCooldown('digest-a'), LimiterUnavailableError);
  });

  it('fail-open decides on this node alone', async (t) => {
    const { connection } = await openConnection(t, NOWHERE, { ready: false, failureMode: 'open' });
    const throttle = new RedisOtpThrottle(connection, { keyPrefix: 'latchkey-test:', failureMode: 'open' });
    assert.deepEqual(await throttle.claimCooldown('digest-a', 60), { ok: true });
    assert.deepEqual(await throttle.claimCooldown('digest-a', 60), { ok: false, retryAfterSeconds: 60 });
    assert.equal((await throttle.incrementTries('chl_1', 600)).count, 1);
    assert.equal((await throttle.incrementTries('chl_1', 600)).count, 2);
  });
});
