import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { createKey, createTenant, ManualClock, startTestApp } from '../support/test-app.js';

const limits = (tenantId: string) => `/api/v1/m2m/tenants/${tenantId}/limits`;

describe('key lifecycle', () => {
  it('deactivates and activates (idempotently); an inactive key fails with inactive_api_key', async (t) => {
    const app = await startTestApp(t);
    const tenant = await createTenant(app);
    const { key, secret } = await createKey(app, tenant.id);
    const off = await app.root('POST', `/v1/tenants/${tenant.id}/keys/${key.id}/deactivate`);
    assert.equal(off.statusCode, 200);
    assert.equal(off.json().status, 'inactive');
    assert.equal((await app.root('POST', `/v1/tenants/${tenant.id}/keys/${key.id}/deactivate`)).statusCode, 200);
    assert.equal((await app.machine(limits(tenant.id), secret)).json().code, 'inactive_api_key');
    const on = await app.root('POST', `/v1/tenants/${tenant.id}/keys/${key.id}/activate`);
    assert.equal(on.json().status, 'active');
    assert.equal((await app.machine(limits(tenant.id), secret)).statusCode, 200);
  });

  it('actions that take no body accept none or {}, and refuse a body with fields without acting', async (t) => {
    const app = await startTestApp(t);
    const tenant = await createTenant(app);
    const { key, secret } = await createKey(app, tenant.id);
    const keyUrl = `/v1/tenants/${tenant.id}/keys/${key.id}`;
    for (const action of ['deactivate', 'activate', 'regenerate', 'revoke']) {
      const refused = await app.root('POST', `${keyUrl}/${action}`, { reason: 'leaked' });
      assert.equal(refused.statusCode, 400, action);
      assert.equal(refused.json().code, 'invalid_request');
      assert.deepEqual(refused.json().fields, [{ field: 'reason', message: 'is not a known field' }]);
    }
    assert.equal((await app.root('GET', keyUrl)).json().status, 'active', 'nothing was done');
    assert.equal((await app.machine(limits(tenant.id), secret)).statusCode, 200, 'the secret still works');
    assert.equal((await app.root('POST', `${keyUrl}/deactivate`, {})).json().status, 'inactive');
    assert.equal((await app.root('POST', `${keyUrl}/activate`)).json().status, 'active');
  });

  it('revokes for good: activating or regenerating a revoked key is 409 conflict, history stays', async (t) => {
    const app = await startTestApp(t);
    const tenant = await createTenant(app);
    const { key, secret } = await createKey(app, tenant.id);
    const revoked = await app.root('POST', `/v1/tenants/${tenant.id}/keys/${key.id}/revoke`);
    assert.equal(revoked.json().status, 'revoked');
    assert.ok(revoked.json().revoked_at);
    assert.equal((await app.machine(limits(tenant.id), secret)).json().code, 'revoked_api_key');
    for (const action of ['activate', 'regenerate', 'rotate']) {
      const res = await app.root('POST', `/v1/tenants/${tenant.id}/keys/${key.id}/${action}`);
      assert.equal(res.statusCode, 409, action);
      assert.equal(res.json().code, 'conflict');
    }
    assert.equal((await app.root('POST', `/v1/tenants/${tenant.id}/keys/${key.id}/activate`)).json().details, 'The key is revoked; a revoked key cannot be activated.');
    const audit = await app.root('GET', `/v1/tenants/${tenant.id}/audit-log`);
    assert.deepEqual(audit.json().data.map((e: { action: string }) => e.action), ['key.revoked', 'key.created', 'tenant.created']);
  });

  it('a secret regenerated on another node: once this node has seen the new one, the old one is refused here too', async (t) => {
    // Two nodes on one database; B has not read the change feed (a lost message, say) and still holds the old secret.
    const a = await startTestApp(t);
    const b = await startTestApp(t, { LATCHKEY_DATABASE_URL: `sqlite:${join(a.dir, 'latchkey.db')}` });
    const tenant = await createTenant(a);
    const { key, secret: old } = await createKey(a, tenant.id);
    assert.equal((await b.machine(limits(tenant.id), old)).statusCode, 200);
    const regenerated = await a.root('POST', `/v1/tenants/${tenant.id}/keys/${key.id}/regenerate`);
    assert.equal(regenerated.statusCode, 200);
    assert.equal((await b.machine(limits(tenant.id), regenerated.json().secret)).statusCode, 200);
    const again = await b.machine(limits(tenant.id), old);
    assert.equal(again.statusCode, 401);
    assert.equal(again.json().code, 'invalid_api_key');
  });

  it('stores a change with its audit entry and change-feed row, or none of them: a revoke that cannot be audited is not made', async (t) => {
    const app = await startTestApp(t);
    const tenant = await createTenant(app);
    const { key, secret } = await createKey(app, tenant.id);
    const db = app.services.database.db;
    const revoke = () => app.root('POST', `/v1/tenants/${tenant.id}/keys/${key.id}/revoke`);
    const feedRows = async () => (await db.selectFrom('change_feed').select('id').where('target_id', '=', key.id).execute()).length;
    for (const table of ['audit_log', 'change_feed'] as const) {
      await db.schema.alterTable(table).renameTo(`${table}_away`).execute();
      assert.equal((await revoke()).statusCode, 503, `with ${table} away`);
      await db.schema.alterTable(`${table}_away`).renameTo(table).execute();
      assert.equal((await app.machine(limits(tenant.id), secret)).statusCode, 200, `the key still works after the revoke failed on ${table}`);
      assert.equal((await app.root('GET', `/v1/tenants/${tenant.id}/keys/${key.id}`)).json().status, 'active');
      assert.equal(await feedRows(), 0);
    }
    assert.equal((await revoke()).statusCode, 200);
    assert.equal((await app.machine(limits(tenant.id), secret)).json().code, 'revoked_api_key');
    const audit = (await app.root('GET', `/v1/tenants/${tenant.id}/audit-log`)).json() as { data: { action: string; target: { id: string } }[] };
    assert.deepEqual(audit.data.filter((e) => e.target.id === key.id).map((e) => e.action), ['key.revoked', 'key.created']);
    assert.equal(await feedRows(), 1);
  });

  it('refuses to regenerate an expired key, in plain words', async (t) => {
    const clock = new ManualClock();
    const app = await startTestApp(t, {}, { clock });
    const tenant = await createTenant(app);
    const { key } = await createKey(app, tenant.id, { expires_at: new Date(clock.now().getTime() + 60_000).toISOString() });
    clock.advance(120);
    const res = await app.root('POST', `/v1/tenants/${tenant.id}/keys/${key.id}/regenerate`);
    assert.equal(res.statusCode, 409);
    assert.equal(res.json().details, 'The key is expired; an expired key cannot be regenerated.');
  });

  it('regenerates: new secret, same id and settings, the old secret stops at once', async (t) => {
    const app = await startTestApp(t);
    const tenant = await createTenant(app);
    const { key, secret } = await createKey(app, tenant.id, { scopes: ['sites:read'] });
    assert.equal((await app.machine(limits(tenant.id), secret)).statusCode, 200);
    const res = await app.root('POST', `/v1/tenants/${tenant.id}/keys/${key.id}/regenerate`);
    assert.equal(res.statusCode, 200);
    const regenerated = res.json();
    assert.equal(regenerated.key.id, key.id);
    assert.deepEqual(regenerated.key.scopes, ['sites:read']);
    assert.notEqual(regenerated.secret, secret);
    assert.equal((await app.machine(limits(tenant.id), secret)).json().code, 'invalid_api_key');
    assert.equal((await app.machine(limits(tenant.id), regenerated.secret)).statusCode, 200);
  });

  it('rotates: a new key with the same settings; the old one works until its grace period ends', async (t) => {
    const clock = new ManualClock();
    const app = await startTestApp(t, {}, { clock });
    const tenant = await createTenant(app);
    const old = await createKey(app, tenant.id, { scopes: ['sites:read'], rate_limit: { requests_per_minute: 50 } });
    const res = await app.root('POST', `/v1/tenants/${tenant.id}/keys/${old.key.id}/rotate`, { grace_period_seconds: 3600 });
    assert.equal(res.statusCode, 201);
    const { key, secret, previous } = res.json();
    assert.notEqual(key.id, old.key.id);
    assert.equal(key.rotated_from, old.key.id);
    assert.equal(previous.rotated_to, key.id);
    assert.deepEqual(key.rate_limit, { requests_per_minute: 50, burst: 50 });
    assert.deepEqual(key.scopes, ['sites:read']);
    assert.equal(Date.parse(previous.expires_at) - Date.parse(key.created_at), 3600_000);
    assert.equal((await app.machine(limits(tenant.id), old.secret)).statusCode, 200);
    assert.equal((await app.machine(limits(tenant.id), secret)).statusCode, 200);
    const actions = (await app.root('GET', `/v1/tenants/${tenant.id}/audit-log`)).json().data.map((e: { action: string }) => e.action);
    assert.deepEqual(actions.sort(), ['key.created', 'key.created', 'key.rotated', 'tenant.created']);
    // The verification path reads real time; a grace of 0 ends the old key at once.
    const again = await app.root('POST', `/v1/tenants/${tenant.id}/keys/${key.id}/rotate`, { grace_period_seconds: 0 });
    assert.equal(again.statusCode, 201);
    const expired = (await app.machine(limits(tenant.id), secret)).json();
    assert.equal(expired.code, 'expired_api_key');
    assert.equal(expired.details, 'The API key was rotated and its grace period has ended; use the key that replaced it.', 'the holder is sent to the successor');
    const verified = (await app.root('POST', '/v1/keys/verify', { key: secret })).json();
    assert.deepEqual([verified.code, verified.details], ['expired_api_key', expired.details], 'the verify API says the same');
  });

  it('rotates without a grace period: the old key keeps working until revoked', async (t) => {
    const app = await startTestApp(t);
    const tenant = await createTenant(app);
    const old = await createKey(app, tenant.id);
    const res = await app.root('POST', `/v1/tenants/${tenant.id}/keys/${old.key.id}/rotate`);
    assert.equal(res.statusCode, 201);
    assert.equal(res.json().previous.expires_at, old.key.expires_at);
    assert.equal((await app.machine(limits(tenant.id), old.secret)).statusCode, 200);
  });

  it('caps live keys by plan (inactive ones count), still allows rotation, and validates before the cap', async (t) => {
    const app = await startTestApp(t);
    const tenant = await createTenant(app);
    const keys = [];
    for (let i = 0; i < 10; i++) keys.push(await createKey(app, tenant.id, { name: `k${i}` }));
    await app.root('POST', `/v1/tenants/${tenant.id}/keys/${keys[0]!.key.id}/deactivate`);
    const over = await app.root('POST', `/v1/tenants/${tenant.id}/keys`, { name: 'one-more', environment: 'production' });
    assert.equal(over.statusCode, 409);
    assert.equal(over.json().code, 'key_limit_reached');
    assert.equal(over.json().details, 'The standard plan allows 10 live keys and the tenant has 10; revoke a key or upgrade the plan.');
    const invalid = await app.root('POST', `/v1/tenants/${tenant.id}/keys`, { name: 'one-more', environment: 'production', scopes: ['BAD'] });
    assert.equal(invalid.statusCode, 400, 'body validation answers before the cap');
    const rotate = await app.root('POST', `/v1/tenants/${tenant.id}/keys/${keys[1]!.key.id}/rotate`);
    assert.equal(rotate.statusCode, 201);
    const activate = await app.root('POST', `/v1/tenants/${tenant.id}/keys/${keys[0]!.key.id}/activate`);
    assert.equal(activate.statusCode, 409, 'ten are active (nine and the rotation\'s new key)');
    assert.equal(activate.json().details, 'The standard plan allows 10 live keys and the tenant has 10 active; revoke a key or upgrade the plan.');
    await app.root('POST', `/v1/tenants/${tenant.id}/keys/${keys[2]!.key.id}/revoke`);
    await app.root('POST', `/v1/tenants/${tenant.id}/keys/${keys[3]!.key.id}/revoke`);
    assert.equal((await app.root('POST', `/v1/tenants/${tenant.id}/keys`, { name: 'fits-again', environment: 'production' })).statusCode, 201);
  });

  it('a free tenant may not create keys; changing plan is always allowed, the cap then blocks new keys', async (t) => {
    const app = await startTestApp(t);
    const tenant = await createTenant(app, { plan: 'pro' });
    for (let i = 0; i < 11; i++) await createKey(app, tenant.id, { name: `k${i}` });
    const down = await app.root('PATCH', `/v1/tenants/${tenant.id}`, { plan: 'standard' });
    assert.equal(down.statusCode, 200);
    assert.equal((await app.root('POST', `/v1/tenants/${tenant.id}/keys`, { name: 'x', environment: 'production' })).json().code, 'key_limit_reached');
    const free = await createTenant(app, { plan: 'free' });
    const res = await app.root('POST', `/v1/tenants/${free.id}/keys`, { name: 'x', environment: 'production' });
    assert.equal(res.statusCode, 409);
    assert.equal(res.json().code, 'key_limit_reached');
  });

  it("after a downgrade a key keeps its limit and stays editable; a deactivated key's rotation is deactivated too", async (t) => {
    const app = await startTestApp(t);
    const tenant = await createTenant(app, { plan: 'enterprise' });
    const big = await createKey(app, tenant.id, { name: 'big', rate_limit: { requests_per_minute: 50_000 }, expires_at: null });
    assert.equal((await app.root('PATCH', `/v1/tenants/${tenant.id}`, { plan: 'standard' })).statusCode, 200);
    const keyUrl = `/v1/tenants/${tenant.id}/keys/${big.key.id}`;
    const renamed = await app.root('PATCH', keyUrl, { name: 'big2', meta: { x: 1 } });
    assert.equal(renamed.statusCode, 200, renamed.body);
    assert.deepEqual(renamed.json().rate_limit, { requests_per_minute: 50_000, burst: 50_000 });
    const raised = await app.root('PATCH', keyUrl, { rate_limit: { requests_per_minute: 2000 } });
    assert.equal(raised.statusCode, 400);
    assert.deepEqual(raised.json().fields.map((f: { field: string }) => f.field), ['rate_limit.requests_per_minute']);

    assert.equal((await app.root('POST', `${keyUrl}/deactivate`)).statusCode, 200);
    const rotated = await app.root('POST', `${keyUrl}/rotate`);
    assert.equal(rotated.statusCode, 201);
    assert.equal(rotated.json().key.status, 'inactive');
    const refused = await app.machine(limits(tenant.id), rotated.json().secret);
    assert.equal(refused.json().code, 'inactive_api_key', 'rotation does not bring a stopped key back');
    // The contract's "same settings": the plan's rules apply to values a request sets, and a rotation sets none.
    assert.deepEqual([rotated.json().key.rate_limit, rotated.json().key.expires_at], [{ requests_per_minute: 50_000, burst: 50_000 }, null]);
  });

  it('a rotation within the plan copies the limit and a null expiry as they are', async (t) => {
    const app = await startTestApp(t);
    const tenant = await createTenant(app, { plan: 'pro' });
    const key = await createKey(app, tenant.id, { rate_limit: { requests_per_minute: 1500, burst: 40 }, expires_at: null });
    const rotated = await app.root('POST', `/v1/tenants/${tenant.id}/keys/${key.key.id}/rotate`);
    assert.equal(rotated.statusCode, 201);
    assert.deepEqual([rotated.json().key.rate_limit, rotated.json().key.expires_at], [{ requests_per_minute: 1500, burst: 40 }, null]);
  });

  it('marks keys past expires_at as expired with a key.expired audit entry', async (t) => {
    const clock = new ManualClock();
    const app = await startTestApp(t, {}, { clock });
    const tenant = await createTenant(app);
    const { key } = await createKey(app, tenant.id, { expires_at: new Date(clock.now().getTime() + 60_000).toISOString() });
    clock.advance(120);
    assert.equal((await app.root('GET', `/v1/tenants/${tenant.id}/keys/${key.id}`)).json().status, 'expired');
    assert.equal(await app.services.keys.expireDue({ actor: { type: 'system', id: null }, ip: null }), 1);
    const audit = await app.root('GET', `/v1/tenants/${tenant.id}/audit-log?action=key.expired`);
    assert.equal(audit.json().data[0].target.id, key.id);
    assert.deepEqual(audit.json().data[0].actor, { type: 'system', id: null });
    const activate = await app.root('POST', `/v1/tenants/${tenant.id}/keys/${key.id}/activate`);
    assert.equal(activate.statusCode, 409);
  });
});
