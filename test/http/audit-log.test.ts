// The audit log's list: its filters (action, time range) and their refusals.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createKey, createTenant, ManualClock, startTestApp } from '../support/test-app.js';

describe('GET /v1/tenants/{id}/audit-log', () => {
  it('narrows to one action and to a time range, either end open', async (t) => {
    const clock = new ManualClock(new Date('2026-06-01T10:00:00Z'));
    const app = await startTestApp(t, {}, { clock });
    const tenant = await createTenant(app);
    // Entries of one instant are ordered by their random ids: a second apart, the order is the order of events.
    clock.advance(1);
    const { key } = await createKey(app, tenant.id);
    clock.advance(3600);
    await app.root('POST', `/v1/tenants/${tenant.id}/keys/${key.id}/revoke`);
    const actions = async (query: string) => {
      const res = await app.root('GET', `/v1/tenants/${tenant.id}/audit-log?${query}`);
      assert.equal(res.statusCode, 200, res.body);
      return res.json().data.map((e: { action: string }) => e.action);
    };
    assert.deepEqual(await actions(''), ['key.revoked', 'key.created', 'tenant.created']);
    assert.deepEqual(await actions('action=key.revoked'), ['key.revoked']);
    assert.deepEqual(await actions('from=2026-06-01T10:30:00Z'), ['key.revoked']);
    assert.deepEqual(await actions('to=2026-06-01T10:30:00Z'), ['key.created', 'tenant.created']);
    assert.deepEqual(await actions('from=2026-06-01T10:00:01Z&to=2026-06-01T11:00:01Z&action=key.created'), ['key.created'], 'both ends included');
    assert.deepEqual(await actions('from=2026-06-01T12:30:00%2B02:00'), ['key.revoked'], 'a time with a zone offset');
  });

  it('refuses an action that is not one, and a time range that is not one, naming the field', async (t) => {
    const app = await startTestApp(t);
    const tenant = await createTenant(app);
    const cases: [string, string][] = [
      ['action=bogus', 'action'],
      ['action=KEY.CREATED', 'action'],
      ['from=yesterday', 'from'],
      ['from=2027-02-30T00:00:00Z', 'from'],
      ['from=2026-06-02T00:00:00Z&to=2026-06-01T00:00:00Z', 'from'],
      ['to=2026-13-01T00:00:00Z', 'to'],
    ];
    for (const [query, field] of cases) {
      const res = await app.root('GET', `/v1/tenants/${tenant.id}/audit-log?${query}`);
      assert.equal(res.statusCode, 400, query);
      assert.equal(res.json().code, 'invalid_request', query);
      assert.deepEqual(res.json().fields.map((f: { field: string }) => f.field), [field], `${query}: ${res.body}`);
    }
    const bogus = await app.root('GET', `/v1/tenants/${tenant.id}/audit-log?action=bogus`);
    assert.match(bogus.json().fields[0].message, /key\.created/, 'says which actions there are');
  });
});
