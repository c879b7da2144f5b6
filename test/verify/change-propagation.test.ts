import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ChangeFeedStore } from '../../src/store/change-feed-store.js';
import { ChangePropagation } from '../../src/verify/change-propagation.js';
import { KeyCache } from '../../src/verify/key-cache.js';
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

const T0 = Date.parse('2026-05-04T08:00:00Z');

for (const database of testDatabases()) {
  describe(`change propagation on ${database.name}`, { skip: database.skip }, () => {
    it("moves its cursor past this node's own changes: a poll reads only the last seconds of the feed", async (t) => {
      const { db } = await openFor(t, database);
      const feed = new WatchedFeed(db);
      let now = T0;
      const changes = new ChangePropagation(new KeyCache(), feed, undefined, new Lines(), () => now);
      for (let i = 0; i < 50; i++) await changes.writeFeedRow(db, { kind: 'key', id: `key_${i}` });
      await changes.poll();
      now = T0 + 60_000;
      await changes.writeFeedRow(db, { kind: 'key', id: 'key_late' });
      await changes.poll();
      await changes.poll();
      const last = feed.reads.at(-1)!;
      assert.equal(last.from, new Date(T0 + 55_000).toISOString(), 'from the newest row, less the overlap');
      assert.equal(last.rows, 1, 'not the 50 older changes again');
    });

    it('logs a failing feed once per outage, and its recovery once', async (t) => {
      const { db } = await openFor(t, database);
      const lines = new Lines();
      const changes = new ChangePropagation(new KeyCache(), new ChangeFeedStore(db), undefined, lines);
      await db.schema.alterTable('change_feed').renameTo('change_feed_away').execute();
      for (let i = 0; i < 5; i++) await changes.pollLoggingOutages();
      await db.schema.alterTable('change_feed_away').renameTo('change_feed').execute();
      await changes.pollLoggingOutages();
      await changes.pollLoggingOutages();
      assert.deepEqual(lines.lines, ['warn reading the change feed failed; retrying every poll until it works', 'info reading the change feed works again']);
    });
  });
}
