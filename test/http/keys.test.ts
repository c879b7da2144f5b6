import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { SYSTEM_CONTEXT } from '../../src/manage/context.js';
import { createKey, createTenant, ManualClock, ROOT_TOKEN, startTestApp } from '../support/test-app.js';

const YEAR_MS = 365 * 24 * 3600 * 1000;

const limits = (tenantId: string) => `/api/v1/m2m/tenants/${tenantId}/limits`;

describe('keys API: create, read, change', () => {
  it('creates a key and shows its secret once, storing only a hint', async (t) => {
    const app = await startTestApp(t);
    const tenant = await createTenant(app);
    const res = await app.root('POST', `/v1/tenants/${tenant.id}/keys`, { name: 'prod-order-bot', environment: 'production', scopes: ['sites:read'] });
    assert.equal(res.statusCode, 201);
    const { key, secret } = res.json();
    assert.match(secret, /^lk_live_[0-9A-Za-z]{38}$/);
    assert.match(key.id, /^key_/);
    assert.equal(key.tenant_id, tenant.id);
    assert.equal(key.status, 'active');
    assert.equal(key.start, secret.slice(0, 12));
    assert.equal(key.end, secret.slice(-4));
    assert.deepEqual(key.scopes, ['sites:read']);
    assert.deepEqual(key.rate_limit, { requests_per_minute: 100, burst: 100 });
    assert.equal(key.created_by, 'operator:env');
    const lifetime = Date.parse(key.expires_at) - Date.parse(key.created_at);
    assert.ok(Math.abs(lifetime - YEAR_MS) < 5000, `default expiry is one year, got ${lifetime} ms`);
    assert.equal('digest' in key, false);
    // The answer holding the secret is kept by no cache, nor is any other of the management API, errors included.
    assert.equal(res.headers['cache-control'], 'no-store');
    assert.equal(res.headers['x-content-type-options'], 'nosniff');
    const missing = await app.root('GET', `/v1/tenants/${tenant.id}/keys/key_nope`);
    assert.equal(missing.statusCode, 404);
    assert.equal(missing.headers['cache-control'], 'no-store');
    const got = await app.root('GET', `/v1/tenants/${tenant.id}/keys/${key.id}`);
    assert.equal(got.headers['cache-control'], 'no-store');
    assert.equal(got.statusCode, 200);
    assert.deepEqual(got.json(), key);
    assert.doesNotMatch(got.body, new RegExp(secret));
  });

  it('uses the environment tag of each environment and the tenant key prefix', async (t) => {
    const app = await startTestApp(t);
    const tenant = await createTenant(app, { key_prefix: 'acme' });
    const staging = await createKey(app, tenant.id, { environment: 'staging' });
    const dev = await createKey(app, tenant.id, { environment: 'development' });
    assert.match(staging.secret, /^acme_test_/);
    assert.match(dev.secret, /^acme_dev_/);
  });

  it('validates against the plan: max rpm, never-expiring keys, expiry in the future', async (t) => {
    const app = await startTestApp(t);
    const tenant = await createTenant(app);
    const base = { name: 'k', environment: 'production' };
    const rpm = await app.root('POST', `/v1/tenants/${tenant.id}/keys`, { ...base, rate_limit: { requests_per_minute: 1001 } });
    assert.equal(rpm.statusCode, 400);
    assert.equal(rpm.json().fields[0].field, 'rate_limit.requests_per_minute');
    const never = await app.root('POST', `/v1/tenants/${tenant.id}/keys`, { ...base, expires_at: null });
    assert.equal(never.statusCode, 400);
    assert.equal(never.json().fields[0].field, 'expires_at');
    const past = await app.root('POST', `/v1/tenants/${tenant.id}/keys`, { ...base, expires_at: '2020-01-01T00:00:00Z' });
    assert.equal(past.statusCode, 400);
    const pro = await createTenant(app, { plan: 'pro' });
    const ok = await createKey(app, pro.id, { expires_at: null });
    assert.equal(ok.key.expires_at, null);
    const fractional = await createKey(app, pro.id, { expires_at: '2099-01-01T00:00:00.250Z' });
    assert.equal(fractional.key.expires_at, '2099-01-01T00:00:00.250Z');
    const whole = await createKey(app, pro.id, { expires_at: '2099-01-01T00:00:00Z' });
    assert.equal(whole.key.expires_at, '2099-01-01T00:00:00Z');
  });

  it("holds expires_at to a plan's maxKeyLifetimeDays (a far date would be a never-expiring key by another name), on create, change and by default", async (t) => {
    const dir = mkdtempSync(join(tmpdir(), 'latchkey-plans-'));
    const configFile = join(dir, 'latchkey.config.json');
    writeFileSync(configFile, JSON.stringify({ plans: [{ name: 'partner', m2mApi: true, defaultRpm: 60, maxRpm: 600, maxLiveKeys: 5, neverExpiringKeys: false, maxKeyLifetimeDays: 90 }] }));
    const clock = new ManualClock(new Date('2026-06-01T12:00:00Z'));
    const app = await startTestApp(t, { LATCHKEY_CONFIG: configFile }, { clock });
    const tenant = await createTenant(app, { plan: 'partner' });
    const keys = `/v1/tenants/${tenant.id}/keys`;
    const far = await app.root('POST', keys, { name: 'k', environment: 'production', expires_at: '9999-12-31T00:00:00Z' });
    assert.equal(far.statusCode, 400);
    assert.deepEqual(far.json().fields, [{ field: 'expires_at', message: 'must be at most 90 days ahead on the partner plan' }]);
    const byDefault = await createKey(app, tenant.id);
    assert.equal(byDefault.key.expires_at, '2026-08-30T12:00:00Z', 'the default expiry is the plan bound, not a year');
    const within = await createKey(app, tenant.id, { expires_at: '2026-08-30T12:00:00Z' });
    const extend = await app.root('PATCH', `${keys}/${within.key.id}`, { expires_at: '2027-01-01T00:00:00Z' });
    assert.equal(extend.statusCode, 400);
    assert.equal(extend.json().fields[0].field, 'expires_at');
    assert.equal((await app.root('PATCH', `${keys}/${within.key.id}`, { name: 'renamed' })).statusCode, 200, 'other changes are not held to it');
    const deployment = (await app.root('GET', '/v1/deployment')).json() as { plans: { name: string; max_key_lifetime_days: number | null }[] };
    assert.deepEqual(deployment.plans.filter((p) => ['partner', 'standard'].includes(p.name)).map((p) => [p.name, p.max_key_lifetime_days]), [['standard', null], ['partner', 90]]);
  });

  it('refuses an expiry after the year 9999 (it could not be stored), and rotates a key lasting until 9999 to one that does too', async (t) => {
    const clock = new ManualClock(new Date('2026-05-04T08:00:00Z'));
    const app = await startTestApp(t, {}, { clock });
    const tenant = await createTenant(app);
    const keys = `/v1/tenants/${tenant.id}/keys`;
    // 23:30 at UTC-1 on the last day of 9999 is already the year 10000 in UTC.
    const refused = await app.root('POST', keys, { name: 'far', environment: 'production', expires_at: '9999-12-31T23:30:00-01:00' });
    assert.equal(refused.statusCode, 400);
    assert.deepEqual(refused.json().fields.map((f: { field: string }) => f.field), ['expires_at']);
    const { key } = await createKey(app, tenant.id, { expires_at: '9999-12-31T00:00:00Z' });
    const patched = await app.root('PATCH', `${keys}/${key.id}`, { expires_at: '9999-12-31T23:30:00-01:00' });
    assert.equal(patched.statusCode, 400);
    assert.equal((await app.root('GET', `${keys}/${key.id}`)).json().expires_at, '9999-12-31T00:00:00Z', 'unchanged');

    clock.advance(30 * 24 * 3600);
    const rotated = await app.root('POST', `${keys}/${key.id}/rotate`, { grace_period_seconds: 3600 });
    assert.equal(rotated.statusCode, 201, rotated.body);
    assert.equal(rotated.json().key.expires_at, '9999-12-31T23:59:59.999Z', 'the same lifetime, cut at the last storable instant');
    assert.equal((await app.root('GET', keys)).statusCode, 200);
    assert.equal((await app.services.keys.expireDue(SYSTEM_CONTEXT)), 0, 'neither key counts as expired');
    const used = await app.machine(limits(tenant.id), rotated.json().secret);
    assert.equal(used.statusCode, 200, used.body);
    assert.equal(rotated.json().previous.expires_at, '2026-06-03T09:00:00Z', 'the old key: an hour of grace');
  });

  it('refuses a body nested deeper than 64 levels before parsing it (a megabyte of brackets took ~100 ms of the shared thread), brackets in strings aside', async (t) => {
    const app = await startTestApp(t);
    const tenant = await createTenant(app);
    const send = (meta: string) => app.app.inject({ method: 'POST', url: `/v1/tenants/${tenant.id}/keys`, payload: `{"name":"deep","environment":"production","meta":{"a":${meta}}}`, headers: { authorization: `Bearer ${ROOT_TOKEN}`, 'content-type': 'application/json' } });
    for (const depth of [63, 200_000]) {
      const res = await send(`${'['.repeat(depth)}${']'.repeat(depth)}`);
      assert.equal(res.statusCode, 400, res.body.slice(0, 200));
      assert.deepEqual(res.json().fields, [{ field: 'body', message: 'is nested deeper than 64 levels of arrays and objects' }], `depth ${depth} (+2 for the body and meta)`);
    }
    assert.equal((await send(`${'['.repeat(62)}${']'.repeat(62)}`)).statusCode, 201, '64 levels in all are taken');
    assert.equal((await send(`"${'[{'.repeat(500)}"`)).statusCode, 201, 'brackets inside a string do not count');
    assert.equal((await send(`"\\"${'['.repeat(100)}"`)).statusCode, 201, 'nor after an escaped quote');
    assert.doesNotMatch(app.logs(), /Maximum call stack/);
  });

  it('refuses bad scopes, CIDRs and names with 400 naming the field', async (t) => {
    const app = await startTestApp(t);
    const tenant = await createTenant(app);
    const cases: [Record<string, unknown>, string][] = [
      [{ scopes: ['Sites:read'] }, 'scopes'],
      [{ allowed_ips: ['10.0.0.0/33'] }, 'allowed_ips'],
      [{ name: '' }, 'name'],
      [{ environment: 'prod' }, 'environment'],
      [{ meta: { blob: 'x'.repeat(5000) } }, 'meta'],
    ];
    for (const [body, field] of cases) {
      const res = await app.root('POST', `/v1/tenants/${tenant.id}/keys`, { name: 'k', environment: 'production', ...body });
      assert.equal(res.statusCode, 400, JSON.stringify(body));
      assert.ok(res.json().fields.some((f: { field: string }) => f.field.startsWith(field)), `${field}: ${res.body}`);
    }
  });

  it('refuses control characters in key and tenant names (they would reach terminals and tables), and keeps other changes possible', async (t) => {
    const app = await startTestApp(t);
    const tenant = await createTenant(app);
    for (const name of ['x\u001b[2J\u001b[Hfake', 'two\nlines', 'tab\there', 'sep\u2028arator', 'prod-\u202etxt.exe', 'iso\u2066late\u2069', 'arabic\u061cmark', 'zero\u200bwidth', 'soft\u00adhyphen', 'word\u2060joiner', 'mongolian\u180eseparator']) {
      const key = await app.root('POST', `/v1/tenants/${tenant.id}/keys`, { name, environment: 'production' });
      assert.equal(key.statusCode, 400, JSON.stringify(name));
      assert.deepEqual(key.json().fields.map((f: { field: string }) => f.field), ['name']);
      const renamed = await app.root('PATCH', `/v1/tenants/${tenant.id}`, { name });
      assert.equal(renamed.statusCode, 400, JSON.stringify(name));
    }
    const ok = await app.root('POST', `/v1/tenants/${tenant.id}/keys`, { name: 'Bestellbot – Zürich 🚚', environment: 'production' });
    assert.equal(ok.statusCode, 201, 'any printable text is a name');
    const customer = await app.root('POST', `/v1/tenants/${tenant.id}/keys`, { name: 'bot', environment: 'production', customer_ids: ['cus_\u202e1'] });
    assert.equal(customer.statusCode, 400);
    assert.deepEqual(customer.json().fields.map((f: { field: string }) => f.field), ['customer_ids']);
    const member = await app.root('POST', `/v1/tenants/${tenant.id}/members`, { email: 'ops\u202eelpmaxe.live@x.example', role: 'viewer' });
    assert.equal(member.statusCode, 400);
    assert.equal((await app.root('POST', `/v1/tenants/${tenant.id}/keys`, { name: 'family 👨‍👩‍👧', environment: 'production' })).statusCode, 201, 'emoji joined by ZWJ');
  });

  it('never repeats a key pasted where an id belongs in the 404 details', async (t) => {
    const app = await startTestApp(t);
    const tenant = await createTenant(app);
    const { secret } = await createKey(app, tenant.id);
    for (const url of [`/v1/tenants/${secret}`, `/v1/tenants/${tenant.id}/keys/${secret}`, `/v1/tenants/${secret}/keys`]) {
      const res = await app.root('GET', url);
      assert.equal(res.statusCode, 404, url);
      assert.match(res.json().details, /lk_live_\[redacted\]/, url);
      assert.equal(res.body.includes(secret), false, url);
    }
  });

  it('never repeats a key or root token pasted as a JSON property or a value in an error, in details or fields', async (t) => {
    const app = await startTestApp(t);
    const tenant = await createTenant(app);
    const { secret } = await createKey(app, tenant.id);
    const token = (await app.services.rootTokens.create('pasted')).token;
    const bodies = [
      { name: 'x', environment: 'production', [secret]: 1 },
      { name: 'x', environment: 'production', rate_limit: { requests_per_minute: 10, [token]: 1 } },
      { name: 'x', environment: 'production', allowed_ips: [secret, token] },
      { name: 'x', environment: 'production', scopes: [token] },
    ];
    for (const body of bodies) {
      const res = await app.root('POST', `/v1/tenants/${tenant.id}/keys`, body);
      assert.equal(res.statusCode, 400, res.body);
      assert.ok(res.json().fields.length > 0);
      assert.equal(res.body.includes(secret.slice(8)), false, res.body);
      assert.equal(res.body.includes(token.slice(4)), false, res.body);
    }
    const unknown = await app.root('GET', `/v1/tenants/${token}`);
    assert.equal(unknown.statusCode, 404);
    assert.equal(unknown.body.includes(token.slice(4)), false, unknown.body);
  });

  it('answers 404 before validating the body when the tenant does not exist', async (t) => {
    const app = await startTestApp(t);
    const res = await app.root('POST', '/v1/tenants/ten_missing/keys', { name: '' });
    assert.equal(res.statusCode, 404);
  });

  it('lists keys with environment and status filters and pagination', async (t) => {
    const app = await startTestApp(t);
    const tenant = await createTenant(app);
    const prod = await createKey(app, tenant.id);
    const staging = await createKey(app, tenant.id, { environment: 'staging' });
    const revoked = await createKey(app, tenant.id);
    await app.root('POST', `/v1/tenants/${tenant.id}/keys/${revoked.key.id}/revoke`);
    const byEnv = await app.root('GET', `/v1/tenants/${tenant.id}/keys?environment=staging`);
    assert.deepEqual(byEnv.json().data.map((k: { id: string }) => k.id), [staging.key.id]);
    const byStatus = await app.root('GET', `/v1/tenants/${tenant.id}/keys?status=revoked`);
    assert.deepEqual(byStatus.json().data.map((k: { id: string }) => k.id), [revoked.key.id]);
    const active = await app.root('GET', `/v1/tenants/${tenant.id}/keys?status=active&limit=1`);
    assert.equal(active.json().data.length, 1);
    const next = await app.root('GET', `/v1/tenants/${tenant.id}/keys?status=active&limit=1&cursor=${active.json().next_cursor}`);
    assert.deepEqual([active.json().data[0].id, next.json().data[0].id].sort(), [prod.key.id, staging.key.id].sort());
    assert.equal(next.json().next_cursor, null);
  });

  it('searches key names (A–Z in any case) or ids, with the other filters and through pages; refuses a search too long or holding a key', async (t) => {
    const app = await startTestApp(t);
    const tenant = await createTenant(app);
    const first = await createKey(app, tenant.id, { name: 'billing-prod' });
    const second = await createKey(app, tenant.id, { name: 'Billing export', environment: 'staging' });
    const orders = await createKey(app, tenant.id, { name: 'orders' });
    const list = (query: string) => app.root('GET', `/v1/tenants/${tenant.id}/keys?${query}`);
    const ids = async (query: string) => (await list(query)).json().data.map((k: { id: string }) => k.id);

    assert.deepEqual(await ids('search=BILLING'), [second.key.id, first.key.id], 'newest first');
    assert.deepEqual(await ids('search=billing&environment=staging'), [second.key.id]);
    assert.deepEqual(await ids(`search=${orders.key.id}`), [orders.key.id]);
    assert.deepEqual(await ids('search=%25'), [], 'a % is searched for, not a wildcard');
    assert.deepEqual(await ids(`search=%20${orders.key.id}%20`), [orders.key.id], 'blanks around it are ignored');
    assert.equal((await ids('search=')).length, 3, 'empty: every key');
    const page = await list('search=billing&limit=1');
    assert.deepEqual(page.json().data.map((k: { id: string }) => k.id), [second.key.id]);
    assert.deepEqual(await ids(`search=billing&limit=1&cursor=${page.json().next_cursor}`), [first.key.id]);

    const long = await list(`search=${'a'.repeat(201)}`);
    assert.equal(long.statusCode, 400);
    assert.equal(long.json().fields[0].field, 'search');
    const pasted = await list(`search=${encodeURIComponent(first.secret)}`);
    assert.equal(pasted.statusCode, 400);
    assert.equal(pasted.json().code, 'api_key_in_query');
    assert.doesNotMatch(pasted.body, new RegExp(first.secret));
  });

  it('hides keys of other tenants (404)', async (t) => {
    const app = await startTestApp(t);
    const a = await createTenant(app);
    const b = await createTenant(app);
    const key = await createKey(app, a.id);
    const res = await app.root('GET', `/v1/tenants/${b.id}/keys/${key.key.id}`);
    assert.equal(res.statusCode, 404);
    const revoke = await app.root('POST', `/v1/tenants/${b.id}/keys/${key.key.id}/revoke`);
    assert.equal(revoke.statusCode, 404);
  });

  it('changes settings but not the environment, and audits which fields changed', async (t) => {
    const app = await startTestApp(t);
    const tenant = await createTenant(app);
    const { key } = await createKey(app, tenant.id);
    const res = await app.root('PATCH', `/v1/tenants/${tenant.id}/keys/${key.id}`, { name: 'renamed', rate_limit: { requests_per_minute: 10 }, allowed_ips: ['10.0.0.0/8', '2001:db8::/32'] });
    assert.equal(res.statusCode, 200);
    assert.equal(res.json().name, 'renamed');
    assert.deepEqual(res.json().rate_limit, { requests_per_minute: 10, burst: 10 });
    const env = await app.root('PATCH', `/v1/tenants/${tenant.id}/keys/${key.id}`, { environment: 'staging' });
    assert.equal(env.statusCode, 400);
    const audit = await app.root('GET', `/v1/tenants/${tenant.id}/audit-log?action=key.updated`);
    assert.deepEqual(audit.json().data[0].details.fields.sort(), ['allowed_ips', 'name', 'rate_limit']);
  });
});
