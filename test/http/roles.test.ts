// Every dashboard role (and an operator session) against every management route: 2xx, 403 or 404 as CONTRACT.md section 5 says.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { addMember, asUser, type MailedApp, signIn, startMailedApp, stepUp } from '../support/sign-in.js';
import { createKey, createTenant, type Cleanup } from '../support/test-app.js';

type Who = 'owner' | 'admin' | 'developer' | 'viewer' | 'non-member' | 'operator';
type Access = 'operator' | 'signed-in' | 'reader' | 'manager';

interface Fixture {
  tenantId: string;
  keyId: string;
  userId: string;
}

interface Route {
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  /** The path as Fastify registers it, to skip routes this build does not have. */
  pattern: string;
  access: Access;
  url(f: Fixture): string;
  body?: (f: Fixture) => unknown;
}

const ROUTES: Route[] = [
  { method: 'POST', pattern: '/v1/tenants', access: 'operator', url: () => '/v1/tenants', body: () => ({ name: 'New Co' }) },
  { method: 'GET', pattern: '/v1/tenants', access: 'signed-in', url: () => '/v1/tenants' },
  { method: 'GET', pattern: '/v1/tenants/:tenantId', access: 'reader', url: (f) => `/v1/tenants/${f.tenantId}` },
  { method: 'PATCH', pattern: '/v1/tenants/:tenantId', access: 'operator', url: (f) => `/v1/tenants/${f.tenantId}`, body: () => ({ plan: 'enterprise' }) },
  { method: 'POST', pattern: '/v1/tenants/:tenantId/members', access: 'manager', url: (f) => `/v1/tenants/${f.tenantId}/members`, body: () => ({ email: `new-${Math.random().toString(36).slice(2)}@acme.example`, role: 'viewer' }) },
  { method: 'GET', pattern: '/v1/tenants/:tenantId/members', access: 'reader', url: (f) => `/v1/tenants/${f.tenantId}/members` },
  { method: 'PATCH', pattern: '/v1/tenants/:tenantId/members/:userId', access: 'manager', url: (f) => `/v1/tenants/${f.tenantId}/members/${f.userId}`, body: () => ({ role: 'developer' }) },
  { method: 'DELETE', pattern: '/v1/tenants/:tenantId/members/:userId', access: 'manager', url: (f) => `/v1/tenants/${f.tenantId}/members/${f.userId}` },
  { method: 'POST', pattern: '/v1/tenants/:tenantId/keys', access: 'manager', url: (f) => `/v1/tenants/${f.tenantId}/keys`, body: () => ({ name: 'bot', environment: 'staging' }) },
  { method: 'GET', pattern: '/v1/tenants/:tenantId/keys', access: 'reader', url: (f) => `/v1/tenants/${f.tenantId}/keys` },
  { method: 'GET', pattern: '/v1/tenants/:tenantId/keys/:keyId', access: 'reader', url: (f) => `/v1/tenants/${f.tenantId}/keys/${f.keyId}` },
  { method: 'PATCH', pattern: '/v1/tenants/:tenantId/keys/:keyId', access: 'manager', url: (f) => `/v1/tenants/${f.tenantId}/keys/${f.keyId}`, body: () => ({ name: 'renamed' }) },
  ...(['deactivate', 'revoke', 'regenerate'] as const).map((action): Route => (
    { method: 'POST', pattern: `/v1/tenants/:tenantId/keys/:keyId/${action}`, access: 'manager', url: (f) => `/v1/tenants/${f.tenantId}/keys/${f.keyId}/${action}` }
  )),
  { method: 'POST', pattern: '/v1/tenants/:tenantId/keys/:keyId/activate', access: 'manager', url: (f) => `/v1/tenants/${f.tenantId}/keys/${f.keyId}/activate` },
  { method: 'POST', pattern: '/v1/tenants/:tenantId/keys/:keyId/rotate', access: 'manager', url: (f) => `/v1/tenants/${f.tenantId}/keys/${f.keyId}/rotate`, body: () => ({ grace_period_seconds: 60 }) },
  { method: 'GET', pattern: '/v1/tenants/:tenantId/keys/:keyId/usage', access: 'reader', url: (f) => `/v1/tenants/${f.tenantId}/keys/${f.keyId}/usage` },
  { method: 'GET', pattern: '/v1/tenants/:tenantId/request-logs', access: 'reader', url: (f) => `/v1/tenants/${f.tenantId}/request-logs` },
  { method: 'GET', pattern: '/v1/tenants/:tenantId/audit-log', access: 'reader', url: (f) => `/v1/tenants/${f.tenantId}/audit-log` },
  { method: 'POST', pattern: '/v1/keys/verify', access: 'operator', url: () => '/v1/keys/verify', body: () => ({ key: 'lk_live_notakey' }) },
  { method: 'GET', pattern: '/metrics', access: 'operator', url: () => '/metrics' },
  { method: 'GET', pattern: '/v1/deployment', access: 'signed-in', url: () => '/v1/deployment' },
];

/** What CONTRACT.md section 5 and the order of checks promise: membership (404) before role (403). */
function expected(who: Who, route: Route): 'ok' | 403 | 404 {
  const tenantRoute = route.pattern.includes(':tenantId');
  if (who === 'operator' || route.access === 'signed-in') return 'ok';
  if (who === 'non-member' && tenantRoute) return 404;
  if (route.access === 'operator') return 403;
  if (route.access === 'reader') return 'ok';
  return who === 'owner' || who === 'admin' ? 'ok' : 403;
}

const EMAIL: Record<Who, string> = {
  owner: 'owner@acme.example',
  admin: 'admin@acme.example',
  developer: 'dev@acme.example',
  viewer: 'viewer@acme.example',
  'non-member': 'outsider@other.example',
  operator: 'ops@example.com',
};

async function world(t: Cleanup): Promise<{ app: MailedApp; acme: string; other: string }> {
  const app = await startMailedApp(t, { LATCHKEY_ADMIN_EMAILS: 'ops@example.com' });
  const acme = (await createTenant(app, { name: 'Acme', plan: 'enterprise' })).id;
  const other = (await createTenant(app, { name: 'Other', plan: 'enterprise' })).id;
  for (const role of ['owner', 'admin', 'developer', 'viewer'] as const) await addMember(app, acme, EMAIL[role], role);
  await addMember(app, other, EMAIL['non-member'], 'owner');
  return { app, acme, other };
}

/** A fresh key and member for each request, so that one action (a revoke, a removal) does not change the next. */
async function fixture(app: MailedApp, tenantId: string): Promise<Fixture> {
  const key = await createKey(app, tenantId, { environment: 'staging' });
  const member = await addMember(app, tenantId, `m-${Math.random().toString(36).slice(2)}@acme.example`, 'viewer');
  // activate needs an inactive key to be a 200.
  await app.root('POST', `/v1/tenants/${tenantId}/keys/${key.key.id}/deactivate`);
  return { tenantId, keyId: key.key.id, userId: member.user_id };
}

describe('roles on every management route', () => {
  for (const who of Object.keys(EMAIL) as Who[]) {
    it(`${who} session`, async (t) => {
      const { app, acme } = await world(t);
      const session = await signIn(app, EMAIL[who]);
      // Stepped up, so that what is measured here is the role; step-up itself is tested apart.
      await stepUp(app, session, EMAIL[who]);
      const as = asUser(app, session);
      let checked = 0;
      for (const route of ROUTES) {
        if (!app.app.hasRoute({ method: route.method, url: route.pattern })) continue;
        const f = await fixture(app, acme);
        const res = await as(route.method, route.url(f), route.body?.(f));
        const want = expected(who, route);
        const label = `${who}: ${route.method} ${route.pattern} answered ${res.statusCode} ${res.body.slice(0, 160)}`;
        if (want === 'ok') {
          assert.ok(res.statusCode >= 200 && res.statusCode < 300, label);
        } else {
          assert.equal(res.statusCode, want, label);
          assert.equal(res.json().code, want === 404 ? 'not_found' : 'forbidden', label);
        }
        checked++;
      }
      assert.ok(checked >= 18, `checked ${checked} routes`);
    });
  }

  it('a session never sees another tenant: its id, keys and members are 404, and it is not listed', async (t) => {
    const { app, acme, other } = await world(t);
    const otherKey = await createKey(app, other);
    const acmeKey = await createKey(app, acme);
    const owner = asUser(app, await signIn(app, EMAIL.owner));
    assert.deepEqual((await owner('GET', '/v1/tenants')).json().data.map((x: { id: string }) => x.id), [acme]);
    const otherName = (await app.root('GET', `/v1/tenants/${other}`)).json().name;
    for (const search of [other, otherName]) {
      assert.deepEqual((await owner('GET', `/v1/tenants?search=${encodeURIComponent(search)}`)).json().data, [], `a search finds no other tenant (${search})`);
    }
    for (const url of [
      `/v1/tenants/${other}`, `/v1/tenants/${other}/keys`, `/v1/tenants/${other}/keys/${otherKey.key.id}`,
      `/v1/tenants/${other}/members`, `/v1/tenants/${other}/audit-log`,
      // A key of the other tenant under one's own tenant is no better.
      `/v1/tenants/${acme}/keys/${otherKey.key.id}`,
    ]) {
      const res = await owner('GET', url);
      assert.equal(res.statusCode, 404, url);
      assert.equal(res.json().code, 'not_found');
    }
    const revoke = await owner('POST', `/v1/tenants/${other}/keys/${otherKey.key.id}/revoke`);
    assert.equal(revoke.statusCode, 404);
    const moved = await owner('POST', `/v1/tenants/${acme}/keys/${otherKey.key.id}/revoke`);
    assert.equal(moved.statusCode, 404);
    assert.equal((await app.root('GET', `/v1/tenants/${other}/keys/${otherKey.key.id}`)).json().status, 'active');
    assert.equal((await owner('GET', `/v1/tenants/${acme}/keys/${acmeKey.key.id}`)).statusCode, 200);
  });

  it('only owners (and operators) make, change or remove owners; an admin manages everyone else', async (t) => {
    const { app, acme } = await world(t);
    const base = `/v1/tenants/${acme}/members`;
    const ownerId = async (email: string) => ((await app.root('GET', base)).json().data as { user_id: string; email: string }[]).find((m) => m.email === email)!.user_id;
    const owner = await ownerId(EMAIL.owner);
    const second = (await addMember(app, acme, 'second-owner@acme.example', 'owner')).user_id;
    const developer = (await addMember(app, acme, 'dev2@acme.example', 'developer')).user_id;
    const admin = asUser(app, await signIn(app, EMAIL.admin));

    const refused = [
      await admin('POST', base, { email: 'new-owner@acme.example', role: 'owner' }),
      await admin('PATCH', `${base}/${developer}`, { role: 'owner' }),
      await admin('PATCH', `${base}/${second}`, { role: 'viewer' }),
      await admin('PATCH', `${base}/${second}`, { phone: '+14155550123' }),
      await admin('DELETE', `${base}/${second}`),
    ];
    for (const res of refused) {
      assert.equal(res.statusCode, 403, res.body);
      assert.equal(res.json().code, 'forbidden');
      assert.match(res.json().details, /^Only an owner of this tenant can /);
    }
    const members = (await app.root('GET', base)).json().data as { user_id: string; email: string; role: string; phone: string | null }[];
    assert.equal(members.some((m) => m.email === 'new-owner@acme.example'), false, 'nobody added');
    assert.deepEqual(members.filter((m) => [second, developer].includes(m.user_id)).map((m) => [m.role, m.phone]), [['owner', null], ['developer', null]], 'nothing changed');

    assert.equal((await admin('PATCH', `${base}/${developer}`, { role: 'admin' })).statusCode, 200, 'an admin still manages the roles below owner');
    const asOwner = asUser(app, await signIn(app, EMAIL.owner));
    assert.equal((await asOwner('PATCH', `${base}/${developer}`, { role: 'owner' })).statusCode, 200);
    assert.equal((await asOwner('PATCH', `${base}/${second}`, { role: 'admin' })).statusCode, 200);
    assert.equal((await asOwner('DELETE', `${base}/${second}`)).statusCode, 204);
    assert.equal((await app.root('PATCH', `${base}/${owner}`, { role: 'admin' })).statusCode, 200, 'an operator may (another owner remains)');
  });
});
