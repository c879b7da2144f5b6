import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ChangeFeedStore } from '../../src/store/change-feed-store.js';
import { ChangePropagation } from '../../src/verify/change-propagation.js';
import { KeyCache, toCachedKey } from '../../src/verify/key-cache.js';
import { keyRecord, tenantRecord } from '../store/records.js';
import { openFor, testDatabases } from '../support/databases.js';

/** The real store, remembering from when each poll read the feed and how many rows it got. */
class WatchedFeed extends ChangeFeedStore {
  reads: { from: string; rows: number }[] = [];
  override async since(at: string) {
    const rows = await super.since(at);
    this.reads.push({ from: at, rows: rows.length });
    return rows;
  }
}

class Lines {
  lines: string[] = [];
  warn(_obj: object, msg: string): void {
    this.lines.push(`warn ${msg}`);
  }
  info(_obj: object, msg: string): void {
    this.lines.push(`info ${msg}`);
  }
}


for (const database of testDatabases()) {
  describe(`change propagation on ${database.name}`, { skip: database.skip }, () => {
    it("moves its cursor past this node's own changes: a poll reads only the last seconds of the feed", async (t) => {
      const { db, dialect } = await openFor(t, database);
      const feed = new WatchedFeed(db, dialect);
      // Fifty changes of a minute ago, then one of this node's own.
      const minuteAgo = new Date(Date.parse(await feed.now()) - 60_000).toISOString();
      for (let i = 0; i < 50; i++) await feed.insert({ id: `chg_old_${i}`, at: minuteAgo, kind: 'key', targetId: `key_${i}` });
      const changes = new ChangePropagation(new KeyCache(), feed, undefined, new Lines());
      await changes.writeFeedRow(db, { kind: 'key', id: 'key_late' });
      await changes.poll();
      await changes.poll();
      const last = feed.reads.at(-1)!;
      const newest = (await feed.since(minuteAgo)).at(-1)!;
      assert.equal(newest.targetId, 'key_late');
      // From the newest row (or the database's time at the first read, if later), less the 5 s overlap.
      assert.ok(Date.parse(last.from) >= Date.parse(newest.at) - 5000, `${last.from} against ${newest.at}`);
      assert.equal(last.rows, 1, 'not the 50 older changes again');
    });

    it("reads another node's change whatever that node's clock says: rows carry the database's time", async (t) => {
      const { db, dialect } = await openFor(t, database);
      const keyCache = new KeyCache();
      const tenant = tenantRecord();
      const { key } = keyRecord(tenant.id, { id: 'key_far' });
      keyCache.set(key.digest, toCachedKey(key, tenant), keyCache.epoch);
      // This node has read up to its own newest change; the other node's clock runs 7 s behind.
      const here = new ChangePropagation(keyCache, new ChangeFeedStore(db, dialect), undefined, new Lines());
      await here.writeFeedRow(db, { kind: 'key', id: 'key_here' });
      await here.poll();
      const behind = new ChangePropagation(new KeyCache(), new ChangeFeedStore(db, dialect), undefined, new Lines(), () => Date.now() - 7000);
      await behind.writeFeedRow(db, { kind: 'key', id: 'key_far' });
      await here.poll();
      assert.equal(keyCache.get(key.digest), undefined, 'the change reached this node');
    });

    it('logs a failing feed once per outage, and its recovery once', async (t) => {
      const { db, dialect } = await openFor(t, database);
      const lines = new Lines();
      const changes = new ChangePropagation(new KeyCache(), new ChangeFeedStore(db, dialect), undefined, lines);
      await db.schema.alterTable('change_feed').renameTo('change_feed_away').execute();
      for (let i = 0; i < 5; i++) await changes.pollLoggingOutages();
      await db.schema.alterTable('change_feed_away').renameTo('change_feed').execute();
      await changes.pollLoggingOutages();
      await changes.pollLoggingOutages();
      assert.deepEqual(lines.lines, ['warn reading the change feed failed; retrying every poll until it works', 'info reading the change feed works again']);
    });
  });
}
