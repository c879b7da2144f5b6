import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { before, describe, it } from 'node:test';
import { userInfo } from 'node:os';
import pg from 'pg';
import { ensureBuilt, eventually, startServer } from '../support/processes.js';
import { RedisProxy, redisSkipReason, TEST_REDIS_URL, testKeyPrefix } from '../support/redis.js';

const DATABASE_URL = process.env.LATCHKEY_TEST_DATABASE_URL ?? 'postgres://127.0.0.1:5432/test';
const ROOT_TOKEN = 'multi-node-root-token-0123456789abcdefgh';

/** A client as the server makes one: without a user in the URL, PGUSER or the OS user. */
function client(options: { connectionTimeoutMillis?: number } = {}): pg.Client {
  const url = new URL(DATABASE_URL);
  if (!url.username) url.username = process.env.PGUSER ?? userInfo().username;
  return new pg.Client({ connectionString: url.toString(), ...options });
}

async function postgresSkipReason(): Promise<string | undefined> {
  const probe = client({ connectionTimeoutMillis: 2000 });
  try {
    await probe.connect();
    await probe.query('select 1');
    return undefined;
  } catch {
    if (process.env.CI === 'true') throw new Error(`PostgreSQL unreachable at ${DATABASE_URL}, and CI=true requires the multi-node tests to run`);
    return `PostgreSQL unreachable at ${DATABASE_URL}: multi-node tests skipped`;
  } finally {
    await probe.end().catch(() => undefined);
  }
}

const skip = (await postgresSkipReason()) ?? (await redisSkipReason());

describe('two real server processes on one PostgreSQL and one Redis', { skip }, () => {
  before(() => ensureBuilt());

  it('share keys, revocations, rate limits, and survive a Redis outage', async (t) => {
    const schema = `lk_mn_${randomBytes(5).toString('hex')}`;
    t.after(async () => {
      const admin = client();
      await admin.connect();
      await admin.query(`drop schema if exists ${schema} cascade`);
      await admin.end();
    });
    const proxy = await RedisProxy.start(t, TEST_REDIS_URL);
    const env = {
      LATCHKEY_DATABASE_URL: `${DATABASE_URL}?schema=${schema}`,
      LATCHKEY_REDIS_URL: proxy.url,
      LATCHKEY_REDIS_PREFIX: testKeyPrefix(t),
      LATCHKEY_ROOT_TOKEN: ROOT_TOKEN,
      LATCHKEY_ADMIN_EMAILS: 'ops@example.com',
    };
    // Started together: both apply the migrations, under the migration lock.
    const [a, b] = await Promise.all([startServer(t, env), startServer(t, env)]);
    const api = async (node: { url: string }, method: string, path: string, body?: unknown) => {
      const res = await fetch(`${node.url}${path}`, {
        method,
        headers: { authorization: `Bearer ${ROOT_TOKEN}`, ...(body ? { 'content-type': 'application/json' } : {}) },
        ...(body ? { body: JSON.stringify(body) } : {}),
      });
      return (await res.json()) as Record<string, any>;
    };
    const call = async (node: { url: string }, tenantId: string, secret: string) => {
      const res = await fetch(`${node.url}/api/v1/m2m/tenants/${tenantId}/limits`, { headers: { 'x-api-key': secret } });
      return { status: res.status, code: res.ok ? 'valid' : ((await res.json()) as { code: string }).code };
    };

    const tenant = await api(a, 'POST', '/v1/tenants', { name: 'Multi' });
    const made = await api(a, 'POST', `/v1/tenants/${tenant.id}/keys`, { name: 'k', environment: 'production' });
    assert.equal((await call(b, tenant.id, made.secret)).status, 200, 'a key created on A works on B');

    await api(a, 'POST', `/v1/tenants/${tenant.id}/keys/${made.key.id}/revoke`);
    assert.ok(await eventually(async () => (await call(b, tenant.id, made.secret)).code === 'revoked_api_key', 1000), 'a revoke on A is refused on B within one second');

    const limited = await api(b, 'POST', `/v1/tenants/${tenant.id}/keys`, { name: 'ten-rpm', environment: 'production', rate_limit: { requests_per_minute: 10 } });
    const statuses = [];
    for (let i = 0; i < 16; i++) statuses.push((await call(i % 2 ? b : a, tenant.id, limited.secret)).status);
    assert.equal(statuses.filter((s) => s === 200).length, 10, `exactly 10 passes across both nodes: ${statuses.join(',')}`);

    const spare = await api(a, 'POST', `/v1/tenants/${tenant.id}/keys`, { name: 'spare', environment: 'production' });
    assert.equal((await call(a, tenant.id, spare.secret)).status, 200);
    await proxy.stop();
    assert.equal((await call(a, tenant.id, spare.secret)).code, 'unavailable', 'fail-closed while Redis is down');
    assert.equal((await call(b, tenant.id, spare.secret)).code, 'unavailable');
    assert.equal((await fetch(`${a.url}/readyz`)).status, 503);
    await proxy.start();
    assert.ok(await eventually(async () => (await call(a, tenant.id, spare.secret)).status === 200 && (await call(b, tenant.id, spare.secret)).status === 200, 15_000), 'both nodes recover by themselves');
    assert.equal((await fetch(`${b.url}/readyz`)).status, 200);
    for (const node of [a, b]) {
      assert.equal(node.output().split('\n').filter((l) => /Redis unreachable/i.test(l)).length, 1, 'one log line per outage');
    }
  });
});
