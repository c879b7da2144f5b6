import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LatchkeyError } from '../../src/core/errors.js';
import { RequestLogStore } from '../../src/store/request-log-store.js';
import { UsageStore } from '../../src/store/usage-store.js';
import { BatchedUsageWriter } from '../../src/usage/batched-usage-writer.js';
import { KyselyUsageBatchStore } from '../../src/usage/usage-batch-store.js';
import { openFor, testDatabases } from '../support/databases.js';
import { CapturingLogger, requestRecord, T0 } from './records.js';

const MIN = 60_000;
const HOUR = 60 * MIN;
const iso = (ms: number) => new Date(ms).toISOString();

for (const database of testDatabases()) {
  describe(`Usage stores on ${database.name}`, { skip: database.skip }, () => {
    it('sums counters per minute, hour or UTC day and code, within [from, to)', async (t) => {
      const { db } = await openFor(t, database);
      const writer = new BatchedUsageWriter(new KyselyUsageBatchStore(db), new CapturingLogger());
      const uses: [number, string][] = [
        [T0, 'valid'], [T0 + 30_000, 'valid'], [T0 + MIN, 'valid'], [T0 + MIN, 'rate_limited'],
        [T0 + HOUR + 5 * MIN, 'valid'], [T0 + 11 * HOUR, 'invalid_api_key'], [T0 + 12 * HOUR, 'valid'], [T0 - MIN, 'valid'],
      ];
      for (const [at, code] of uses) writer.record(requestRecord('ten_a', 'key_a', { at, code }));
      writer.record(requestRecord('ten_a', 'key_other', { at: T0 }));
      await writer.flush();
      const usage = new UsageStore(db);
      const sorted = (rows: { start: string; outcome: string; count: number }[]) =>
        rows.map((r) => `${r.start} ${r.outcome} ${r.count}`).sort();

      assert.deepEqual(sorted(await usage.countsByInterval('key_a', iso(T0), iso(T0 + 2 * MIN), 'minute')), [
        `${iso(T0)} valid 2`, `${iso(T0 + MIN)} rate_limited 1`, `${iso(T0 + MIN)} valid 1`,
      ]);
      assert.deepEqual(sorted(await usage.countsByInterval('key_a', iso(T0), iso(T0 + 2 * HOUR), 'hour')), [
        `${iso(T0)} rate_limited 1`, `${iso(T0)} valid 3`, `${iso(T0 + HOUR)} valid 1`,
      ]);
      const day = Date.parse('2026-03-01T00:00:00.000Z');
      assert.deepEqual(sorted(await usage.countsByInterval('key_a', iso(day), iso(day + 24 * HOUR), 'day')), [
        `${iso(day)} invalid_api_key 1`, `${iso(day)} rate_limited 1`, `${iso(day)} valid 5`,
      ]);
      assert.deepEqual(await usage.countsByInterval('key_a', iso(T0), iso(T0), 'minute'), [], '`to` is exclusive');
    });

    it('lists request logs newest first with filters and a cursor that pages without gaps or repeats', async (t) => {
      const { db } = await openFor(t, database);
      const writer = new BatchedUsageWriter(new KyselyUsageBatchStore(db), new CapturingLogger());
      const records = Array.from({ length: 7 }, (_, i) =>
        requestRecord('ten_a', i % 2 === 0 ? 'key_even' : 'key_odd', { at: T0 + Math.floor(i / 2) * 1000, status: i === 3 ? 429 : 200, code: i === 3 ? 'rate_limited' : 'valid' }),
      );
      for (const record of records) writer.record(record);
      writer.record(requestRecord('ten_other', 'key_x', { at: T0 }));
      await writer.flush();
      const store = new RequestLogStore(db);

      const seen: string[] = [];
      let cursor: string | undefined;
      do {
        const page = await store.list('ten_a', { limit: 3, cursor });
        seen.push(...page.data.map((r) => r.id));
        cursor = page.nextCursor ?? undefined;
      } while (cursor);
      const newestFirst = [...records].sort((a, b) => b.at - a.at || (a.id < b.id ? 1 : -1)).map((r) => r.id);
      assert.deepEqual(seen, newestFirst);

      const odd = await store.list('ten_a', { limit: 50 }, { keyId: 'key_odd' });
      assert.deepEqual(odd.data.map((r) => r.key_id), ['key_odd', 'key_odd', 'key_odd']);
      const limited = await store.list('ten_a', { limit: 50 }, { status: 429 });
      assert.deepEqual(limited.data.map((r) => r.id), [records[3]?.id]);
      const window = await store.list('ten_a', { limit: 50 }, { from: iso(T0 + 1000), to: iso(T0 + 2000) });
      assert.deepEqual(window.data.map((r) => r.at), [iso(T0 + 2000), iso(T0 + 2000), iso(T0 + 1000), iso(T0 + 1000)], 'both ends inclusive');
      await assert.rejects(store.list('ten_a', { limit: 5, cursor: 'not-a-cursor' }), (e: unknown) => e instanceof LatchkeyError && e.code === 'invalid_request');
    });
  });
}
