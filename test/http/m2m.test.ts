import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { connect } from 'node:net';
import { generateKey } from '../../src/core/key-format.js';
import { createKey, createTenant, ROOT_TOKEN, startTestApp } from '../support/test-app.js';

const limits = (tenantId: string) => `/api/v1/m2m/tenants/${tenantId}/limits`;

describe('M2M API: the connectivity check', () => {
  it('answers a valid key with the tenant, key and rate-limit figures, and the rate-limit headers', async (t) => {
    const app = await startTestApp(t);
    const tenant = await createTenant(app);
    const { key, secret } = await createKey(app, tenant.id, { scopes: ['sites:read'], rate_limit: { requests_per_minute: 60 } });
    const res = await app.machine(limits(tenant.id), secret);
    assert.equal(res.statusCode, 200);
    const body = res.json();
    assert.equal(body.tenant_id, tenant.id);
    assert.equal(body.plan, 'standard');
    assert.equal(body.environment, 'production');
    assert.deepEqual(body.key, { id: key.id, name: key.name, scopes: ['sites:read'], expires_at: key.expires_at });
    assert.equal(body.rate_limit.limit, 60);
    assert.equal(body.rate_limit.remaining, 59);
    assert.equal(body.rate_limit.window, 60);
    assert.equal(res.headers['x-ratelimit-limit'], '60');
    assert.equal(res.headers['x-ratelimit-remaining'], '59');
    assert.equal(res.headers['x-ratelimit-window'], '60');
    assert.equal(res.headers['x-ratelimit-reset'], String(body.rate_limit.reset));
    const nowSeconds = Date.now() / 1000;
    assert.ok(body.rate_limit.reset > nowSeconds - 1 && body.rate_limit.reset <= nowSeconds + 61);
    assert.ok(res.headers['ratelimit-policy'], 'IETF RateLimit-Policy header');
    assert.ok(res.headers.ratelimit, 'IETF RateLimit header');
    assert.match(String(res.headers['x-request-id']), /^req_/);
  });

  it('accepts Authorization: Bearer, and both headers when they agree', async (t) => {
    const app = await startTestApp(t);
    const tenant = await createTenant(app);
    const { secret } = await createKey(app, tenant.id);
    const bearer = await app.app.inject({ url: limits(tenant.id), headers: { authorization: `Bearer ${secret}` } });
    assert.equal(bearer.statusCode, 200);
    const both = await app.app.inject({ url: limits(tenant.id), headers: { authorization: `Bearer ${secret}`, 'x-api-key': secret } });
    assert.equal(both.statusCode, 200);
    const other = await createKey(app, tenant.id);
    const differ = await app.app.inject({ url: limits(tenant.id), headers: { authorization: `Bearer ${other.secret}`, 'x-api-key': secret } });
    assert.equal(differ.statusCode, 400);
    assert.equal(differ.json().code, 'invalid_request');
    assert.deepEqual(differ.json().fields.map((f: { field: string }) => f.field), ['x-api-key', 'authorization'], 'fields names both headers');
  });

  it('refuses X-API-Key sent twice, even with the same key, as a bad request', async (t) => {
    const app = await startTestApp(t);
    const tenant = await createTenant(app);
    const { secret } = await createKey(app, tenant.id);
    await app.app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = app.app.server.address() as { port: number };
    // Two header lines on the wire: Node hands the server one value, joined with a comma.
    const answer = await new Promise<string>((resolve, reject) => {
      const socket = connect(port, '127.0.0.1', () => socket.write(`GET ${limits(tenant.id)} HTTP/1.1\r\nHost: x\r\nX-API-Key: ${secret}\r\nX-API-Key: ${secret}\r\nConnection: close\r\n\r\n`));
      let raw = '';
      socket.setEncoding('utf8').on('data', (chunk: string) => (raw += chunk)).on('end', () => resolve(raw)).on('error', reject);
    });
    assert.match(answer, /^HTTP\/1\.1 400 /);
    const body = JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4)) as { code: string; details: string; fields: { field: string }[] };
    assert.equal(body.code, 'invalid_request');
    assert.match(body.details, /one X-API-Key header/);
    assert.deepEqual(body.fields.map((f) => f.field), ['x-api-key']);
    assert.doesNotMatch(answer, new RegExp(secret), 'the key is not echoed');
  });

  it('refuses two Authorization headers as a bad request, on the M2M and the management API (Node would keep the first)', async (t) => {
    const app = await startTestApp(t);
    const tenant = await createTenant(app);
    const { secret } = await createKey(app, tenant.id);
    const other = generateKey('production');
    await app.app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = app.app.server.address() as { port: number };
    const send = (path: string, first: string, second: string) => new Promise<string>((resolve, reject) => {
      const socket = connect(port, '127.0.0.1', () => socket.write(`GET ${path} HTTP/1.1\r\nHost: x\r\nAuthorization: ${first}\r\nAuthorization: ${second}\r\nConnection: close\r\n\r\n`));
      let raw = '';
      socket.setEncoding('utf8').on('data', (chunk: string) => (raw += chunk)).on('end', () => resolve(raw)).on('error', reject);
    });
    for (const [path, first, second] of [
      [limits(tenant.id), `Bearer ${secret}`, `Bearer ${other}`],
      ['/v1/tenants', `Bearer ${ROOT_TOKEN}`, 'Bearer x'],
    ] as const) {
      const answer = await send(path, first, second);
      assert.match(answer, /^HTTP\/1\.1 400 /, path);
      const body = JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4)) as { code: string; details: string; fields: { field: string }[] };
      assert.equal(body.code, 'invalid_request', path);
      assert.match(body.details, /one Authorization header/);
      assert.deepEqual(body.fields, [{ field: 'authorization', message: 'was sent more than once; send one' }], path);
      assert.doesNotMatch(answer, new RegExp(secret), 'the key is not echoed');
    }
  });

  it('the health route answers any valid key', async (t) => {
    const app = await startTestApp(t);
    const tenant = await createTenant(app);
    const { secret } = await createKey(app, tenant.id);
    const res = await app.machine('/api/v1/m2m/health', secret);
    assert.equal(res.statusCode, 200);
    assert.deepEqual(res.json(), { status: 'ok', tenant_id: tenant.id });
  });
});

describe('M2M API: every failure code', () => {
  async function setup(t: Parameters<typeof startTestApp>[0], env: Record<string, string> = {}) {
    const app = await startTestApp(t, env);
    const tenant = await createTenant(app);
    const issued = await createKey(app, tenant.id);
    return { app, tenant, ...issued };
  }

  function assertFailure(res: { statusCode: number; json(): Record<string, unknown>; headers: Record<string, unknown> }, status: number, code: string): void {
    assert.equal(res.statusCode, status, JSON.stringify(res.json()));
    assert.equal(res.json().code, code);
    if (status === 401) assert.match(String(res.headers['www-authenticate']), /^Bearer realm="latchkey"/);
  }

  it('api_key_in_query: by parameter name or by a key-shaped value, before anything else', async (t) => {
    const { app, tenant, secret } = await setup(t);
    const alone = generateKey('production');
    for (const query of [`api_key=x`, `apikey=x`, `X-API-Key=x`, `q=${secret}`, `q=${generateKey('production')}`, alone, `q=%20${alone}`, `ids=${alone},2`, `q=Bearer%20${alone}`]) {
      const res = await app.app.inject({ url: `${limits(tenant.id)}?${query}` });
      assertFailure(res, 400, 'api_key_in_query');
    }
  });

  it('missing_api_key with a bare challenge', async (t) => {
    const { app, tenant } = await setup(t);
    const res = await app.app.inject({ url: limits(tenant.id) });
    assertFailure(res, 401, 'missing_api_key');
    assert.equal(res.headers['www-authenticate'], 'Bearer realm="latchkey"');
  });

  it('malformed_api_key for a bad format or checksum', async (t) => {
    const { app, tenant, secret } = await setup(t);
    const flipped = secret.slice(0, 20) + (secret[20] === 'a' ? 'b' : 'a') + secret.slice(21);
    for (const bad of ['nope', flipped, `${secret}x`, secret.replace('_live_', '_prod_')]) {
      assertFailure(await app.machine(limits(tenant.id), bad), 401, 'malformed_api_key');
    }
  });

  it('invalid_api_key for a well-formed unknown key', async (t) => {
    const { app, tenant } = await setup(t);
    assertFailure(await app.machine(limits(tenant.id), generateKey('production')), 401, 'invalid_api_key');
  });

  it('wrong_environment for a key of another environment than the node serves', async (t) => {
    const { app, tenant } = await setup(t);
    const staging = await createKey(app, tenant.id, { environment: 'staging' });
    assertFailure(await app.machine(limits(tenant.id), staging.secret), 401, 'wrong_environment');
  });

  it('chooses the environment by Host with LATCHKEY_ENVIRONMENT_HOSTS', async (t) => {
    const { app, tenant, secret } = await setup(t, { LATCHKEY_ENVIRONMENT_HOSTS: 'staging.api.test=staging,api.test=production' });
    const staging = await createKey(app, tenant.id, { environment: 'staging' });
    assert.equal((await app.machine(limits(tenant.id), staging.secret, { host: 'staging.api.test:8443' })).statusCode, 200);
    assertFailure(await app.machine(limits(tenant.id), secret, { host: 'staging.api.test' }), 401, 'wrong_environment');
    assert.equal((await app.machine(limits(tenant.id), secret, { host: 'api.test' })).statusCode, 200);
  });

  it('tenant_not_active for a pending or suspended tenant', async (t) => {
    const { app, tenant, secret } = await setup(t);
    await app.root('PATCH', `/v1/tenants/${tenant.id}`, { status: 'suspended' });
    assertFailure(await app.machine(limits(tenant.id), secret), 403, 'tenant_not_active');
    await app.root('PATCH', `/v1/tenants/${tenant.id}`, { status: 'pending' });
    assertFailure(await app.machine(limits(tenant.id), secret), 403, 'tenant_not_active');
  });

  it('plan_not_permitted when the plan has no M2M access', async (t) => {
    const { app, tenant, secret } = await setup(t);
    await app.root('PATCH', `/v1/tenants/${tenant.id}`, { plan: 'free' });
    assertFailure(await app.machine(limits(tenant.id), secret), 403, 'plan_not_permitted');
  });

  it('ip_not_allowed outside allowed_ips, for IPv4 and IPv6 ranges', async (t) => {
    const { app, tenant } = await setup(t);
    const v4 = await createKey(app, tenant.id, { allowed_ips: ['10.1.0.0/16'] });
    assertFailure(await app.app.inject({ url: limits(tenant.id), headers: { 'x-api-key': v4.secret }, remoteAddress: '10.2.0.1' }), 403, 'ip_not_allowed');
    assert.equal((await app.app.inject({ url: limits(tenant.id), headers: { 'x-api-key': v4.secret }, remoteAddress: '10.1.200.7' })).statusCode, 200);
    assert.equal((await app.app.inject({ url: limits(tenant.id), headers: { 'x-api-key': v4.secret }, remoteAddress: '::ffff:10.1.0.9' })).statusCode, 200);
    const v6 = await createKey(app, tenant.id, { allowed_ips: ['2001:db8:abcd::/48'] });
    assert.equal((await app.app.inject({ url: limits(tenant.id), headers: { 'x-api-key': v6.secret }, remoteAddress: '2001:db8:abcd:12::1' })).statusCode, 200);
    assertFailure(await app.app.inject({ url: limits(tenant.id), headers: { 'x-api-key': v6.secret }, remoteAddress: '2001:db8:abce::1' }), 403, 'ip_not_allowed');
  });

  it('takes the client IP from X-Forwarded-For only for trusted proxies', async (t) => {
    const { app, tenant } = await setup(t, { LATCHKEY_TRUST_PROXY: '192.0.2.0/24' });
    const key = await createKey(app, tenant.id, { allowed_ips: ['203.0.113.5'] });
    const viaTrusted = await app.app.inject({ url: limits(tenant.id), headers: { 'x-api-key': key.secret, 'x-forwarded-for': '203.0.113.5' }, remoteAddress: '192.0.2.10' });
    assert.equal(viaTrusted.statusCode, 200);
    const viaStranger = await app.app.inject({ url: limits(tenant.id), headers: { 'x-api-key': key.secret, 'x-forwarded-for': '203.0.113.5' }, remoteAddress: '198.51.100.1' });
    assertFailure(viaStranger, 403, 'ip_not_allowed');
  });

  it('not_found for a key of another tenant', async (t) => {
    const { app, secret } = await setup(t);
    const other = await createTenant(app);
    assertFailure(await app.machine(limits(other.id), secret), 404, 'not_found');
  });

  it('checks the key before the tenant id: an id of any length is 404 for a valid key and 401 without one', async (t) => {
    const { app, secret } = await setup(t);
    for (const tenantId of ['t', 'x'.repeat(65), 'x'.repeat(200)]) {
      assertFailure(await app.machine(limits(tenantId), secret), 404, 'not_found');
      assertFailure(await app.app.inject({ url: limits(tenantId) }), 401, 'missing_api_key');
      assertFailure(await app.machine(limits(tenantId), 'lk_live_short'), 401, 'malformed_api_key');
    }
  });

  it('a known key refused after authentication still gets the rate-limit headers, and spends no token', async (t) => {
    const { app, tenant } = await setup(t);
    const other = await createTenant(app);
    const { secret } = await createKey(app, tenant.id, { rate_limit: { requests_per_minute: 60, burst: 10 }, allowed_ips: ['10.1.0.0/16'] });
    const call = (tenantId: string, remoteAddress: string) => app.app.inject({ url: limits(tenantId), headers: { 'x-api-key': secret }, remoteAddress });
    assert.equal((await call(tenant.id, '10.1.0.1')).headers['x-ratelimit-remaining'], '9');
    for (const [res, status, code] of [[await call(other.id, '10.1.0.1'), 404, 'not_found'], [await call(tenant.id, '10.2.0.1'), 403, 'ip_not_allowed']] as const) {
      assertFailure(res, status, code);
      assert.equal(res.headers['x-ratelimit-limit'], '10');
      assert.equal(res.headers['x-ratelimit-remaining'], '9', `${code}: the refusal read the bucket without taking from it`);
      assert.equal(res.headers['x-ratelimit-window'], '10');
      assert.match(String(res.headers['x-ratelimit-reset']), /^\d+$/);
      assert.equal(res.headers['retry-after'], undefined);
    }
    assert.equal((await call(tenant.id, '10.1.0.1')).headers['x-ratelimit-remaining'], '8');
  });

  it('rate_limited after exactly `burst` immediate requests, with Retry-After', async (t) => {
    const { app, tenant } = await setup(t);
    const { secret } = await createKey(app, tenant.id, { rate_limit: { requests_per_minute: 5 } });
    for (let i = 0; i < 5; i++) {
      const ok = await app.machine(limits(tenant.id), secret);
      assert.equal(ok.statusCode, 200, `request ${i + 1}`);
      assert.equal(ok.headers['x-ratelimit-remaining'], String(4 - i));
    }
    const limited = await app.machine(limits(tenant.id), secret);
    assertFailure(limited, 429, 'rate_limited');
    const retryAfter = Number(limited.headers['retry-after']);
    assert.ok(Number.isInteger(retryAfter) && retryAfter >= 1 && retryAfter <= 12, `Retry-After ${retryAfter}`);
    assert.equal(limited.headers['x-ratelimit-remaining'], '0');
    assert.equal(limited.headers['x-ratelimit-limit'], '5');
  });

  it('applies the checks in the contract order', async (t) => {
    const { app } = await setup(t);
    const suspended = await createTenant(app);
    const key = await createKey(app, suspended.id, { environment: 'staging', allowed_ips: ['10.0.0.1'] });
    const staging = await createKey(app, suspended.id, { environment: 'staging', allowed_ips: ['10.0.0.1'] });
    await app.root('POST', `/v1/tenants/${suspended.id}/keys/${key.key.id}/deactivate`);
    await app.root('PATCH', `/v1/tenants/${suspended.id}`, { status: 'suspended', plan: 'free' });
    const other = await createTenant(app);
    // inactive beats environment, tenant status, plan, IP and tenant binding
    assert.equal((await app.machine(limits(other.id), key.secret)).json().code, 'inactive_api_key');
    // environment beats tenant status, plan, IP and binding
    assert.equal((await app.machine(limits(other.id), staging.secret)).json().code, 'wrong_environment');
    const prod = await createKey(app, other.id, { allowed_ips: ['10.0.0.1'] });
    await app.root('PATCH', `/v1/tenants/${other.id}`, { status: 'suspended', plan: 'free' });
    assert.equal((await app.machine(limits(suspended.id), prod.secret)).json().code, 'tenant_not_active');
    await app.root('PATCH', `/v1/tenants/${other.id}`, { status: 'active' });
    assert.equal((await app.machine(limits(suspended.id), prod.secret)).json().code, 'plan_not_permitted');
    await app.root('PATCH', `/v1/tenants/${other.id}`, { plan: 'standard' });
    assert.equal((await app.machine(limits(suspended.id), prod.secret)).json().code, 'ip_not_allowed');
    const res = await app.app.inject({ url: limits(suspended.id), headers: { 'x-api-key': prod.secret }, remoteAddress: '10.0.0.1' });
    assert.equal(res.json().code, 'not_found');
  });
});

describe('M2M API: the key cache follows every change at once', () => {
  const cases: [string, (app: Awaited<ReturnType<typeof startTestApp>>, tenantId: string, keyId: string) => Promise<unknown>, string][] = [
    ['revoke', (app, tenantId, keyId) => app.root('POST', `/v1/tenants/${tenantId}/keys/${keyId}/revoke`), 'revoked_api_key'],
    ['deactivate', (app, tenantId, keyId) => app.root('POST', `/v1/tenants/${tenantId}/keys/${keyId}/deactivate`), 'inactive_api_key'],
    ['regenerate', (app, tenantId, keyId) => app.root('POST', `/v1/tenants/${tenantId}/keys/${keyId}/regenerate`), 'invalid_api_key'],
    ['tenant suspension', (app, tenantId) => app.root('PATCH', `/v1/tenants/${tenantId}`, { status: 'suspended' }), 'tenant_not_active'],
    ['plan change', (app, tenantId) => app.root('PATCH', `/v1/tenants/${tenantId}`, { plan: 'free' }), 'plan_not_permitted'],
    ['allowed_ips change', (app, tenantId, keyId) => app.root('PATCH', `/v1/tenants/${tenantId}/keys/${keyId}`, { allowed_ips: ['10.9.9.9'] }), 'ip_not_allowed'],
  ];
  for (const [name, change, code] of cases) {
    it(`${name}: used, changed, refused on the next request`, async (t) => {
      const app = await startTestApp(t);
      const tenant = await createTenant(app);
      const { key, secret } = await createKey(app, tenant.id);
      assert.equal((await app.machine(limits(tenant.id), secret)).statusCode, 200);
      assert.equal((await app.machine(limits(tenant.id), secret)).statusCode, 200);
      assert.ok(app.services.verifier.counters.cacheHits >= 1, 'the second request was served from the cache');
      await change(app, tenant.id, key.id);
      assert.equal((await app.machine(limits(tenant.id), secret)).json().code, code);
    });
  }
});
