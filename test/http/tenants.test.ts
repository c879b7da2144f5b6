import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createKey, createTenant, startTestApp } from '../support/test-app.js';

describe('tenants API', () => {
  it('creates a tenant with the standard plan and active status by default', async (t) => {
    const app = await startTestApp(t);
    const res = await app.root('POST', '/v1/tenants', { name: 'Acme' });
    assert.equal(res.statusCode, 201);
    const tenant = res.json();
    assert.match(tenant.id, /^ten_[0-9A-Za-z]+$/);
    assert.equal(tenant.plan, 'standard');
    assert.equal(tenant.status, 'active');
    assert.match(tenant.created_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/);
    const got = await app.root('GET', `/v1/tenants/${tenant.id}`);
    assert.deepEqual(got.json(), tenant);
  });

  it('refuses an unknown plan or status with 400 naming the field', async (t) => {
    const app = await startTestApp(t);
    const plan = await app.root('POST', '/v1/tenants', { name: 'Acme', plan: 'platinum' });
    assert.equal(plan.statusCode, 400);
    assert.equal(plan.json().fields[0].field, 'plan');
    const status = await app.root('POST', '/v1/tenants', { name: 'Acme', status: 'closed' });
    assert.equal(status.statusCode, 400);
    assert.equal(status.json().fields[0].field, 'status');
  });

  it('answers 404 for an unknown tenant', async (t) => {
    const app = await startTestApp(t);
    const res = await app.root('GET', '/v1/tenants/ten_doesnotexist');
    assert.equal(res.statusCode, 404);
    assert.equal(res.json().code, 'not_found');
  });

  it('changes plan and status, and audits the change with old and new values', async (t) => {
    const app = await startTestApp(t);
    const tenant = await createTenant(app);
    const res = await app.root('PATCH', `/v1/tenants/${tenant.id}`, { plan: 'pro', status: 'suspended', key_prefix: 'acme' });
    assert.equal(res.statusCode, 200);
    assert.equal(res.json().plan, 'pro');
    assert.equal(res.json().status, 'suspended');
    const audit = await app.root('GET', `/v1/tenants/${tenant.id}/audit-log`);
    const [updated, created] = audit.json().data;
    assert.equal(created.action, 'tenant.created');
    assert.equal(updated.action, 'tenant.updated');
    assert.deepEqual(updated.details.changes.plan, { from: 'standard', to: 'pro' });
    assert.deepEqual(updated.details.changes.key_prefix, { from: null, to: 'acme' }, 'named as the API names it');
    assert.deepEqual(updated.actor, { type: 'operator', id: 'env' });
    assert.equal(updated.target.id, tenant.id);
  });

  it('refuses a key in the query string of a management call too: 400 api_key_in_query, before the credential', async (t) => {
    const app = await startTestApp(t);
    const tenant = await createTenant(app);
    const { secret } = await createKey(app, tenant.id);
    for (const url of [`/v1/tenants/${tenant.id}/keys?x=${secret}`, `/v1/tenants/${tenant.id}/keys?api_key=anything`, `/v1/tenants?${secret}`]) {
      const res = await app.root('GET', url);
      assert.equal(res.statusCode, 400, url);
      assert.equal(res.json().code, 'api_key_in_query', url);
      assert.ok(!res.body.includes(secret), 'the key is not echoed');
    }
    const anonymous = await app.app.inject({ url: `/v1/tenants?x=${secret}` });
    assert.equal(anonymous.json().code, 'api_key_in_query', 'checked first, as on the M2M API');
    assert.equal((await app.root('GET', `/v1/tenants/${tenant.id}/keys?status=active`)).statusCode, 200);
  });

  it('counts a tenant name in characters: 200 emoji fit, 201 do not', async (t) => {
    const app = await startTestApp(t);
    assert.equal((await app.root('POST', '/v1/tenants', { name: '\u{1f511}'.repeat(200) })).statusCode, 201);
    const long = await app.root('POST', '/v1/tenants', { name: '\u{1f511}'.repeat(201) });
    assert.equal(long.statusCode, 400);
    assert.deepEqual(long.json().fields.map((f: { field: string }) => f.field), ['name']);
  });

  it('lists tenants newest first with cursor pagination', async (t) => {
    const app = await startTestApp(t);
    const made = [];
    for (let i = 0; i < 5; i++) made.push(await createTenant(app, { name: `T${i}` }));
    const first = await app.root('GET', '/v1/tenants?limit=2');
    assert.equal(first.json().data.length, 2);
    const seen = [...first.json().data];
    let cursor = first.json().next_cursor;
    while (cursor) {
      const page = await app.root('GET', `/v1/tenants?limit=2&cursor=${cursor}`);
      seen.push(...page.json().data);
      cursor = page.json().next_cursor;
    }
    assert.deepEqual(seen.map((x: { id: string }) => x.id).sort(), made.map((x) => x.id).sort());
    const bad = await app.root('GET', '/v1/tenants?cursor=garbage');
    assert.equal(bad.statusCode, 400);
    assert.equal(bad.json().fields[0].field, 'cursor');
  });

  it('searches tenant names (A–Z in any case) or ids, through pages; refuses a search too long or holding a key', async (t) => {
    const app = await startTestApp(t);
    const acme = await createTenant(app, { name: 'Acme Corp' });
    const labs = await createTenant(app, { name: 'ACME Labs' });
    const initech = await createTenant(app, { name: 'Initech' });
    const list = (query: string) => app.root('GET', `/v1/tenants?${query}`);
    const ids = async (query: string) => (await list(query)).json().data.map((x: { id: string }) => x.id);

    assert.deepEqual(await ids('search=acme'), [labs.id, acme.id], 'newest first');
    assert.deepEqual(await ids(`search=${initech.id}`), [initech.id]);
    assert.deepEqual(await ids('search=%25'), [], 'a % is searched for, not a wildcard');
    assert.deepEqual(await ids('search=globex'), []);
    assert.equal((await ids('search=')).length, 3, 'empty: every tenant');
    const page = await list('search=acme&limit=1');
    assert.deepEqual(page.json().data.map((x: { id: string }) => x.id), [labs.id]);
    assert.deepEqual(await ids(`search=acme&limit=1&cursor=${page.json().next_cursor}`), [acme.id]);

    const long = await list(`search=${'a'.repeat(201)}`);
    assert.equal(long.statusCode, 400);
    assert.equal(long.json().fields[0].field, 'search');
    assert.equal((await list(`search=${encodeURIComponent('\u{1f511}'.repeat(200))}`)).statusCode, 200, '200 characters, counted as code points');
    const key = await createKey(app, acme.id);
    const pasted = await list(`search=${encodeURIComponent(key.secret)}`);
    assert.equal(pasted.statusCode, 400);
    assert.equal(pasted.json().code, 'api_key_in_query');
    assert.doesNotMatch(pasted.body, new RegExp(key.secret));
  });

  it('accepts root tokens made by root-token create, stored only as a digest', async (t) => {
    const app = await startTestApp(t);
    const made = await app.services.rootTokens.create('ci');
    assert.match(made.token, /^lkr_[0-9A-Za-z]{43}$/);
    const res = await app.app.inject({ method: 'GET', url: '/v1/tenants', headers: { authorization: `Bearer ${made.token}` } });
    assert.equal(res.statusCode, 200);
  });
});
