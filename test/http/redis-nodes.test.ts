import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { eventually } from '../support/processes.js';
import { RedisProxy, redisSkipReason, TEST_REDIS_URL, testKeyPrefix } from '../support/redis.js';
import { createKey, createTenant, startTestApp, type TestApp } from '../support/test-app.js';

const limits = (tenantId: string) => `/api/v1/m2m/tenants/${tenantId}/limits`;

/** Two nodes on one database and one Redis (in this process; the multi-node suite uses real processes). */
async function twoNodes(t: Parameters<typeof startTestApp>[0], redisUrl = TEST_REDIS_URL, extra: Record<string, string> = {}): Promise<[TestApp, TestApp]> {
  const prefix = testKeyPrefix(t);
  const a = await startTestApp(t, { LATCHKEY_REDIS_URL: TEST_REDIS_URL, LATCHKEY_REDIS_PREFIX: prefix });
  const b = await startTestApp(t, { LATCHKEY_DATABASE_URL: `sqlite:${join(a.dir, 'latchkey.db')}`, LATCHKEY_REDIS_URL: redisUrl, LATCHKEY_REDIS_PREFIX: prefix, ...extra });
  for (const node of [a, b]) await node.services.listenForChanges();
  return [a, b];
}

describe('nodes sharing Redis', { skip: await redisSkipReason() }, () => {
  it('a key made on A works on B, and a revoke on A is refused on B through pub/sub', async (t) => {
    const [a, b] = await twoNodes(t);
    const tenant = await createTenant(a);
    const { key, secret } = await createKey(a, tenant.id);
    assert.equal((await b.machine(limits(tenant.id), secret)).statusCode, 200);
    await a.root('POST', `/v1/tenants/${tenant.id}/keys/${key.id}/revoke`);
    const refused = await eventually(async () => (await b.machine(limits(tenant.id), secret)).json().code === 'revoked_api_key', 1000);
    assert.ok(refused, 'B refuses the key within one second (B runs no change-feed poll: only pub/sub can have told it)');
  });

  it('shares the token bucket: a 10 rpm key gets exactly 10 passes across both nodes', async (t) => {
    const [a, b] = await twoNodes(t);
    const tenant = await createTenant(a);
    const { secret } = await createKey(a, tenant.id, { rate_limit: { requests_per_minute: 10 } });
    const statuses = [];
    for (let i = 0; i < 16; i++) statuses.push((await (i % 2 ? b : a).machine(limits(tenant.id), secret)).statusCode);
    assert.equal(statuses.filter((s) => s === 200).length, 10);
    assert.equal(statuses.filter((s) => s === 429).length, 6);
    assert.equal((await a.app.inject({ url: '/readyz' })).json().checks.redis, true);
  });

  it('fail-closed: while Redis is away, limited requests get 503 unavailable and /readyz fails; then it recovers', async (t) => {
    const proxy = await RedisProxy.start(t, TEST_REDIS_URL);
    const [a, b] = await twoNodes(t, proxy.url);
    const tenant = await createTenant(a);
    const { secret } = await createKey(a, tenant.id);
    assert.equal((await b.machine(limits(tenant.id), secret)).statusCode, 200);
    await proxy.stop();
    const down = await b.machine(limits(tenant.id), secret);
    assert.equal(down.statusCode, 503);
    assert.equal(down.json().code, 'unavailable');
    assert.equal(down.headers['retry-after'], '5');
    assert.equal((await b.app.inject({ url: '/readyz' })).statusCode, 503);
    await b.machine(limits(tenant.id), secret);
    const outageLines = b.logs().split('\n').filter((l) => /Redis unreachable/i.test(l));
    assert.equal(outageLines.length, 1, 'the outage is logged once, not once per request');
    await proxy.start();
    assert.ok(await eventually(async () => (await b.machine(limits(tenant.id), secret)).statusCode === 200, 10_000), 'recovers by itself');
  });

  it('fail-closed: a sign-in code asked for while Redis is away is 503 naming the rate limiter, with no stack in the log', async (t) => {
    const proxy = await RedisProxy.start(t, TEST_REDIS_URL);
    const [, b] = await twoNodes(t, proxy.url);
    await proxy.stop();
    const res = await b.app.inject({ method: 'POST', url: '/v1/auth/otp', payload: { email: 'admin@localhost' } });
    assert.equal(res.statusCode, 503);
    assert.equal(res.json().code, 'unavailable');
    assert.match(res.json().details, /rate limiter/);
    assert.doesNotMatch(b.logs(), /request failed|"stack"/);
  });

  it('/readyz fails while Redis keeps its connection but answers nothing', async (t) => {
    const proxy = await RedisProxy.start(t, TEST_REDIS_URL);
    const [, b] = await twoNodes(t, proxy.url);
    assert.equal((await b.app.inject({ url: '/readyz' })).statusCode, 200);
    proxy.hang();
    const hung = await b.app.inject({ url: '/readyz' });
    assert.equal(hung.statusCode, 503);
    assert.deepEqual(hung.json().checks, { storage: true, redis: false });
  });

  it('fail-open: while Redis is away, requests are decided with local limits', async (t) => {
    const proxy = await RedisProxy.start(t, TEST_REDIS_URL);
    const [a, b] = await twoNodes(t, proxy.url, { LATCHKEY_REDIS_FAILURE: 'open' });
    const tenant = await createTenant(a);
    const { secret } = await createKey(a, tenant.id, { rate_limit: { requests_per_minute: 3 } });
    await proxy.stop();
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await b.machine(limits(tenant.id), secret)).statusCode);
    assert.deepEqual(statuses, [200, 200, 200, 429]);
    assert.match(b.logs(), /local limits/i);
  });

  it('after a Redis outage a node reads the change feed at once: a revoke it missed holds, and its other cached keys stay cached', async (t) => {
    const proxy = await RedisProxy.start(t, TEST_REDIS_URL);
    const [a, b] = await twoNodes(t, proxy.url);
    // As B's ticking poll would have done since it started (this harness runs none): the feed's position.
    await b.services.changes.poll();
    const tenant = await createTenant(a);
    const revoked = await createKey(a, tenant.id, { name: 'revoked-meanwhile' });
    const kept = await createKey(a, tenant.id, { name: 'untouched' });
    for (const { secret } of [revoked, kept]) assert.equal((await b.machine(limits(tenant.id), secret)).statusCode, 200);

    await proxy.stop();
    assert.ok(await eventually(async () => (await b.app.inject({ url: '/readyz' })).statusCode === 503, 5000), 'B sees Redis go');
    // Published while B's subscription is down: lost to B.
    await a.root('POST', `/v1/tenants/${tenant.id}/keys/${revoked.key.id}/revoke`);
    await proxy.start();
    const refused = await eventually(async () => (await b.machine(limits(tenant.id), revoked.secret)).json().code === 'revoked_api_key', 5000);
    assert.ok(refused, 'B applies the missed revoke on reconnect (it runs no ticking poll, and the cached entry would live 60 s)');

    const misses = async () => Number(/^latchkey_key_cache_misses_total (\d+)$/m.exec((await b.root('GET', '/metrics')).body)?.[1]);
    const before = await misses();
    assert.equal((await b.machine(limits(tenant.id), kept.secret)).statusCode, 200);
    assert.equal(await misses(), before, 'the untouched key is still served from the cache');
  });
});
