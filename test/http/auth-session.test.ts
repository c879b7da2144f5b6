import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { addMember, asUser, sessionCookie, signIn, startMailedApp } from '../support/sign-in.js';
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
    // The CSRF token's answer is kept by no cache.
    const me = await as('GET', '/v1/auth/me', undefined, { csrf: false });
    assert.ok(me.json().csrf_token);
    assert.equal(me.headers['cache-control'], 'no-store');
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
    assert.equal((await as('GET', `/v1/tenants/${tenant.id}/keys`)).statusCode, 200, 'the owner uses the tenant');
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

  it("sign-ins go to the audit logs of the tenants the user has used; a tenant that only added the address learns nothing", async (t) => {
    const clock = new ManualClock(new Date('2026-05-04T08:00:00Z'));
    const app = await startMailedApp(t, {}, { clock });
    const a = await createTenant(app, { name: 'A' });
    const b = await createTenant(app, { name: 'B' });
    await addMember(app, a.id, 'x@example.com', 'owner');
    await addMember(app, b.id, 'x@example.com', 'viewer');
    const signInFrom = async (ip: string) => {
      const before = app.mail.mails.length;
      await app.app.inject({ method: 'POST', url: '/v1/auth/otp', payload: { email: 'x@example.com' }, remoteAddress: ip });
      const code = await app.mail.code('x@example.com', before);
      const verified = await app.app.inject({ method: 'POST', url: '/v1/auth/otp/verify', payload: { email: 'x@example.com', code }, remoteAddress: ip });
      assert.equal(verified.statusCode, 200);
      return { user: verified.json().user.id as string, as: asUser(app, { cookie: sessionCookie(verified), csrf: (await app.app.inject({ method: 'GET', url: '/v1/auth/me', headers: { cookie: sessionCookie(verified) } })).json().csrf_token }) };
    };
    const signIns = async (tenantId: string) => (await app.root('GET', `/v1/tenants/${tenantId}/audit-log?action=auth.signed_in`)).json().data;
    const joinedAt = async (tenantId: string) => (await app.root('GET', `/v1/tenants/${tenantId}/members`)).json().data[0].joined_at;

    const first = await signInFrom('192.0.2.44');
    assert.equal((await signIns(a.id)).length, 0, 'not used yet');
    assert.equal((await signIns(b.id)).length, 0);
    assert.equal(await joinedAt(a.id), null);

    clock.advance(300);
    const opened = await Promise.all([first.as('GET', `/v1/tenants/${a.id}/keys`), first.as('GET', `/v1/tenants/${a.id}/members`)]);
    assert.deepEqual(opened.map((r) => r.statusCode), [200, 200]);
    const [entry, ...more] = await signIns(a.id);
    assert.equal(more.length, 0, 'one entry, however many first requests ran at once');
    assert.equal(entry.at, '2026-05-04T08:00:00Z', 'the time of the sign-in, not of the first use');
    assert.equal(entry.ip, '192.0.2.44');
    assert.deepEqual(entry.actor, { type: 'user', id: first.user });
    assert.deepEqual(entry.target, { type: 'user', id: first.user });
    assert.equal(await joinedAt(a.id), '2026-05-04T08:05:00Z');
    assert.equal(await joinedAt(b.id), null);
    const me = (await first.as('GET', '/v1/auth/me')).json();
    assert.deepEqual(me.memberships.map((m: { tenant_id: string; joined: boolean }) => [m.tenant_id, m.joined]), [[a.id, true], [b.id, false]]);
    assert.equal((await signIns(b.id)).length, 0, 'B added the address but was never used by it');

    assert.equal((await first.as('POST', '/v1/auth/logout')).statusCode, 204);
    clock.advance(60);
    await signInFrom('198.51.100.7');
    assert.deepEqual((await signIns(a.id)).map((e: { ip: string }) => e.ip), ['198.51.100.7', '192.0.2.44']);
    assert.equal((await signIns(b.id)).length, 0);
    const signOuts = async (tenantId: string) => (await app.root('GET', `/v1/tenants/${tenantId}/audit-log?action=auth.signed_out`)).json().data.length;
    assert.deepEqual([await signOuts(a.id), await signOuts(b.id)], [1, 0]);
  });

  it('an operator looking at a tenant that added their address does not join it: its log gets none of their sign-ins', async (t) => {
    const app = await startMailedApp(t, { LATCHKEY_ADMIN_EMAILS: 'ops@latchkey.example' });
    const hostile = await createTenant(app, { name: 'Hostile' });
    await addMember(app, hostile.id, 'ops@latchkey.example', 'viewer');
    const as = asUser(app, await signIn(app, 'ops@latchkey.example'));
    assert.equal((await as('GET', `/v1/tenants/${hostile.id}`)).statusCode, 200);
    assert.equal((await as('POST', '/v1/auth/logout')).statusCode, 204);
    const entries = (await app.root('GET', `/v1/tenants/${hostile.id}/audit-log`)).json().data.map((e: { action: string }) => e.action);
    assert.deepEqual(entries.filter((a: string) => a.startsWith('auth.')), []);
    assert.equal((await app.root('GET', `/v1/tenants/${hostile.id}/members`)).json().data[0].joined_at, null);
  });
});
