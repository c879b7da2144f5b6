import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { newId } from '../../src/core/ids.js';
import { MemberStore, type User } from '../../src/store/member-store.js';
import { openFor, testDatabases } from '../support/databases.js';
import { EARLIER, insertTenant, LATER, NOW } from './records.js';

function userRecord(email: string, phone: string | null = null): User {
  return { id: newId('usr'), email, phone, createdAt: EARLIER };
}

for (const database of testDatabases()) {
  describe(`MemberStore on ${database.name}`, { skip: database.skip }, () => {
    it('reads users back by id and by e-mail, with and without a phone', async (t) => {
      const { db } = await openFor(t, database);
      const store = new MemberStore(db);
      const ada = userRecord('ada@example.com', '+447700900123');
      const bob = userRecord('bob@example.com');
      await store.insertUser(ada);
      await store.insertUser(bob);
      assert.deepEqual(await store.findUser(ada.id), ada);
      assert.deepEqual(await store.findUserByEmail('bob@example.com'), bob);
      assert.equal(await store.findUserByEmail('nobody@example.com'), undefined);
      assert.equal(await store.findUser('usr_missing'), undefined);

      await store.updateUserPhone(bob.id, '+15550001111');
      assert.equal((await store.findUser(bob.id))?.phone, '+15550001111');
      await store.updateUserPhone(ada.id, null);
      assert.equal((await store.findUser(ada.id))?.phone, null);
    });

    it('refuses a second user with the same e-mail', async (t) => {
      const { db } = await openFor(t, database);
      const store = new MemberStore(db);
      await store.insertUser(userRecord('ada@example.com'));
      await assert.rejects(store.insertUser(userRecord('ada@example.com')));
    });

    it('keeps one membership per user and tenant, each with its role', async (t) => {
      const { db } = await openFor(t, database);
      const store = new MemberStore(db);
      const acme = await insertTenant(db);
      const globex = await insertTenant(db);
      const ada = userRecord('ada@example.com', '+447700900123');
      await store.insertUser(ada);
      await store.insertMembership(acme.id, ada.id, 'owner', EARLIER);
      await store.insertMembership(globex.id, ada.id, 'viewer', NOW);

      assert.deepEqual(await store.findMember(acme.id, ada.id), { tenantId: acme.id, user: ada, role: 'owner', createdAt: EARLIER, updatedAt: EARLIER, joinedAt: null, inOtherTenants: true });
      const solo = userRecord('solo@example.com');
      await store.insertUser(solo);
      await store.insertMembership(acme.id, solo.id, 'viewer', NOW);
      assert.equal((await store.findMember(acme.id, solo.id))?.inOtherTenants, false);
      assert.deepEqual(await store.membershipsOf(ada.id), [{ tenantId: acme.id, role: 'owner', joinedAt: null }, { tenantId: globex.id, role: 'viewer', joinedAt: null }]);
      await assert.rejects(store.insertMembership(acme.id, ada.id, 'admin', NOW), 'a second membership in one tenant');
      await assert.rejects(store.insertMembership('ten_missing', ada.id, 'admin', NOW), 'a membership of a tenant that does not exist');
      await assert.rejects(store.insertMembership(acme.id, 'usr_missing', 'admin', NOW), 'a membership of a user that does not exist');
      assert.equal(await store.findMember(acme.id, 'usr_missing'), undefined);
    });

    it('stamps a member’s first use of a tenant once: the first call says it did, later ones change nothing', async (t) => {
      const { db } = await openFor(t, database);
      const store = new MemberStore(db);
      const acme = await insertTenant(db);
      const globex = await insertTenant(db);
      const ada = userRecord('ada@example.com');
      await store.insertUser(ada);
      await store.insertMembership(acme.id, ada.id, 'owner', EARLIER);
      await store.insertMembership(globex.id, ada.id, 'viewer', EARLIER);
      assert.equal(await store.markJoined(acme.id, ada.id, NOW), true);
      assert.equal(await store.markJoined(acme.id, ada.id, LATER), false);
      assert.equal(await store.markJoined(acme.id, 'usr_missing', NOW), false);
      assert.equal((await store.findMember(acme.id, ada.id))?.joinedAt, NOW);
      assert.deepEqual((await store.membershipsOf(ada.id)).map((m) => m.joinedAt), [NOW, null]);
    });

    it('lists a tenant’s members oldest first, then by e-mail', async (t) => {
      const { db } = await openFor(t, database);
      const store = new MemberStore(db);
      const acme = await insertTenant(db);
      const other = await insertTenant(db);
      const joined: Array<[string, string]> = [['zoe@example.com', EARLIER], ['carl@example.com', NOW], ['bea@example.com', NOW], ['al@example.com', LATER]];
      for (const [email, at] of joined) {
        const user = userRecord(email);
        await store.insertUser(user);
        await store.insertMembership(acme.id, user.id, 'developer', at);
      }
      const outsider = userRecord('out@example.com');
      await store.insertUser(outsider);
      await store.insertMembership(other.id, outsider.id, 'owner', EARLIER);

      const members = await store.listMembers(acme.id);
      assert.deepEqual(members.map((m) => m.user.email), ['zoe@example.com', 'bea@example.com', 'carl@example.com', 'al@example.com']);
      assert.ok(members.every((m) => m.tenantId === acme.id && m.role === 'developer'));
      assert.deepEqual(await store.listMembers('ten_missing'), []);
    });

    it('changes a role, removes a member, and counts owners per tenant', async (t) => {
      const { db } = await openFor(t, database);
      const store = new MemberStore(db);
      const acme = await insertTenant(db);
      const other = await insertTenant(db);
      const users = [userRecord('a@example.com'), userRecord('b@example.com'), userRecord('c@example.com')];
      for (const user of users) await store.insertUser(user);
      await store.insertMembership(acme.id, users[0]!.id, 'owner', EARLIER);
      await store.insertMembership(acme.id, users[1]!.id, 'admin', EARLIER);
      await store.insertMembership(other.id, users[2]!.id, 'owner', EARLIER);
      assert.equal(await store.countOwners(acme.id), 1);

      await store.updateRole(acme.id, users[1]!.id, 'owner', NOW);
      assert.equal(await store.countOwners(acme.id), 2);
      const promoted = await store.findMember(acme.id, users[1]!.id);
      assert.deepEqual([promoted?.role, promoted?.createdAt, promoted?.updatedAt], ['owner', EARLIER, NOW]);

      await store.deleteMembership(acme.id, users[0]!.id);
      assert.equal(await store.findMember(acme.id, users[0]!.id), undefined);
      assert.equal(await store.countOwners(acme.id), 1);
      assert.deepEqual(await store.findUser(users[0]!.id), users[0], 'the user stays after leaving a tenant');
      assert.equal(await store.countOwners(other.id), 1);
      assert.equal(await store.countOwners('ten_missing'), 0);
    });
  });
}
