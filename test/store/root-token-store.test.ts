import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { sha256Hex } from '../../src/core/digest.js';
import { RootTokenStore } from '../../src/store/root-token-store.js';
import { openFor, testDatabases } from '../support/databases.js';
import { EARLIER, NOW } from './records.js';

for (const database of testDatabases()) {
  describe(`RootTokenStore on ${database.name}`, { skip: database.skip }, () => {
    it('finds a token by its digest and keeps only the digest', async (t) => {
      const { db } = await openFor(t, database);
      const store = new RootTokenStore(db);
      const secret = randomBytes(32).toString('base64url');
      const token = { id: 'rtk_1', name: 'deploy bot', createdAt: EARLIER, access: 'full' as const };
      await store.insert(token, sha256Hex(secret));

      assert.deepEqual(await store.findByDigest(sha256Hex(secret)), token);
      assert.equal(await store.findByDigest(sha256Hex(`${secret}.`)), undefined);
      const row = await db.selectFrom('root_tokens').selectAll().where('id', '=', 'rtk_1').executeTakeFirstOrThrow();
      assert.deepEqual(row, { id: 'rtk_1', name: 'deploy bot', digest: sha256Hex(secret), created_at: EARLIER, access: 'full', last_used_at: null, revoked_at: null });
    });

    it('no longer finds a revoked token', async (t) => {
      const { db } = await openFor(t, database);
      const store = new RootTokenStore(db);
      const digest = sha256Hex('token-to-revoke');
      await store.insert({ id: 'rtk_2', name: 'old', createdAt: EARLIER, access: 'full' }, digest);
      await db.updateTable('root_tokens').set({ revoked_at: NOW }).where('id', '=', 'rtk_2').execute();
      assert.equal(await store.findByDigest(digest), undefined);
    });

    it('keeps a token\'s access level, and lists tokens with last use and revocation, never the digest', async (t) => {
      const { db } = await openFor(t, database);
      const store = new RootTokenStore(db);
      await store.insert({ id: 'rtk_v', name: 'orders-service', createdAt: EARLIER, access: 'verify' }, sha256Hex('verify-token'));
      await store.insert({ id: 'rtk_f', name: 'ops', createdAt: NOW, access: 'full' }, sha256Hex('full-token'));
      assert.equal((await store.findByDigest(sha256Hex('verify-token')))?.access, 'verify');
      await store.stampUse('rtk_f', NOW);
      assert.equal(await store.revoke('rtk_v', NOW), true);
      assert.equal(await store.revoke('rtk_v', NOW), false, 'once');
      assert.deepEqual(await store.list(), [
        { id: 'rtk_v', name: 'orders-service', createdAt: EARLIER, access: 'verify', lastUsedAt: null, revokedAt: NOW },
        { id: 'rtk_f', name: 'ops', createdAt: NOW, access: 'full', lastUsedAt: NOW, revokedAt: null },
      ]);
    });

    it('refuses two tokens with one digest', async (t) => {
      const { db } = await openFor(t, database);
      const store = new RootTokenStore(db);
      await store.insert({ id: 'rtk_a', name: 'a', createdAt: EARLIER, access: 'full' }, sha256Hex('same'));
      await assert.rejects(store.insert({ id: 'rtk_b', name: 'b', createdAt: EARLIER, access: 'full' }, sha256Hex('same')));
      assert.equal((await store.findByDigest(sha256Hex('same')))?.id, 'rtk_a');
    });
  });
}
