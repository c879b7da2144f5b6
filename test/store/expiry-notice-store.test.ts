import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ExpiryNoticeStore } from '../../src/store/expiry-notice-store.js';
import { KeyStore } from '../../src/store/key-store.js';
import { openFor, testDatabases } from '../support/databases.js';
import { at, insertTenant, keyRecord, NOW } from './records.js';

const DAY = 86_400;

for (const database of testDatabases()) {
  describe(`ExpiryNoticeStore on ${database.name}`, { skip: database.skip }, () => {
    it("finds the active keys of active tenants that expire within the period, soonest first, until each expiry's notice is claimed", async (t) => {
      const { db } = await openFor(t, database);
      const keys = new KeyStore(db);
      const store = new ExpiryNoticeStore(db);
      const tenant = await insertTenant(db, { name: 'Acme' });
      const suspended = await insertTenant(db, { name: 'Gone', status: 'suspended' });
      const key = async (tenantId: string, overrides: Parameters<typeof keyRecord>[1]) => {
        const record = keyRecord(tenantId, overrides).key;
        await keys.insert(record);
        return record;
      };
      const soon = await key(tenant.id, { name: 'soon', expiresAt: at(2 * DAY) });
      const sooner = await key(tenant.id, { name: 'sooner', expiresAt: at(DAY) });
      await key(tenant.id, { name: 'later', expiresAt: at(30 * DAY) });
      await key(tenant.id, { name: 'past', expiresAt: at(-60) });
      await key(tenant.id, { name: 'never', expiresAt: null });
      await key(tenant.id, { name: 'revoked', expiresAt: at(DAY), status: 'revoked' });
      await key(tenant.id, { name: 'inactive', expiresAt: at(DAY), status: 'inactive' });
      await key(tenant.id, { name: 'rotated away', expiresAt: at(DAY), rotatedTo: 'key_successor' });
      await key(suspended.id, { name: 'suspended tenant', expiresAt: at(DAY) });

      const until = at(7 * DAY);
      const due = await store.unnoticed(NOW, until, 10);
      assert.deepEqual(due.map((item) => [item.key.id, item.tenantName]), [[sooner.id, 'Acme'], [soon.id, 'Acme']]);
      assert.deepEqual(due[0]!.key, sooner, 'the whole key');
      assert.equal((await store.unnoticed(NOW, until, 1)).length, 1, 'at most the limit');

      assert.equal(await store.claim(sooner.id, sooner.expiresAt!, NOW), true);
      assert.equal(await store.claim(sooner.id, sooner.expiresAt!, NOW), false, 'one claim per key and expiry');
      assert.deepEqual((await store.unnoticed(NOW, until, 10)).map((item) => item.key.id), [soon.id]);

      // Its expiry moved: the new one is noticed apart.
      await keys.update(sooner.id, { expiresAt: at(3 * DAY) });
      assert.deepEqual((await store.unnoticed(NOW, until, 10)).map((item) => item.key.id), [soon.id, sooner.id]);
      assert.equal(await store.claim(sooner.id, at(3 * DAY), NOW), true);

      await store.release(sooner.id, at(3 * DAY));
      assert.deepEqual((await store.unnoticed(NOW, until, 10)).map((item) => item.key.id), [soon.id, sooner.id], 'a claim given back is due again');
    });
  });
}
