import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LatchkeyError } from '../../src/core/errors.js';
import { type AuditAction, type AuditEntry, AuditStore } from '../../src/store/audit-store.js';
import { openFor, testDatabases } from '../support/databases.js';
import { at, NOW } from './records.js';

function entry(tenantId: string | null, id: string, when: string, action: AuditAction = 'key.created'): AuditEntry {
  return {
    id,
    tenantId,
    at: when,
    actor: { type: 'operator', id: 'rtk_1' },
    action,
    target: { type: 'key', id: 'key_1' },
    ip: '192.0.2.1',
    details: {},
  };
}

for (const database of testDatabases()) {
  describe(`AuditStore on ${database.name}`, { skip: database.skip }, () => {
    it('reads back every field: actor, target, JSON details, nulls', async (t) => {
      const { db } = await openFor(t, database);
      const store = new AuditStore(db);
      const full: AuditEntry = {
        id: 'aud_full',
        tenantId: 'ten_1',
        at: NOW,
        actor: { type: 'user', id: 'usr_1' },
        action: 'key.updated',
        target: { type: 'key', id: 'key_9' },
        ip: '2001:db8::9',
        details: { changed: ['name', 'scopes'], from: { name: 'Old' }, to: { name: 'Néw' }, count: 2, flag: false, none: null },
      };
      const sparse: AuditEntry = { ...entry('ten_1', 'aud_sparse', at(-1), 'key.expired'), actor: { type: 'system', id: null }, ip: null };
      await store.insert(full);
      await store.insert(sparse);
      const page = await store.list('ten_1', { limit: 10 });
      assert.deepEqual(page.data, [full, sparse]);
      assert.equal(page.nextCursor, null);
    });

    it('lists a tenant’s entries newest first, ties by id, and only that tenant’s', async (t) => {
      const { db } = await openFor(t, database);
      const store = new AuditStore(db);
      for (const e of [
        entry('ten_1', 'aud_01', at(-60)),
        entry('ten_1', 'aud_02', NOW),
        entry('ten_1', 'aud_03', NOW),
        entry('ten_1', 'aud_04', NOW),
        entry('ten_1', 'aud_05', at(60)),
        entry('ten_2', 'aud_06', NOW),
        entry(null, 'aud_07', NOW, 'auth.signed_in'),
      ]) {
        await store.insert(e);
      }
      const pages: string[][] = [];
      let cursor: string | undefined;
      do {
        const page = await store.list('ten_1', { limit: 2, cursor });
        pages.push(page.data.map((e) => e.id));
        cursor = page.nextCursor ?? undefined;
      } while (cursor);
      assert.deepEqual(pages, [['aud_05', 'aud_04'], ['aud_03', 'aud_02'], ['aud_01']]);
    });

    it('filters by action, also across pages', async (t) => {
      const { db } = await openFor(t, database);
      const store = new AuditStore(db);
      const actions: AuditAction[] = ['key.created', 'key.revoked', 'key.created', 'member.added', 'key.created', 'key.revoked'];
      for (const [i, action] of actions.entries()) await store.insert(entry('ten_1', `aud_0${i}`, at(i), action));

      const first = await store.list('ten_1', { limit: 2 }, { action: 'key.created' });
      assert.deepEqual(first.data.map((e) => e.id), ['aud_04', 'aud_02']);
      const second = await store.list('ten_1', { limit: 2, cursor: first.nextCursor ?? undefined }, { action: 'key.created' });
      assert.deepEqual(second.data.map((e) => e.id), ['aud_00']);
      assert.equal(second.nextCursor, null);
      assert.deepEqual((await store.list('ten_1', { limit: 10 }, { action: 'key.revoked' })).data.map((e) => e.action), ['key.revoked', 'key.revoked']);
      assert.deepEqual((await store.list('ten_1', { limit: 10 }, { action: 'tenant.updated' })).data, []);
    });

    it('answers a foreign cursor with invalid_request', async (t) => {
      const { db } = await openFor(t, database);
      const cursor = Buffer.from('["only-one"]').toString('base64url');
      await assert.rejects(new AuditStore(db).list('ten_1', { limit: 2, cursor }), (e: unknown) => e instanceof LatchkeyError && e.code === 'invalid_request');
    });
  });
}
