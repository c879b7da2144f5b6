import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LatchkeyError } from '../../src/core/errors.js';
import { TenantStore } from '../../src/store/tenant-store.js';
import { openFor, testDatabases } from '../support/databases.js';
import { EARLIER, LATER, NOW, tenantRecord } from './records.js';

for (const database of testDatabases()) {
  describe(`TenantStore on ${database.name}`, { skip: database.skip }, () => {
    it('reads back every field, with and without a key prefix', async (t) => {
      const { db } = await openFor(t, database);
      const store = new TenantStore(db);
      const plain = tenantRecord({ name: 'Acme “Ltd” 株式会社' });
      const prefixed = tenantRecord({ plan: 'enterprise', status: 'pending', keyPrefix: 'acme2', createdAt: NOW, updatedAt: LATER });
      await store.insert(plain);
      await store.insert(prefixed);
      assert.deepEqual(await store.find(plain.id), plain);
      assert.deepEqual(await store.find(prefixed.id), prefixed);
      assert.equal(await store.find('ten_missing'), undefined);
    });

    it('finds several by id, ignoring unknown ones', async (t) => {
      const { db } = await openFor(t, database);
      const store = new TenantStore(db);
      const a = tenantRecord();
      const b = tenantRecord();
      await store.insert(a);
      await store.insert(b);
      await store.insert(tenantRecord());
      const found = await store.findMany([a.id, b.id, 'ten_missing']);
      assert.deepEqual(found.sort((x, y) => x.id.localeCompare(y.id)), [a, b].sort((x, y) => x.id.localeCompare(y.id)));
      assert.deepEqual(await store.findMany([]), []);
    });

    it('updates only the fields given, always the update time, and can clear the key prefix', async (t) => {
      const { db } = await openFor(t, database);
      const store = new TenantStore(db);
      const tenant = tenantRecord({ keyPrefix: 'acme' });
      const neighbour = tenantRecord();
      await store.insert(tenant);
      await store.insert(neighbour);

      await store.update(tenant.id, { plan: 'pro' }, NOW);
      assert.deepEqual(await store.find(tenant.id), { ...tenant, plan: 'pro', updatedAt: NOW });
      await store.update(tenant.id, { name: 'Renamed', status: 'suspended', keyPrefix: null }, LATER);
      assert.deepEqual(await store.find(tenant.id), { ...tenant, plan: 'pro', name: 'Renamed', status: 'suspended', keyPrefix: null, updatedAt: LATER });
      assert.deepEqual(await store.find(neighbour.id), neighbour, 'other tenants are untouched');
    });

    it('refuses a second tenant with the same id', async (t) => {
      const { db } = await openFor(t, database);
      const store = new TenantStore(db);
      const tenant = tenantRecord();
      await store.insert(tenant);
      await assert.rejects(store.insert({ ...tenant, name: 'Impostor' }));
      assert.equal((await store.find(tenant.id))?.name, tenant.name);
    });

    it('pages newest first through equal creation times, each tenant once', async (t) => {
      const { db } = await openFor(t, database);
      const store = new TenantStore(db);
      const ids = ['ten_a1', 'ten_a2', 'ten_a3', 'ten_a4', 'ten_a5'];
      await store.insert(tenantRecord({ id: 'ten_a0', createdAt: EARLIER }));
      for (const id of ids) await store.insert(tenantRecord({ id, createdAt: NOW }));

      const seen: string[][] = [];
      let cursor: string | undefined;
      do {
        const page = await store.list({ limit: 2, cursor });
        seen.push(page.data.map((x) => x.id));
        cursor = page.nextCursor ?? undefined;
      } while (cursor);
      assert.deepEqual(seen, [['ten_a5', 'ten_a4'], ['ten_a3', 'ten_a2'], ['ten_a1', 'ten_a0']]);
    });

    it('restricts a list to the given ids, and to nothing for an empty list', async (t) => {
      const { db } = await openFor(t, database);
      const store = new TenantStore(db);
      const mine = [tenantRecord({ id: 'ten_m1' }), tenantRecord({ id: 'ten_m2' })];
      for (const tenant of [...mine, tenantRecord({ id: 'ten_x1' })]) await store.insert(tenant);
      const page = await store.list({ limit: 10 }, { ids: ['ten_m1', 'ten_m2'] });
      assert.deepEqual(page.data.map((x) => x.id), ['ten_m2', 'ten_m1']);
      assert.deepEqual((await store.list({ limit: 10 }, { ids: [] })).data, []);
      assert.equal((await store.list({ limit: 10 })).data.length, 3);
    });

    it('searches names for a text (A–Z in any case, wildcards as characters) or finds a tenant by id, within the ids given', async (t) => {
      const { db } = await openFor(t, database);
      const store = new TenantStore(db);
      const acme = tenantRecord({ id: 'ten_s1', name: 'Acme Corp', createdAt: EARLIER });
      const acmeLabs = tenantRecord({ id: 'ten_s2', name: 'ACME labs', createdAt: NOW });
      const percent = tenantRecord({ id: 'ten_s3', name: '100% Uptime_Co', createdAt: NOW });
      const initech = tenantRecord({ id: 'ten_s4', name: 'Initech', createdAt: LATER });
      for (const tenant of [acme, acmeLabs, percent, initech]) await store.insert(tenant);
      const ids = async (search: string, filter: { ids?: string[] } = {}) => (await store.list({ limit: 10 }, { ...filter, search })).data.map((x) => x.id);
      assert.deepEqual(await ids('acme'), ['ten_s2', 'ten_s1'], 'newest first, A–Z in any case');
      assert.deepEqual(await ids('  Acme  '), ['ten_s2', 'ten_s1'], 'blanks around it ignored');
      assert.deepEqual(await ids('%'), ['ten_s3'], 'a LIKE wildcard is a character like any other');
      assert.deepEqual(await ids('_'), ['ten_s3']);
      assert.deepEqual(await ids('ten_s4'), ['ten_s4'], 'an id finds that tenant');
      assert.deepEqual(await ids('ten_s'), [], 'part of an id finds nothing: ids are found whole');
      assert.deepEqual(await ids('acme', { ids: ['ten_s1', 'ten_s4'] }), ['ten_s1'], 'only among the ids given');
      assert.deepEqual(await ids('ten_s2', { ids: ['ten_s1'] }), [], 'nor by id outside them');
      assert.equal((await ids('')).length, 4, 'empty: every tenant');
      const first = await store.list({ limit: 1 }, { search: 'acme' });
      assert.deepEqual(first.data.map((x) => x.id), ['ten_s2']);
      assert.deepEqual((await store.list({ limit: 1, cursor: first.nextCursor ?? undefined }, { search: 'acme' })).data.map((x) => x.id), ['ten_s1'], 'through pages');
    });

    it('answers a foreign cursor with invalid_request', async (t) => {
      const { db } = await openFor(t, database);
      await assert.rejects(new TenantStore(db).list({ limit: 2, cursor: '%%%' }), (e: unknown) => e instanceof LatchkeyError && e.code === 'invalid_request');
    });
  });
}
