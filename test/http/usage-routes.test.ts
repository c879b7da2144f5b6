import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type Cleanup, createKey, createTenant, ROOT_TOKEN, startTestApp, type TestApp } from '../support/test-app.js';

/** The server as `serve` builds it (usage and metrics routes, metered usage), with a way to write the queued usage now. */
async function startUsageApp(t: Cleanup, env: Record<string, string> = {}): Promise<TestApp & { flush(): Promise<void> }> {
  const app = await startTestApp(t, env);
  return { ...app, flush: () => app.services.usageWriter.flush() };
}

/** The times of the tenant's logged requests (epoch ms). */
async function loggedTimes(app: TestApp, tenantId: string): Promise<number[]> {
  const res = await app.root('GET', `/v1/tenants/${tenantId}/request-logs?limit=100`);
  return res.json().data.map((e: { at: string }) => Date.parse(e.at));
}

const limits = (tenantId: string) => `/api/v1/m2m/tenants/${tenantId}/limits`;
const HOUR = 3_600_000;
const wire = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');

describe('GET /v1/tenants/:tenantId/request-logs', () => {
  it('lists the machine requests of the tenant\'s keys, newest first, without any secret', async (t) => {
    const app = await startUsageApp(t);
    const tenant = await createTenant(app);
    const other = await createTenant(app, { name: 'Other' });
    const { key, secret } = await createKey(app, tenant.id);
    const otherKey = await createKey(app, other.id);
    const ok = await app.machine(limits(tenant.id), secret);
    assert.equal(ok.statusCode, 200);
    const wrongTenant = await app.machine(limits(other.id), secret);
    assert.equal(wrongTenant.statusCode, 404);
    assert.equal((await app.machine(limits(other.id), otherKey.secret)).statusCode, 200);
    assert.equal((await app.app.inject({ url: limits(tenant.id) })).statusCode, 401, 'no key: counted in metrics only');
    await app.flush();

    const res = await app.root('GET', `/v1/tenants/${tenant.id}/request-logs`);
    assert.equal(res.statusCode, 200);
    const body = res.json();
    assert.equal(body.next_cursor, null);
    assert.equal(body.data.length, 2);
    // Two requests may share a millisecond, so they are found by id rather than by position.
    const byId = (id: unknown) => body.data.find((e: { id: string }) => e.id === id);
    const oldest = byId(ok.headers['x-request-id']);
    const newest = byId(wrongTenant.headers['x-request-id']);
    assert.ok(oldest && newest);
    assert.deepEqual(Object.keys(oldest).sort(), ['at', 'code', 'environment', 'id', 'ip', 'key_id', 'latency_ms', 'method', 'path', 'status', 'tenant_id']);
    assert.deepEqual(
      { tenant_id: oldest.tenant_id, key_id: oldest.key_id, method: oldest.method, path: oldest.path, status: oldest.status, code: oldest.code, environment: oldest.environment },
      { tenant_id: tenant.id, key_id: key.id, method: 'GET', path: limits(tenant.id), status: 200, code: 'valid', environment: 'production' },
    );
    assert.match(oldest.at, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/);
    assert.equal(typeof oldest.latency_ms, 'number');
    assert.equal(oldest.ip, '127.0.0.1');
    assert.ok(body.data[0].at >= body.data[1].at, 'newest first');
    assert.deepEqual({ status: newest.status, code: newest.code, path: newest.path }, {
      status: 404, code: 'not_found', path: limits(other.id),
    }, 'a request with this tenant\'s key is in this tenant\'s log, whatever tenant it asked for');
    assert.ok(!res.body.includes(secret), 'no key in the log');

    const otherLog = (await app.root('GET', `/v1/tenants/${other.id}/request-logs`)).json();
    assert.deepEqual(otherLog.data.map((e: { key_id: string }) => e.key_id), [otherKey.key.id]);
  });

  it('stores a key pasted into the path redacted', async (t) => {
    const app = await startUsageApp(t);
    const tenant = await createTenant(app);
    const { secret } = await createKey(app, tenant.id);
    const pasted = (await createKey(app, tenant.id)).secret;
    const refused = await app.machine(limits(pasted), secret);
    assert.equal(refused.statusCode, 404);
    // Escaped, the key is one decode away from the secret: it is redacted as well.
    const escaped = await app.machine(limits(pasted.replaceAll('_', '%5F')), secret);
    assert.equal(escaped.statusCode, 404);
    await app.flush();
    const res = await app.root('GET', `/v1/tenants/${tenant.id}/request-logs`);
    assert.deepEqual(res.json().data.map((e: { path: string; code: string }) => [e.path, e.code]), [
      [limits('lk_live_[redacted]'), 'not_found'],
      [limits('lk_live_[redacted]'), 'not_found'],
    ]);
    assert.ok(!res.body.includes(pasted.slice(8)), 'no part of the key\'s body');
  });

  it('filters by key, status and time, and pages with a cursor', async (t) => {
    const app = await startUsageApp(t);
    const tenant = await createTenant(app);
    const a = await createKey(app, tenant.id, { name: 'a' });
    const b = await createKey(app, tenant.id, { name: 'b', rate_limit: { requests_per_minute: 1 } });
    for (let i = 0; i < 3; i++) assert.equal((await app.machine(limits(tenant.id), a.secret)).statusCode, 200);
    assert.equal((await app.machine(limits(tenant.id), b.secret)).statusCode, 200);
    assert.equal((await app.machine(limits(tenant.id), b.secret)).statusCode, 429);
    await app.flush();
    const logs = (query: string) => app.root('GET', `/v1/tenants/${tenant.id}/request-logs?${query}`);

    const byKey = (await logs(`key_id=${a.key.id}`)).json();
    assert.equal(byKey.data.length, 3);
    assert.ok(byKey.data.every((e: { key_id: string }) => e.key_id === a.key.id));
    const limited = (await logs('status=429')).json();
    assert.deepEqual(limited.data.map((e: { key_id: string; code: string }) => [e.key_id, e.code]), [[b.key.id, 'rate_limited']]);
    assert.deepEqual((await logs(`key_id=${a.key.id}&status=429`)).json().data, []);

    const all = (await logs('limit=100')).json().data as { id: string; at: string }[];
    assert.equal(all.length, 5);
    const ids: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { data: { id: string }[]; next_cursor: string | null } = (await logs(`limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`)).json();
      assert.ok(page.data.length <= 2);
      ids.push(...page.data.map((e) => e.id));
      cursor = page.next_cursor;
    } while (cursor);
    assert.deepEqual(ids, all.map((e) => e.id), 'pages join up to the whole list');

    const future = (await logs(`from=${encodeURIComponent(wire(Date.now() + HOUR))}`)).json();
    assert.deepEqual(future.data, []);
    const past = (await logs(`to=${encodeURIComponent(wire(Date.now() - HOUR))}`)).json();
    assert.deepEqual(past.data, []);
    const window = (await logs(`from=${encodeURIComponent(wire(Date.now() - HOUR))}&to=${encodeURIComponent(wire(Date.now() + HOUR))}`)).json();
    assert.equal(window.data.length, 5);
  });

  it('with LATCHKEY_REQUEST_LOG=errors lists only the refused requests; the usage counts and last use still see every request', async (t) => {
    const app = await startUsageApp(t, { LATCHKEY_REQUEST_LOG: 'errors' });
    const tenant = await createTenant(app);
    const { key, secret } = await createKey(app, tenant.id, { rate_limit: { requests_per_minute: 2 } });
    const answers = [];
    for (let i = 0; i < 3; i++) answers.push(await app.machine(limits(tenant.id), secret));
    assert.deepEqual(answers.map((r) => r.statusCode), [200, 200, 429]);
    await app.flush();

    const logged = (await app.root('GET', `/v1/tenants/${tenant.id}/request-logs`)).json();
    assert.deepEqual(logged.data.map((e: { id: string; code: string }) => [e.id, e.code]), [[answers[2]!.headers['x-request-id'], 'rate_limited']]);
    const usage = (await app.root('GET', `/v1/tenants/${tenant.id}/keys/${key.id}/usage`)).json();
    const totals: Record<string, number> = {};
    for (const d of usage.data as { counts: Record<string, number> }[]) for (const [code, n] of Object.entries(d.counts)) totals[code] = (totals[code] ?? 0) + n;
    assert.deepEqual(totals, { valid: 2, rate_limited: 1 });
    const read = (await app.root('GET', `/v1/tenants/${tenant.id}/keys/${key.id}`)).json();
    assert.equal(read.last_used_ip, '127.0.0.1');
    assert.equal((await app.root('GET', '/v1/deployment')).json().request_log, 'errors', 'the dashboard is told, to say what its log page holds');
    assert.equal((await (await startUsageApp(t)).root('GET', '/v1/deployment')).json().request_log, 'all');
  });

  it('refuses bad filters with invalid_request naming the field', async (t) => {
    const app = await startUsageApp(t);
    const tenant = await createTenant(app);
    const cases: [string, string][] = [
      ['status=abc', 'status'],
      ['from=yesterday', 'from'],
      ['to=2026-02-30T00:00:00Z', 'to'],
      ['from=2026-03-02T00:00:00Z&to=2026-03-01T00:00:00Z', 'from'],
      ['cursor=nonsense', 'cursor'],
      ['limit=500', 'limit'],
    ];
    for (const [query, field] of cases) {
      const res = await app.root('GET', `/v1/tenants/${tenant.id}/request-logs?${query}`);
      assert.equal(res.statusCode, 400, query);
      assert.equal(res.json().code, 'invalid_request', query);
      assert.ok(res.json().fields.some((f: { field: string }) => f.field.includes(field)), `${query}: ${res.body}`);
    }
    // A filter no list has is refused, not ignored: ignored, it answered every row as if filtered.
    const { key } = await createKey(app, tenant.id);
    for (const url of [
      `/v1/tenants/${tenant.id}/request-logs?code=rate_limited`,
      `/v1/tenants/${tenant.id}/keys?q=billing`,
      `/v1/tenants/${tenant.id}/keys/${key.id}/usage?granularity=hour`,
      `/v1/tenants/${tenant.id}/audit-log?actor=x`,
      `/v1/tenants/${tenant.id}/members?role=owner`,
      '/v1/tenants?plan=pro',
    ]) {
      const res = await app.root('GET', url);
      assert.equal(res.statusCode, 400, url);
      const name = url.slice(url.indexOf('?') + 1).split('=')[0];
      assert.deepEqual(res.json().fields, [{ field: name, message: 'is not a known field' }], url);
    }
  });

  it('needs a credential, and answers 404 for an unknown tenant', async (t) => {
    const app = await startUsageApp(t);
    const tenant = await createTenant(app);
    const anonymous = await app.app.inject({ url: `/v1/tenants/${tenant.id}/request-logs` });
    assert.equal(anonymous.statusCode, 401);
    assert.equal(anonymous.json().code, 'unauthorized');
    const unknown = await app.root('GET', '/v1/tenants/ten_doesnotexist/request-logs');
    assert.equal(unknown.statusCode, 404);
    assert.equal(unknown.json().code, 'not_found');
  });
});

describe('GET /v1/tenants/:tenantId/keys/:keyId/usage', () => {
  it('counts a key\'s requests per hour over the last 24 hours by default, every hour present', async (t) => {
    const app = await startUsageApp(t);
    const tenant = await createTenant(app);
    const { key, secret } = await createKey(app, tenant.id, { rate_limit: { requests_per_minute: 2 } });
    for (let i = 0; i < 3; i++) await app.machine(limits(tenant.id), secret);
    await app.flush();

    const res = await app.root('GET', `/v1/tenants/${tenant.id}/keys/${key.id}/usage`);
    assert.equal(res.statusCode, 200);
    const body = res.json();
    assert.equal(body.key_id, key.id);
    assert.equal(body.interval, 'hour');
    const to = Date.parse(body.to);
    assert.ok(Math.abs(to - Date.now()) < 60_000, 'to defaults to now');
    const firstStart = Math.floor((to - 24 * HOUR) / HOUR) * HOUR;
    assert.equal(body.from, wire(firstStart));
    const expectedStarts = Array.from({ length: Math.ceil((to - firstStart) / HOUR) }, (_, i) => wire(firstStart + i * HOUR));
    assert.deepEqual(body.data.map((d: { start: string }) => d.start), expectedStarts);
    const counted: { start: string; counts: Record<string, number> }[] = body.data.filter((d: { counts: object }) => Object.keys(d.counts).length > 0);
    const totals: Record<string, number> = {};
    for (const d of counted) for (const [code, n] of Object.entries(d.counts)) totals[code] = (totals[code] ?? 0) + n;
    assert.deepEqual(totals, { valid: 2, rate_limited: 1 });
    const hoursUsed = new Set((await loggedTimes(app, tenant.id)).map((at) => wire(Math.floor(at / HOUR) * HOUR)));
    assert.deepEqual(counted.map((d) => d.start), [...hoursUsed].sort(), 'counted in the hour of the requests');
  });

  it('answers per minute or per day for a given range, empty intervals as {}', async (t) => {
    const app = await startUsageApp(t);
    const tenant = await createTenant(app);
    const { key, secret } = await createKey(app, tenant.id);
    await app.machine(limits(tenant.id), secret);
    await app.flush();
    const [requestAt = 0] = await loggedTimes(app, tenant.id);
    const minuteStart = Math.floor(requestAt / 60_000) * 60_000;
    const usage = (query: string) => app.root('GET', `/v1/tenants/${tenant.id}/keys/${key.id}/usage?${query}`);

    const perMinute = (await usage(`interval=minute&from=${wire(minuteStart - 5 * 60_000)}&to=${wire(minuteStart + 60_000)}`)).json();
    assert.equal(perMinute.data.length, 6);
    assert.deepEqual(perMinute.data.map((d: { counts: object }) => d.counts), [{}, {}, {}, {}, {}, { valid: 1 }]);

    const dayStart = Math.floor(requestAt / 86_400_000) * 86_400_000;
    const perDay = (await usage(`interval=day&from=${wire(dayStart - 6 * 86_400_000)}&to=${wire(dayStart + 86_400_000)}`)).json();
    assert.equal(perDay.data.length, 7);
    assert.equal(perDay.data[6].start, wire(dayStart));
    assert.deepEqual(perDay.data.map((d: { counts: object }) => d.counts), [{}, {}, {}, {}, {}, {}, { valid: 1 }]);

    const before = (await usage(`from=${wire(minuteStart - 10 * HOUR)}&to=${wire(minuteStart - 5 * HOUR)}`)).json();
    assert.ok(before.data.every((d: { counts: object }) => Object.keys(d.counts).length === 0));
  });

  it('refuses a range of more than 2000 intervals naming `interval`, and `from` after `to`', async (t) => {
    const app = await startUsageApp(t);
    const tenant = await createTenant(app);
    const { key } = await createKey(app, tenant.id);
    const usage = (query: string) => app.root('GET', `/v1/tenants/${tenant.id}/keys/${key.id}/usage?${query}`);

    const tooMany = await usage('interval=minute&from=2026-01-01T00:00:00Z&to=2026-01-08T00:00:00Z');
    assert.equal(tooMany.statusCode, 400);
    assert.equal(tooMany.json().code, 'invalid_request');
    assert.deepEqual(tooMany.json().fields.map((f: { field: string }) => f.field), ['interval']);
    assert.equal((await usage('interval=hour&from=2026-01-01T00:00:00Z&to=2026-01-08T00:00:00Z')).statusCode, 200);

    const reversed = await usage('from=2026-01-02T00:00:00Z&to=2026-01-01T00:00:00Z');
    assert.equal(reversed.statusCode, 400);
    assert.deepEqual(reversed.json().fields.map((f: { field: string }) => f.field), ['from']);
    assert.equal((await usage('interval=week')).statusCode, 400);
  });

  it('answers 404 for a key of another tenant or an unknown key', async (t) => {
    const app = await startUsageApp(t);
    const tenant = await createTenant(app);
    const other = await createTenant(app, { name: 'Other' });
    const { key } = await createKey(app, other.id);
    const foreign = await app.root('GET', `/v1/tenants/${tenant.id}/keys/${key.id}/usage`);
    assert.equal(foreign.statusCode, 404);
    assert.equal(foreign.json().code, 'not_found');
    assert.equal((await app.root('GET', `/v1/tenants/${tenant.id}/keys/key_unknown/usage`)).statusCode, 404);
    assert.equal((await app.app.inject({ url: `/v1/tenants/${other.id}/keys/${key.id}/usage` })).statusCode, 401);
  });

  it('shows the last use on the key within one flush', async (t) => {
    const app = await startUsageApp(t);
    const tenant = await createTenant(app);
    const { key, secret } = await createKey(app, tenant.id);
    assert.equal(key.last_used_at, null);
    await app.machine(limits(tenant.id), secret);
    await app.flush();
    const read = (await app.root('GET', `/v1/tenants/${tenant.id}/keys/${key.id}`)).json();
    assert.ok(Math.abs(Date.parse(read.last_used_at) - Date.now()) < 60_000);
    assert.equal(read.last_used_ip, '127.0.0.1');
  });
});

describe('GET /metrics', () => {
  it('needs the operator token, and shows verifications, cache and queue without any secret or id', async (t) => {
    const app = await startUsageApp(t);
    const tenant = await createTenant(app);
    const { key, secret } = await createKey(app, tenant.id);
    await app.machine(limits(tenant.id), secret);
    await app.machine(limits(tenant.id), secret);
    await app.app.inject({ url: limits(tenant.id) });
    await app.app.inject({ url: limits(tenant.id), headers: { 'x-api-key': 'lk_live_notakey' } });

    const anonymous = await app.app.inject({ url: '/metrics' });
    assert.equal(anonymous.statusCode, 401);
    assert.equal(anonymous.json().code, 'unauthorized');
    const wrongToken = await app.app.inject({ url: '/metrics', headers: { authorization: 'Bearer not-the-root-token-0123456789abcdef' } });
    assert.equal(wrongToken.statusCode, 401);

    const res = await app.root('GET', '/metrics');
    assert.equal(res.statusCode, 200);
    assert.match(String(res.headers['content-type']), /^text\/plain; version=0\.0\.4/);
    const text = res.body;
    assert.match(text, /^latchkey_verifications_total\{code="valid"\} 2$/m);
    assert.match(text, /^latchkey_verifications_total\{code="missing_api_key"\} 1$/m);
    assert.match(text, /^latchkey_verifications_total\{code="malformed_api_key"\} 1$/m);
    assert.match(text, /^latchkey_request_duration_seconds_count\{outcome="valid"\} 2$/m);
    assert.match(text, /^latchkey_key_cache_hits_total 1$/m);
    assert.match(text, /^latchkey_key_cache_misses_total 1$/m);
    assert.match(text, /^latchkey_key_cache_hit_ratio 0\.5$/m);
    assert.match(text, /^latchkey_usage_queue_depth 2$/m, 'two requests wait for the next flush');
    assert.match(text, /^latchkey_usage_dropped_total 0$/m);
    assert.match(text, /^latchkey_process_resident_memory_bytes /m);
    for (const leak of [secret, ROOT_TOKEN, tenant.id, key.id, 'lk_live_notakey']) assert.ok(!text.includes(leak), `metrics must not contain ${leak.slice(0, 8)}…`);
  });
});
