import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type Change, ChangeFeedStore } from '../../src/store/change-feed-store.js';
import { openFor, testDatabases } from '../support/databases.js';
import { at, NOW } from './records.js';

function change(id: string, when: string, kind: Change['kind'] = 'key'): Change {
  return { id, at: when, kind, targetId: `${kind}_${id}` };
}

for (const database of testDatabases()) {
  describe(`ChangeFeedStore on ${database.name}`, { skip: database.skip }, () => {
    it('returns the changes at or after a time, oldest first, ties by id', async (t) => {
      const { db, dialect } = await openFor(t, database);
      const store = new ChangeFeedStore(db, dialect);
      for (const c of [change('chg_4', at(5)), change('chg_2', NOW, 'tenant'), change('chg_1', at(-5)), change('chg_3', NOW)]) await store.insert(c);

      assert.deepEqual(await store.since(NOW), [change('chg_2', NOW, 'tenant'), change('chg_3', NOW), change('chg_4', at(5))]);
      assert.deepEqual((await store.since(at(-60))).map((c) => c.id), ['chg_1', 'chg_2', 'chg_3', 'chg_4']);
      assert.deepEqual(await store.since(at(6)), []);
    });

    it("stamps an appended change with the database's clock, in the stored form", async (t) => {
      const { db, dialect } = await openFor(t, database);
      const store = new ChangeFeedStore(db, dialect);
      const before = await store.now();
      assert.match(before, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
      assert.ok(Math.abs(Date.parse(before) - Date.now()) < 60_000, `${before}: this machine's database and clock agree`);
      const at = await store.append({ id: 'chg_1', kind: 'key', targetId: 'key_1' });
      assert.ok(at >= before, `${at} >= ${before}`);
      assert.deepEqual(await store.since(before), [{ id: 'chg_1', at, kind: 'key', targetId: 'key_1' }]);
    });

    it('prunes what is older than a time and keeps the rest', async (t) => {
      const { db, dialect } = await openFor(t, database);
      const store = new ChangeFeedStore(db, dialect);
      for (const c of [change('chg_1', at(-10)), change('chg_2', at(-1)), change('chg_3', NOW), change('chg_4', at(1))]) await store.insert(c);
      await store.pruneBefore(NOW);
      assert.deepEqual((await store.since(at(-60))).map((c) => c.id), ['chg_3', 'chg_4'], 'a change exactly at the cut stays');
      await store.pruneBefore(at(60));
      assert.deepEqual(await store.since(at(-60)), []);
    });
  });
}
