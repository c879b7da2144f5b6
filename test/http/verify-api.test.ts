import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { generateKey } from '../../src/core/key-format.js';
import { createKey, createTenant, startTestApp } from '../support/test-app.js';

describe('POST /v1/keys/verify', () => {
  it('answers 200 valid with the key facts and counts against the rate limit', async (t) => {
    const app = await startTestApp(t);
    const tenant = await createTenant(app);
    const { key, secret } = await createKey(app, tenant.id, { scopes: ['orders:read'], rate_limit: { requests_per_minute: 2 } });
    const first = await app.root('POST', '/v1/keys/verify', { key: secret, scopes: ['orders:read'], tenant_id: tenant.id });
    assert.equal(first.statusCode, 200);
    assert.deepEqual({ ...(first.json() as object), rate_limit: undefined }, {
      valid: true, code: 'valid', status: 200, details: null, key_id: key.id, tenant_id: tenant.id, environment: 'production', scopes: ['orders:read'], expires_at: key.expires_at, rate_limit: undefined, retry_after: null,
    });
    assert.equal(first.json().rate_limit.remaining, 1);
    await app.root('POST', '/v1/keys/verify', { key: secret });
    const third = await app.root('POST', '/v1/keys/verify', { key: secret });
    assert.equal(third.statusCode, 200);
    assert.equal(third.json().valid, false);
    assert.equal(third.json().code, 'rate_limited');
    assert.equal(third.json().status, 429);
    assert.equal(third.json().details, 'Too many requests; retry after the number of seconds in Retry-After.');
    assert.equal(third.json().retry_after, 30, 'a token every 30 s at 2 per minute');
  });

  it('answers every decided failure with 200 and the code the M2M API would give', async (t) => {
    const app = await startTestApp(t);
    const tenant = await createTenant(app);
    const { secret } = await createKey(app, tenant.id, { scopes: ['orders:read'] });
    const restricted = await createKey(app, tenant.id, { allowed_ips: ['10.0.0.0/8'] });
    const cases: [Record<string, unknown>, string][] = [
      [{ key: 'garbage' }, 'malformed_api_key'],
      // What a header held, passed on as it came: decided as the M2M API decides it, not refused as a bad body.
      [{ key: '' }, 'missing_api_key'],
      [{ key: '   ' }, 'missing_api_key'],
      [{ key: 'k'.repeat(5000) }, 'malformed_api_key'],
      [{ key: ` ${secret} ` }, 'valid'],
      [{ key: generateKey('production') }, 'invalid_api_key'],
      [{ key: secret, environment: 'staging' }, 'wrong_environment'],
      [{ key: secret, scopes: ['orders:write'] }, 'insufficient_scope'],
      [{ key: secret, tenant_id: 'ten_other' }, 'not_found'],
      [{ key: restricted.secret }, 'ip_not_allowed'],
      [{ key: restricted.secret, ip: '192.168.1.1' }, 'ip_not_allowed'],
      [{ key: restricted.secret, ip: '10.1.2.3' }, 'valid'],
    ];
    for (const [body, code] of cases) {
      const res = await app.root('POST', '/v1/keys/verify', body);
      assert.equal(res.statusCode, 200, JSON.stringify(body));
      assert.equal(res.json().code, code, JSON.stringify(body));
      assert.equal(res.json().valid, code === 'valid');
      assert.equal(res.json().status, ({ malformed_api_key: 401, missing_api_key: 401, invalid_api_key: 401, wrong_environment: 401, insufficient_scope: 403, not_found: 404, ip_not_allowed: 403, valid: 200 } as Record<string, number>)[code]);
    }
    // A key pasted as a scope is named back redacted: the verify API never repeats a secret.
    const pasted = generateKey('production');
    const echoed = await app.root('POST', '/v1/keys/verify', { key: secret, scopes: [pasted] });
    assert.equal(echoed.json().code, 'insufficient_scope');
    assert.ok(!echoed.body.includes(pasted.slice(8)), echoed.json().details);
    assert.match(echoed.json().details, /lk_live_\[redacted\]/);
    const scope = await app.root('POST', '/v1/keys/verify', { key: secret, scopes: ['orders:write'] });
    assert.equal(scope.json().code, 'insufficient_scope');
    assert.match(scope.json().details, /orders:write/, 'the sentence the M2M API would give, naming the scope');
    assert.equal(typeof scope.json().rate_limit.remaining, 'number', 'read without spending, from the tenant checks on');
    const unknown = (await app.root('POST', '/v1/keys/verify', { key: generateKey('production') })).json();
    assert.deepEqual(unknown, {
      valid: false, code: 'invalid_api_key', status: 401, details: 'Invalid API key: no key matches it (a regenerated key has a new secret); check the key you send.', key_id: null, tenant_id: null, environment: null, scopes: [], expires_at: null, rate_limit: null, retry_after: null,
    });
    const otherEnvironment = (await app.root('POST', '/v1/keys/verify', { key: secret, environment: 'staging' })).json();
    assert.equal(otherEnvironment.tenant_id, tenant.id);
    assert.equal(otherEnvironment.rate_limit, null);
  });

  it('refuses an ip that is not an address with 400, naming the field', async (t) => {
    const app = await startTestApp(t);
    for (const ip of ['not-an-ip', '10.0.0.0/8', '999.1.1.1', '']) {
      const res = await app.root('POST', '/v1/keys/verify', { key: generateKey('production'), ip });
      assert.equal(res.statusCode, 400, ip);
      assert.equal(res.json().code, 'invalid_request');
      assert.deepEqual(res.json().fields.map((f: { field: string }) => f.field), ['ip'], ip);
    }
    const v6 = await app.root('POST', '/v1/keys/verify', { key: generateKey('production'), ip: '2001:db8::1' });
    assert.equal(v6.json().code, 'invalid_api_key');
  });

  it("logs the checked request's method and path, with the status the service answers, when the caller gives them", async (t) => {
    const app = await startTestApp(t);
    const tenant = await createTenant(app);
    const { secret } = await createKey(app, tenant.id, { scopes: ['orders:read'] });
    await app.root('POST', '/v1/keys/verify', { key: secret });
    await app.root('POST', '/v1/keys/verify', { key: secret, method: 'delete', path: `/orders/7?token=x&k=${secret}`, scopes: ['orders:write'] });
    await app.root('POST', '/v1/keys/verify', { key: secret, path: `/orders/by-key/${secret}` });
    await app.root('POST', '/v1/keys/verify', { key: secret, method: 'PUT', path: `/orders/by-key/${secret.replaceAll('_', '%5F')}` });
    await app.services.usageWriter.flush();
    const rows = (await app.root('GET', `/v1/tenants/${tenant.id}/request-logs`)).json().data as { method: string; path: string; status: number; code: string }[];
    assert.deepEqual(rows.map((r) => [r.method, r.path, r.status, r.code]).sort(), [
      ['DELETE', '/orders/7', 403, 'insufficient_scope'],
      ['GET', '/orders/by-key/lk_live_[redacted]', 200, 'valid'],
      ['POST', '/v1/keys/verify', 200, 'valid'],
      ['PUT', '/orders/by-key/lk_live_[redacted]', 200, 'valid'],
    ]);
    for (const bad of [{ path: 'orders/7' }, { path: `/${'x'.repeat(2048)}` }, { method: 'GET /x', path: '/x' }]) {
      const res = await app.root('POST', '/v1/keys/verify', { key: secret, ...bad });
      assert.equal(res.statusCode, 400, JSON.stringify(bad).slice(0, 40));
      assert.equal(res.json().code, 'invalid_request');
    }
  });

  it('needs the operator token', async (t) => {
    const app = await startTestApp(t);
    const res = await app.app.inject({ method: 'POST', url: '/v1/keys/verify', payload: { key: 'x' } });
    assert.equal(res.statusCode, 401);
    assert.equal(res.json().code, 'unauthorized');
  });
});

describe('health, readiness and the OpenAPI document', () => {
  it('answers /healthz and /readyz without auth', async (t) => {
    const app = await startTestApp(t);
    assert.deepEqual((await app.app.inject({ url: '/healthz' })).json(), { status: 'ok' });
    const ready = await app.app.inject({ url: '/readyz' });
    assert.equal(ready.statusCode, 200);
    assert.deepEqual(ready.json(), { status: 'ready', checks: { storage: true } });
  });

  it('fails /readyz with 503 when storage is gone', async (t) => {
    const app = await startTestApp(t);
    await app.services.database.close();
    const ready = await app.app.inject({ url: '/readyz' });
    assert.equal(ready.statusCode, 503);
    assert.equal(ready.json().checks.storage, false);
  });

  it('answers 503 while storage is gone, logging the failure once (with how many more) rather than once per request', async (t) => {
    const app = await startTestApp(t);
    await app.services.database.close();
    for (let i = 0; i < 20; i++) {
      const res = await app.root('GET', '/v1/tenants');
      assert.equal(res.statusCode, 503);
      assert.equal(res.json().code, 'unavailable');
      assert.equal(res.headers['retry-after'], '5', 'says when to try again');
    }
    const failures = app.logs().split('\n').filter((line) => line.includes('"msg":"request failed"'));
    assert.equal(failures.length, 1, 'one line for twenty failures of one kind within ten seconds');
    assert.match(failures[0]!, /"requestId":"req_/);
  });

  it('counts M2M and verify API requests refused while storage is gone as unavailable in /metrics, so an alert on that series fires', async (t) => {
    const app = await startTestApp(t);
    const tenant = await createTenant(app);
    const { secret } = await createKey(app, tenant.id);
    const unavailable = async () => {
      const text = (await app.root('GET', '/metrics')).body;
      return [/^latchkey_verifications_total\{code="unavailable"\} (\d+)$/m, /^latchkey_request_duration_seconds_count\{outcome="unavailable"\} (\d+)$/m].map((re) => Number(re.exec(text)?.[1] ?? 0));
    };
    assert.deepEqual(await unavailable(), [0, 0]);
    // Not cached yet, so each request needs storage.
    await app.services.database.close();
    for (let i = 0; i < 3; i++) {
      const res = await app.machine(`/api/v1/m2m/tenants/${tenant.id}/limits`, secret);
      assert.equal(res.statusCode, 503);
      assert.equal(res.json().code, 'unavailable');
      assert.equal(res.headers['retry-after'], '5');
    }
    assert.deepEqual(await unavailable(), [3, 3]);
    // The verify API too.
    const verified = await app.root('POST', '/v1/keys/verify', { key: secret });
    assert.equal(verified.statusCode, 503);
    assert.deepEqual(await unavailable(), [4, 4]);
  });

  it('logs a failing key-expiry job once per outage, not once a minute', async (t) => {
    const app = await startTestApp(t);
    t.mock.timers.enable({ apis: ['setInterval'] });
    await app.services.database.close();
    app.services.startBackgroundJobs();
    const settle = async () => {
      for (let i = 0; i < 20; i++) await new Promise((resolve) => setImmediate(resolve));
    };
    await settle();
    for (let minute = 0; minute < 4; minute++) {
      t.mock.timers.tick(60_000);
      await settle();
    }
    const lines = app.logs().split('\n').filter((line) => line.includes('expiring keys failed'));
    assert.equal(lines.length, 1, 'five failed runs, one line');
  });

  it('serves an OpenAPI 3.1 document generated from the route schemas', async (t) => {
    const app = await startTestApp(t);
    const res = await app.app.inject({ url: '/openapi.json' });
    assert.equal(res.statusCode, 200);
    const doc = res.json();
    assert.equal(doc.openapi, '3.1.0');
    for (const path of ['/v1/tenants', '/v1/tenants/{tenantId}/keys', '/v1/tenants/{tenantId}/keys/{keyId}/rotate', '/v1/keys/verify', '/api/v1/m2m/tenants/{tenantId}/limits', '/v1/tenants/{tenantId}/audit-log']) {
      assert.ok(doc.paths[path], `documents ${path}`);
    }
    const create = doc.paths['/v1/tenants/{tenantId}/keys'].post;
    assert.ok(create.requestBody.content['application/json'].schema);
    assert.equal(create.requestBody.required, true);
    // Actions whose body is optional say so: a generated client need not send {}.
    for (const action of ['rotate', 'revoke', 'regenerate']) assert.equal(doc.paths[`/v1/tenants/{tenantId}/keys/{keyId}/${action}`].post.requestBody.required, false, action);
    assert.equal(doc.paths['/v1/tenants/{tenantId}/members/{userId}'].delete.requestBody.required, false);
    assert.ok(create.responses['201']);
    assert.ok(create.responses['409']);
    assert.deepEqual(Object.keys(doc.components.schemas).sort(), ['ApiKey', 'AuditEntry', 'ErrorBody', 'Member', 'Tenant']);
    assert.doesNotMatch(res.body, /~kind|digest/);
  });

  it('lists on each operation the errors any route of its kind can give, and none it cannot', async (t) => {
    const app = await startTestApp(t);
    const doc = (await app.app.inject({ url: '/openapi.json' })).json() as { paths: Record<string, Record<string, { responses: Record<string, unknown>; security?: unknown[]; requestBody?: unknown }>> };
    const problems: string[] = [];
    for (const [path, operations] of Object.entries(doc.paths)) {
      for (const [method, operation] of Object.entries(operations)) {
        const statuses = Object.keys(operation.responses);
        const name = `${method} ${path}`;
        if (!statuses.includes('400')) problems.push(`${name}: no 400 (a URL with a bad escape or NUL)`);
        if (path !== '/healthz' && !statuses.includes('503')) problems.push(`${name}: no 503 (storage down)`);
        if (operation.requestBody !== undefined && !(statuses.includes('413') && statuses.includes('415'))) problems.push(`${name}: no 413/415`);
      }
    }
    assert.deepEqual(problems, []);
    for (const path of ['/healthz', '/readyz']) assert.deepEqual(doc.paths[path]?.get?.security, [], `${path} needs no credential`);
    // A root token has no session: these answer it 401, so the document offers only the session.
    for (const [method, path] of [['get', '/v1/auth/me'], ['post', '/v1/auth/step-up'], ['post', '/v1/auth/step-up/verify'], ['post', '/v1/auth/logout']] as const) {
      assert.deepEqual(doc.paths[path]?.[method]?.security, [{ session: [] }], `${method} ${path}`);
    }
  });

  it('lists 403 on every operation that takes a credential: a verify-only root token is forbidden on all but the verify API', async (t) => {
    const app = await startTestApp(t);
    const doc = (await app.app.inject({ url: '/openapi.json' })).json() as { paths: Record<string, Record<string, { responses: Record<string, unknown>; security?: unknown[] }>> };
    const missing: string[] = [];
    for (const [path, operations] of Object.entries(doc.paths)) {
      for (const [method, operation] of Object.entries(operations)) {
        if (operation.security?.length !== 0 && operation.responses['403'] === undefined) missing.push(`${method} ${path}`);
      }
    }
    assert.deepEqual(missing, []);
    assert.equal(doc.paths['/v1/auth/otp']?.post?.responses['403'], undefined, 'a public route has no 403');

    // What the document says is what the server does: each management GET refuses a verify-only token with 403.
    const tenant = await createTenant(app);
    const { key } = await createKey(app, tenant.id);
    const { token } = await app.services.rootTokens.create('checks keys', 'verify');
    const gets = Object.keys(doc.paths).filter((path) => doc.paths[path]?.get && !path.startsWith('/api/') && doc.paths[path]?.get?.security?.length !== 0);
    assert.ok(gets.includes('/v1/tenants') && gets.includes('/v1/auth/me'));
    for (const path of gets) {
      const url = path.replace('{tenantId}', tenant.id).replace('{keyId}', key.id).replace('{userId}', 'usr_x');
      const res = await app.app.inject({ url, headers: { authorization: `Bearer ${token}` } });
      assert.equal(res.statusCode, 403, `${path}: ${res.body}`);
      assert.equal(res.json().code, 'forbidden');
    }
  });
});
