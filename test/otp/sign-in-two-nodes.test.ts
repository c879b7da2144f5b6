// Sign-in on PostgreSQL and Redis, across two app instances sharing them (as two nodes would).
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { userInfo } from 'node:os';
import { describe, it } from 'node:test';
import { Redis } from 'ioredis';
import pg from 'pg';
import { loadConfig } from '../../src/config.js';
import { buildApp } from '../../src/http/app.js';
import type { TypedApp } from '../../src/http/typed-app.js';
import { createLogger } from '../../src/logger.js';
import { buildServices } from '../../src/services.js';
import { redisSkipReason, TEST_REDIS_URL, testKeyPrefix } from '../support/redis.js';
import { asUser, sessionCookie } from '../support/sign-in.js';
import { startSmtpCapture } from '../support/smtp.js';
import { ROOT_TOKEN, type Cleanup, type TestApp } from '../support/test-app.js';

const DATABASE_URL = process.env.LATCHKEY_TEST_DATABASE_URL ?? 'postgres://127.0.0.1:5432/test';

function adminClient(): pg.Client {
  const url = new URL(DATABASE_URL);
  if (!url.username) url.username = process.env.PGUSER ?? userInfo().username;
  const client = new pg.Client({ connectionString: url.toString(), connectionTimeoutMillis: 2000 });
  client.on('error', () => {});
  return client;
}

async function postgresSkipReason(): Promise<string | undefined> {
  const client = adminClient();
  try {
    await client.connect();
    await client.query('select 1');
    return undefined;
  } catch {
    if (process.env.CI === 'true') throw new Error(`PostgreSQL unreachable at ${DATABASE_URL}, and CI=true requires these tests to run`);
    return `PostgreSQL unreachable at ${DATABASE_URL}: sign-in on PostgreSQL skipped`;
  } finally {
    await client.end().catch(() => {});
  }
}

const skip = (await postgresSkipReason()) ?? (await redisSkipReason());

/** A node: its own services and app on the shared schema and Redis prefix. */
async function node(t: Cleanup, env: Record<string, string>): Promise<TestApp> {
  const services = await buildServices(loadConfig(env), { logger: createLogger('silent') });
  const app: TypedApp = await buildApp(services);
  await app.ready();
  t.after(async () => {
    await app.close();
    await services.close();
  });
  return {
    app,
    services,
    dir: '',
    logs: () => '',
    root: (method, url, body) => app.inject({ method: method as 'GET', url, headers: { authorization: `Bearer ${ROOT_TOKEN}` }, ...(body === undefined ? {} : { payload: body as object }) }),
    machine: (url, key) => app.inject({ method: 'GET', url, headers: { 'x-api-key': key } }),
  };
}

describe('sign-in on PostgreSQL and Redis, two nodes', { skip }, () => {
  it('a code sent by one node verifies on the other; sessions, CSRF, cooldowns and tries are shared', async (t) => {
    const schema = `lk_otp_${randomBytes(5).toString('hex')}`;
    t.after(async () => {
      const admin = adminClient();
      await admin.connect();
      await admin.query(`drop schema if exists ${schema} cascade`);
      await admin.end();
    });
    const mail = await startSmtpCapture(t);
    const prefix = testKeyPrefix(t);
    const env = {
      LATCHKEY_DATABASE_URL: `${DATABASE_URL}?schema=${schema}`,
      LATCHKEY_REDIS_URL: TEST_REDIS_URL,
      LATCHKEY_REDIS_PREFIX: prefix,
      LATCHKEY_ROOT_TOKEN: ROOT_TOKEN,
      LATCHKEY_SMTP_URL: mail.url,
    };
    const a = await node(t, env);
    const b = await node(t, env);
    const tenant = (await a.root('POST', '/v1/tenants', { name: 'Acme', plan: 'pro' })).json().id as string;
    assert.equal((await a.root('POST', `/v1/tenants/${tenant}/members`, { email: 'ann@acme.example', role: 'owner' })).statusCode, 201);

    assert.equal((await a.app.inject({ method: 'POST', url: '/v1/auth/otp', payload: { email: 'ann@acme.example' } })).statusCode, 202);
    const again = await b.app.inject({ method: 'POST', url: '/v1/auth/otp', payload: { email: 'ann@acme.example' } });
    assert.equal(again.statusCode, 429, 'the cooldown holds across nodes');
    assert.ok(Number(again.headers['retry-after']) >= 1);

    const redis = new Redis(TEST_REDIS_URL);
    const keys = await redis.keys(`${prefix}otp:*`);
    await redis.quit();
    assert.ok(keys.some((k) => k.startsWith(`${prefix}otp:cooldown:`)), 'the cooldown is in Redis');
    assert.ok(keys.every((k) => !k.includes('ann') && !k.includes('@')), 'cooldown keys are digests, not addresses');

    const code = await mail.code('ann@acme.example');
    const wrong = code === '000000' ? '000001' : '000000';
    const verifyOn = (n: TestApp, c: string) => n.app.inject({ method: 'POST', url: '/v1/auth/otp/verify', payload: { email: 'ann@acme.example', code: c } });
    assert.equal((await verifyOn(a, wrong)).json().code, 'otp_invalid');
    assert.equal((await verifyOn(b, wrong)).json().code, 'otp_invalid');
    const verified = await verifyOn(b, code);
    assert.equal(verified.statusCode, 200, 'node B knows the code node A sent');
    assert.equal((await verifyOn(a, code)).json().code, 'otp_expired', 'used once, on any node');

    const cookie = sessionCookie(verified);
    const meA = await a.app.inject({ method: 'GET', url: '/v1/auth/me', headers: { cookie } });
    const meB = await b.app.inject({ method: 'GET', url: '/v1/auth/me', headers: { cookie } });
    assert.equal(meA.statusCode, 200);
    assert.equal(meA.json().csrf_token, meB.json().csrf_token, 'both nodes derive the same CSRF token from the shared key');
    const session = { cookie, csrf: meA.json().csrf_token as string };
    assert.equal((await asUser(b, session)('GET', `/v1/tenants/${tenant}`)).statusCode, 200, 'the dashboard opens the tenant');

    const before = mail.mails.length;
    assert.equal((await asUser(a, session)('POST', '/v1/auth/step-up', { channel: 'email' })).statusCode, 202);
    const stepUpCode = await mail.code('ann@acme.example', before);
    assert.equal((await asUser(b, session)('POST', '/v1/auth/step-up/verify', { code: stepUpCode })).statusCode, 200);
    assert.equal((await asUser(a, session)('POST', `/v1/tenants/${tenant}/keys`, { name: 'bot', environment: 'production' })).statusCode, 201);

    assert.equal((await asUser(b, session)('POST', '/v1/auth/logout')).statusCode, 204);
    assert.equal((await a.app.inject({ method: 'GET', url: '/v1/auth/me', headers: { cookie } })).statusCode, 401);
    const actions = (await a.root('GET', `/v1/tenants/${tenant}/audit-log`)).json().data.map((e: { action: string }) => e.action);
    // Wrong codes typed before the tenant was first used are not the tenant's (see the sessions test).
    for (const action of ['auth.signed_in', 'auth.step_up', 'auth.signed_out']) assert.ok(actions.includes(action), action);
  });
});
