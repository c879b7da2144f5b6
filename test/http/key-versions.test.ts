import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createKey, createTenant, startTestApp } from '../support/test-app.js';

const limits = (tenantId: string) => `/api/v1/m2m/tenants/${tenantId}/limits`;

describe('key versions: ETag on a key, If-Match on PATCH', () => {
  it('a PATCH with the ETag read lands and answers the new ETag; the same stale ETag again is 409 and changes nothing', async (t) => {
    const app = await startTestApp(t);
    const tenant = await createTenant(app);
    const { key } = await createKey(app, tenant.id, { allowed_ips: ['10.0.0.0/8'] });
    const url = `/v1/tenants/${tenant.id}/keys/${key.id}`;
    const read = await app.root('GET', url);
    const etag = read.headers.etag as string;
    assert.match(etag, /^"[A-Za-z0-9_-]{22}"$/);

    const first = await app.root('PATCH', url, { allowed_ips: ['10.0.0.0/8', '192.168.1.0/24'] }, { 'if-match': etag });
    assert.equal(first.statusCode, 200, first.body);
    const newer = first.headers.etag as string;
    assert.notEqual(newer, etag);
    assert.equal((await app.root('GET', url)).headers.etag, newer, 'GET agrees with the answer to the PATCH');

    // A second editor who read the key before the first change.
    const stale = await app.root('PATCH', url, { allowed_ips: [] }, { 'if-match': etag });
    assert.equal(stale.statusCode, 409);
    assert.equal(stale.json().code, 'conflict');
    assert.equal(stale.json().details, `The key changed since you read it: its ETag is now ${newer}, not the one in If-Match. Read it again, then make your change on what it holds now.`);
    const now = (await app.root('GET', url)).json();
    assert.deepEqual(now.allowed_ips, ['10.0.0.0/8', '192.168.1.0/24'], 'the restriction added first is kept');
    const updates = (await app.root('GET', `/v1/tenants/${tenant.id}/audit-log?action=key.updated`)).json().data;
    assert.equal(updates.length, 1, 'the refused change is not audited');

    // Read again, then the change goes through.
    const again = await app.root('PATCH', url, { allowed_ips: [] }, { 'if-match': newer });
    assert.equal(again.statusCode, 200, again.body);
    assert.deepEqual(again.json().allowed_ips, []);
  });

  it('a stale ETag is refused even for a change that would change nothing, and before any of the key is written', async (t) => {
    const app = await startTestApp(t);
    const tenant = await createTenant(app);
    const { key } = await createKey(app, tenant.id, { name: 'bot' });
    const url = `/v1/tenants/${tenant.id}/keys/${key.id}`;
    const etag = (await app.root('GET', url)).headers.etag as string;
    await app.root('PATCH', url, { scopes: ['orders:read'] });
    const same = await app.root('PATCH', url, { name: 'bot' }, { 'if-match': etag });
    assert.equal(same.statusCode, 409);
    const mixed = await app.root('PATCH', url, { name: 'renamed', scopes: [] }, { 'if-match': etag });
    assert.equal(mixed.statusCode, 409);
    const now = (await app.root('GET', url)).json();
    assert.deepEqual([now.name, now.scopes], ['bot', ['orders:read']]);
  });

  it('traffic does not move the ETag (a save is not refused because the key was used); status changes do, and answer it', async (t) => {
    const app = await startTestApp(t);
    const tenant = await createTenant(app);
    const { key, secret } = await createKey(app, tenant.id);
    const url = `/v1/tenants/${tenant.id}/keys/${key.id}`;
    const etag = (await app.root('GET', url)).headers.etag as string;
    assert.equal((await app.machine(limits(tenant.id), secret)).statusCode, 200);
    await app.services.usageWriter.flush();
    const used = await app.root('GET', url);
    assert.notEqual(used.json().last_used_at, null, 'the use was written');
    assert.equal(used.headers.etag, etag);

    const deactivated = await app.root('POST', `${url}/deactivate`);
    assert.equal(deactivated.statusCode, 200);
    const afterDeactivate = deactivated.headers.etag as string;
    assert.notEqual(afterDeactivate, etag);
    assert.equal((await app.root('PATCH', url, { name: 'x' }, { 'if-match': etag })).statusCode, 409);
    const activated = await app.root('POST', `${url}/activate`);
    assert.notEqual(activated.headers.etag, afterDeactivate);
    assert.equal((await app.root('PATCH', url, { name: 'x' }, { 'if-match': activated.headers.etag as string })).statusCode, 200);
  });

  it('a regenerated secret moves the ETag', async (t) => {
    const app = await startTestApp(t);
    const tenant = await createTenant(app);
    const { key } = await createKey(app, tenant.id);
    const url = `/v1/tenants/${tenant.id}/keys/${key.id}`;
    const etag = (await app.root('GET', url)).headers.etag as string;
    assert.equal((await app.root('POST', `${url}/regenerate`)).statusCode, 200);
    assert.notEqual((await app.root('GET', url)).headers.etag, etag);
  });

  it('If-Match takes "*", a list holding the current tag, and refuses weak tags and text that is no tag', async (t) => {
    const app = await startTestApp(t);
    const tenant = await createTenant(app);
    const { key } = await createKey(app, tenant.id);
    const url = `/v1/tenants/${tenant.id}/keys/${key.id}`;
    const etag = (await app.root('GET', url)).headers.etag as string;

    const any = await app.root('PATCH', url, { name: 'one' }, { 'if-match': '*' });
    assert.equal(any.statusCode, 200, any.body);
    const current = any.headers.etag as string;
    const listed = await app.root('PATCH', url, { name: 'two' }, { 'if-match': `"AAAAAAAAAAAAAAAAAAAAAA", ${current}` });
    assert.equal(listed.statusCode, 200, listed.body);

    // If-Match compares strongly (RFC 9110): a weak tag never matches, even with the current value.
    const weak = await app.root('PATCH', url, { name: 'three' }, { 'if-match': `W/${listed.headers.etag as string}` });
    assert.equal(weak.statusCode, 409);

    for (const bad of ['5Jz0vQkq3i1tM2yYc8b7hA', '"unterminated', '"a b"', ',', `${etag} junk`]) {
      const res = await app.root('PATCH', url, { name: 'four' }, { 'if-match': bad });
      assert.equal(res.statusCode, 400, bad);
      assert.equal(res.json().code, 'invalid_request');
      assert.equal(res.json().fields[0].field, 'if-match', bad);
    }
    assert.equal((await app.root('GET', url)).json().name, 'two', 'no refused PATCH changed the key');
  });

  it('a key of another tenant is 404 whatever the If-Match, and the OpenAPI document describes the header', async (t) => {
    const app = await startTestApp(t);
    const tenant = await createTenant(app);
    const other = await createTenant(app, { name: 'Other' });
    const { key } = await createKey(app, other.id);
    const res = await app.root('PATCH', `/v1/tenants/${tenant.id}/keys/${key.id}`, { name: 'x' }, { 'if-match': '*' });
    assert.equal(res.statusCode, 404);

    const doc = (await app.app.inject({ url: '/openapi.json' })).json();
    const parameters: { name: string; in: string }[] = doc.paths['/v1/tenants/{tenantId}/keys/{keyId}'].patch.parameters;
    assert.ok(parameters.some((p) => p.in === 'header' && p.name === 'if-match'), JSON.stringify(parameters));
    for (const [path, method] of [['/v1/tenants/{tenantId}/keys/{keyId}', 'get'], ['/v1/tenants/{tenantId}/keys/{keyId}', 'patch'], ['/v1/tenants/{tenantId}/keys/{keyId}/revoke', 'post']] as const) {
      assert.ok(doc.paths[path][method].responses['200'].headers?.ETag, `${method} ${path} documents its ETag`);
    }
  });
});
