import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { LatchkeyError } from '../../src/core/errors.js';
import { SYSTEM_CONTEXT } from '../../src/manage/context.js';
import { targetFor, testDatabases } from '../support/databases.js';
import { type Cleanup, createKey, createTenant, startTestApp, type TestApp } from '../support/test-app.js';

const limits = (tenantId: string) => `/api/v1/m2m/tenants/${tenantId}/limits`;
/** Rounds of each race: requests sent at once interleave differently from round to round. */
const ROUNDS = 5;

async function startOn(t: Cleanup, database: ReturnType<typeof testDatabases>[number]): Promise<TestApp> {
  const target = await targetFor(t, database);
  return startTestApp(t, { LATCHKEY_DATABASE_URL: target.url });
}

const statuses = (responses: { statusCode: number }[]) => responses.map((r) => r.statusCode).sort();

for (const database of testDatabases()) {
  describe(`changes made at the same moment (${database.name})`, { skip: database.skip }, () => {
    it('a revoke sent with an activate or a deactivate wins: the key ends revoked and is refused', async (t) => {
      const app = await startOn(t, database);
      const tenant = await createTenant(app);
      for (let round = 0; round < ROUNDS; round++) {
        const { key, secret } = await createKey(app, tenant.id, { name: `race-${round}` });
        const url = `/v1/tenants/${tenant.id}/keys/${key.id}`;
        if (round % 2 === 0) await app.root('POST', `${url}/deactivate`);
        const other = round % 2 === 0 ? 'activate' : 'deactivate';
        const [revoked, raced] = await Promise.all([app.root('POST', `${url}/revoke`), app.root('POST', `${url}/${other}`)]);
        assert.equal(revoked.statusCode, 200);
        assert.ok([200, 409].includes(raced.statusCode), `${other}: ${raced.statusCode} ${raced.body}`);
        assert.equal((await app.root('GET', url)).json().status, 'revoked', `round ${round}: revoke, then ${other}`);
        assert.equal((await app.machine(limits(tenant.id), secret)).json().code, 'revoked_api_key');
      }
    });

    it("keys created at once cannot pass the plan's cap together", async (t) => {
      const app = await startOn(t, database);
      const tenant = await createTenant(app, { plan: 'standard' });
      for (let i = 0; i < 9; i++) await createKey(app, tenant.id, { name: `k${i}` });
      // Through the service, as HTTP and the CLI call it: HTTP requests sent at once here seldom overlap there.
      const created = await Promise.allSettled([0, 1, 2].map((i) => app.services.keys.create(tenant.id, { name: `late-${i}`, environment: 'production' }, SYSTEM_CONTEXT)));
      assert.equal(created.filter((r) => r.status === 'fulfilled').length, 1);
      const refused = created.flatMap((r) => (r.status === 'rejected' ? [(r.reason as LatchkeyError).code] : []));
      assert.deepEqual(refused, ['key_limit_reached', 'key_limit_reached']);
      const live = await app.root('GET', `/v1/tenants/${tenant.id}/keys?status=active&limit=100`);
      assert.equal(live.json().data.length, 10, 'the standard plan allows 10 live keys');
    });

    it('a key rotated twice at once rotates once; the other answer is 409 and makes no key', async (t) => {
      const app = await startOn(t, database);
      const tenant = await createTenant(app);
      const { key } = await createKey(app, tenant.id);
      const url = `/v1/tenants/${tenant.id}/keys/${key.id}/rotate`;
      const rotated = await Promise.all([app.root('POST', url, {}), app.root('POST', url, {})]);
      assert.deepEqual(statuses(rotated), [201, 409]);
      const refused = rotated.find((r) => r.statusCode === 409)!;
      assert.equal(refused.json().code, 'conflict');
      assert.doesNotMatch(refused.body, /lk_live_/, 'no secret in the refusal');
      const successor = rotated.find((r) => r.statusCode === 201)!.json().key.id;
      const keys = (await app.root('GET', `/v1/tenants/${tenant.id}/keys`)).json().data.map((k: { id: string }) => k.id).sort();
      assert.deepEqual(keys, [key.id, successor].sort());
      assert.equal((await app.root('GET', `/v1/tenants/${tenant.id}/keys/${key.id}`)).json().rotated_to, successor);
    });

    it('changes of different settings of one key at the same moment both stay', async (t) => {
      const app = await startOn(t, database);
      const tenant = await createTenant(app);
      for (let round = 0; round < ROUNDS; round++) {
        const { key } = await createKey(app, tenant.id, { name: `both-${round}` });
        // Through the service, as HTTP and the CLI call it, so that both read the key before either writes.
        await Promise.all([
          app.services.keys.update(tenant.id, key.id, { scopes: ['orders:read'] }, SYSTEM_CONTEXT),
          app.services.keys.update(tenant.id, key.id, { allowedIps: ['10.0.0.0/8'] }, SYSTEM_CONTEXT),
          app.services.keys.update(tenant.id, key.id, { meta: { round } }, SYSTEM_CONTEXT),
        ]);
        const now = (await app.root('GET', `/v1/tenants/${tenant.id}/keys/${key.id}`)).json();
        assert.deepEqual([now.scopes, now.allowed_ips, now.meta], [['orders:read'], ['10.0.0.0/8'], { round }], `round ${round}`);
      }
    });

    it('two editors of the same setting, each with the ETag it read: one change lands, the other is 409 and lost nowhere', async (t) => {
      const app = await startOn(t, database);
      const tenant = await createTenant(app);
      for (let round = 0; round < ROUNDS; round++) {
        const { key } = await createKey(app, tenant.id, { name: `same-${round}` });
        const url = `/v1/tenants/${tenant.id}/keys/${key.id}`;
        const read = (await app.root('GET', url)).headers.etag as string;
        // Through the service, as HTTP and the CLI call it, so that both read the key before either writes.
        const edits = await Promise.allSettled([
          app.services.keys.update(tenant.id, key.id, { allowedIps: ['10.0.0.0/8'] }, SYSTEM_CONTEXT, [read]),
          app.services.keys.update(tenant.id, key.id, { allowedIps: ['192.168.0.0/16'] }, SYSTEM_CONTEXT, [read]),
        ]);
        assert.equal(edits.filter((e) => e.status === 'fulfilled').length, 1, `round ${round}`);
        const refused = edits.find((e) => e.status === 'rejected')!;
        assert.equal((refused.reason as LatchkeyError).code, 'conflict');
        const winner = edits.findIndex((e) => e.status === 'fulfilled');
        assert.deepEqual((await app.root('GET', url)).json().allowed_ips, [['10.0.0.0/8'], ['192.168.0.0/16']][winner]);
        const updates = (await app.root('GET', `/v1/tenants/${tenant.id}/audit-log?action=key.updated`)).json().data.filter((e: { target: { id: string } }) => e.target.id === key.id);
        assert.equal(updates.length, 1, 'only the change made is audited');
      }
    });

    it('two owners demoted at once leave one owner; the same address added twice at once is one member', async (t) => {
      const app = await startOn(t, database);
      const tenant = await createTenant(app);
      const members = `/v1/tenants/${tenant.id}/members`;
      const owners = [];
      for (const email of ['olivia@example.com', 'oscar@example.com']) owners.push((await app.root('POST', members, { email, role: 'owner' })).json().user_id);
      const demoted = await Promise.all(owners.map((id) => app.root('PATCH', `${members}/${id}`, { role: 'viewer' })));
      assert.deepEqual(statuses(demoted), [200, 409]);
      const roles = (await app.root('GET', members)).json().data.map((m: { role: string }) => m.role);
      assert.deepEqual(roles.sort(), ['owner', 'viewer']);

      const added = await Promise.all([0, 1].map(() => app.root('POST', members, { email: 'ada@example.com', role: 'developer' })));
      assert.deepEqual(statuses(added), [201, 409]);
      assert.equal(added.find((r) => r.statusCode === 409)!.json().code, 'conflict');
      // A new address added to two tenants at once is one user in both.
      const other = await createTenant(app, { name: 'Other' });
      const both = await Promise.all([tenant.id, other.id].map((id) => app.root('POST', `/v1/tenants/${id}/members`, { email: 'bea@example.com', role: 'viewer' })));
      assert.deepEqual(statuses(both), [201, 201]);
      assert.equal(both[0]!.json().user_id, both[1]!.json().user_id);
    });
  });
}
