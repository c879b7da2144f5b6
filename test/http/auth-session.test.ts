import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { addMember, asUser, signIn, startMailedApp } from '../support/sign-in.js';
import { createTenant, ManualClock, type Cleanup } from '../support/test-app.js';

const OWNER = 'olivia@acme.example';

async function signedInOwner(t: Cleanup, clock?: ManualClock) {
  const app = await startMailedApp(t, {}, clock ? { clock } : {});
  const tenant = await createTenant(app, { name: 'Acme' });
  await addMember(app, tenant.id, OWNER, 'owner');
  const session = await signIn(app, OWNER);
  return { app, tenant, session, as: asUser(app, session) };
}

describe('sessions', () => {
  it('a mutation from a session needs its CSRF token: missing or wrong is 403 forbidden, reads need none', async (t) => {
    const { app, tenant, as } = await signedInOwner(t);
    const members = `/v1/tenants/${tenant.id}/members`;
    const missing = await as('POST', members, { email: 'new@acme.example', role: 'viewer' }, { csrf: false });
    assert.equal(missing.statusCode, 403);
    assert.equal(missing.json().code, 'forbidden');
    assert.match(missing.json().details, /X-CSRF-Token/);
    const wrong = await as('POST', members, { email: 'new@acme.example', role: 'viewer' }, { csrf: 'f'.repeat(64) });
    assert.equal(wrong.statusCode, 403);
    assert.equal(wrong.json().code, 'forbidden');
    assert.equal((await as('GET', members, undefined, { csrf: false })).statusCode, 200);
    assert.equal((await as('POST', members, { email: 'new@acme.example', role: 'viewer' })).statusCode, 201);
    assert.equal((await as('POST', '/v1/auth/logout', undefined, { csrf: false })).statusCode, 403, 'logout too');
    assert.equal((await app.root('GET', members)).json().data.length, 2);
  });

  it("one session's CSRF token does not pass with another session", async (t) => {
    const { app, tenant, session } = await signedInOwner(t);
    await addMember(app, tenant.id, 'adam@acme.example', 'admin');
    const other = await signIn(app, 'adam@acme.example');
    const res = await asUser(app, other)('POST', `/v1/tenants/${tenant.id}/members`, { email: 'x@acme.example', role: 'viewer' }, { csrf: session.csrf });
    assert.equal(res.statusCode, 403);
  });

  it('checks the credential before CSRF: no session or a dead cookie is 401, whatever the CSRF header', async (t) => {
    const { app, tenant } = await signedInOwner(t);
    const url = `/v1/tenants/${tenant.id}/members`;
    const anonymous = await app.app.inject({ method: 'POST', url, payload: { email: 'x@acme.example', role: 'viewer' } });
    assert.equal(anonymous.statusCode, 401);
    assert.equal(anonymous.json().code, 'unauthorized');
    const dead = await app.app.inject({ method: 'POST', url, payload: { email: 'x@acme.example', role: 'viewer' }, headers: { cookie: `latchkey_session=${'A'.repeat(43)}` } });
    assert.equal(dead.statusCode, 401);
    assert.equal((await app.app.inject({ method: 'GET', url: '/v1/auth/me' })).statusCode, 401);
  });

  it('/me and the session routes need a session: the root token gets 401', async (t) => {
    const { app } = await signedInOwner(t);
    for (const [method, url, body] of [['GET', '/v1/auth/me'], ['POST', '/v1/auth/step-up', { channel: 'email' }], ['POST', '/v1/auth/step-up/verify', { code: '123456' }], ['POST', '/v1/auth/logout']] as const) {
      const res = await app.root(method, url, body);
      assert.equal(res.statusCode, 401, `${method} ${url}`);
      assert.equal(res.json().code, 'unauthorized');
    }
  });

  it('logout ends the session, clears the cookie and is audited', async (t) => {
    const { app, tenant, as } = await signedInOwner(t);
    const refused = await as('POST', '/v1/auth/logout', { everywhere: true });
    assert.equal(refused.statusCode, 400, 'logout takes no body');
    assert.equal((await as('GET', '/v1/auth/me')).statusCode, 200, 'and a refused logout keeps the session');
    const out = await as('POST', '/v1/auth/logout');
    assert.equal(out.statusCode, 204);
    const cleared = String(out.headers['set-cookie']);
    assert.match(cleared, /^latchkey_session=;/);
    assert.match(cleared, /Expires=Thu, 01 Jan 1970|Max-Age=0/);
    assert.match(cleared, /HttpOnly/);
    assert.equal((await as('GET', '/v1/auth/me')).statusCode, 401, 'the old cookie is dead');
    const actions = (await app.root('GET', `/v1/tenants/${tenant.id}/audit-log`)).json().data.map((e: { action: string }) => e.action);
    assert.ok(actions.includes('auth.signed_in'));
    assert.ok(actions.includes('auth.signed_out'));
  });

  it('ends after 12 hours without use; each use pushes the idle end out', async (t) => {
    const clock = new ManualClock(new Date('2026-05-04T08:00:00Z'));
    const { as } = await signedInOwner(t, clock);
    clock.advance(11 * 3600);
    assert.equal((await as('GET', '/v1/auth/me')).statusCode, 200);
    clock.advance(11 * 3600);
    assert.equal((await as('GET', '/v1/auth/me')).statusCode, 200, '22 hours after sign-in, 11 after the last use');
    clock.advance(12 * 3600);
    assert.equal((await as('GET', '/v1/auth/me')).statusCode, 401);
  });

  it('ends 7 days after sign-in however active it is', async (t) => {
    const clock = new ManualClock(new Date('2026-05-04T08:00:00Z'));
    const { as } = await signedInOwner(t, clock);
    for (let hours = 10; hours < 7 * 24; hours += 10) {
      clock.advance(10 * 3600);
      assert.equal((await as('GET', '/v1/auth/me')).statusCode, 200, `after ${hours} h`);
    }
    clock.advance(8 * 3600);
    assert.equal((await as('GET', '/v1/auth/me')).statusCode, 401);
  });

  it('roles are read on every request: a removed member loses the tenant at once', async (t) => {
    const { app, tenant } = await signedInOwner(t);
    const dev = await addMember(app, tenant.id, 'dev@acme.example', 'developer');
    const as = asUser(app, await signIn(app, 'dev@acme.example'));
    assert.equal((await as('GET', `/v1/tenants/${tenant.id}/keys`)).statusCode, 200);
    await app.root('PATCH', `/v1/tenants/${tenant.id}/members/${dev.user_id}`, { role: 'admin' });
    assert.deepEqual((await as('GET', '/v1/auth/me')).json().memberships.map((m: { role: string }) => m.role), ['admin']);
    await app.root('DELETE', `/v1/tenants/${tenant.id}/members/${dev.user_id}`);
    const gone = await as('GET', `/v1/tenants/${tenant.id}/keys`);
    assert.equal(gone.statusCode, 404);
    assert.equal(gone.json().code, 'not_found');
    assert.deepEqual((await as('GET', '/v1/auth/me')).json().memberships, []);
  });

  it('sign-in is audited in every tenant of the user, with the client IP', async (t) => {
    const app = await startMailedApp(t);
    const a = await createTenant(app, { name: 'A' });
    const b = await createTenant(app, { name: 'B' });
    const other = await createTenant(app, { name: 'Other' });
    await addMember(app, a.id, 'x@example.com', 'owner');
    await addMember(app, b.id, 'x@example.com', 'viewer');
    await app.app.inject({ method: 'POST', url: '/v1/auth/otp', payload: { email: 'x@example.com' } });
    const verified = await app.app.inject({ method: 'POST', url: '/v1/auth/otp/verify', payload: { email: 'x@example.com', code: await app.mail.code('x@example.com') }, remoteAddress: '192.0.2.44' });
    assert.equal(verified.statusCode, 200);
    for (const tenant of [a, b]) {
      const [entry] = (await app.root('GET', `/v1/tenants/${tenant.id}/audit-log?action=auth.signed_in`)).json().data;
      assert.equal(entry.ip, '192.0.2.44');
      assert.deepEqual(entry.actor, { type: 'user', id: verified.json().user.id });
      assert.deepEqual(entry.target, { type: 'user', id: verified.json().user.id });
    }
    assert.equal((await app.root('GET', `/v1/tenants/${other.id}/audit-log?action=auth.signed_in`)).json().data.length, 0);
  });
});
