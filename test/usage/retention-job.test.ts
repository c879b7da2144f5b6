import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import type { Database as Schema } from '../../src/store/schema.js';
import { RequestLogStore } from '../../src/store/request-log-store.js';
import { BatchedUsageWriter } from '../../src/usage/batched-usage-writer.js';
import { KyselyUsageBatchStore } from '../../src/usage/usage-batch-store.js';
import { pruneRequestLogs, RetentionJob } from '../../src/usage/retention-job.js';
import { openFor, testDatabases } from '../support/databases.js';
import { CapturingLogger, eventually, requestLogRows, requestRecord, T0, usageCounters } from './records.js';

const DAY = 86_400_000;
const iso = (ms: number) => new Date(ms).toISOString();

for (const database of testDatabases()) {
  describe(`Request-log retention on ${database.name}`, { skip: database.skip }, () => {
    it('deletes request logs and counters older than the cut-off, in batches, and nothing newer', async (t) => {
      const { db } = await openFor(t, database);
      const writer = new BatchedUsageWriter(new KyselyUsageBatchStore(db), new CapturingLogger());
      const old = Array.from({ length: 7 }, (_, i) => requestRecord('ten_a', 'key_a', { at: T0 - 40 * DAY + i * 60_000 }));
      const edge = requestRecord('ten_a', 'key_a', { at: T0 - 30 * DAY });
      const recent = requestRecord('ten_a', 'key_a', { at: T0 - DAY });
      for (const record of [...old, edge, recent]) writer.record(record);
      await writer.flush();
      assert.equal(Object.keys(await usageCounters(db)).length, 9);

      const result = await pruneRequestLogs(db, new Date(T0 - 30 * DAY), 3);
      assert.deepEqual(result, { requestLogs: 7, usageCounters: 7, batchIds: 0 });
      assert.deepEqual((await requestLogRows(db)).map((r) => r.id), [edge.id, recent.id]);
      assert.deepEqual(Object.keys(await usageCounters(db)).sort(), [`key_a ${iso(T0 - 30 * DAY)} valid`, `key_a ${iso(T0 - DAY)} valid`].sort());
      assert.deepEqual(await pruneRequestLogs(db, new Date(T0 - 30 * DAY), 3), { requestLogs: 0, usageCounters: 0, batchIds: 0 });
    });

    it('deletes the ids of usage batches written before its second cut-off', async (t) => {
      const { db } = await openFor(t, database);
      const writer = new BatchedUsageWriter(new KyselyUsageBatchStore(db), new CapturingLogger(), { maxBatch: 2 });
      for (let i = 0; i < 5; i++) writer.record(requestRecord('ten_a', 'key_a', { at: T0 + i }));
      await writer.flush();
      const ids = async () => (await db.selectFrom('usage_batches').select('id').execute()).length;
      assert.equal(await ids(), 3, 'five rows in batches of two: three batch ids');
      assert.equal((await pruneRequestLogs(db, new Date(T0 - 30 * DAY), 2, new Date(Date.now() - 60_000))).batchIds, 0, 'written just now: kept');
      assert.equal((await pruneRequestLogs(db, new Date(T0 - 30 * DAY), 2, new Date(Date.now() + 60_000))).batchIds, 3);
      assert.equal(await ids(), 0);
    });

    it('prunes every tenant, each in batches, and keeps what is newer whichever tenant it belongs to', async (t) => {
      const { db } = await openFor(t, database);
      const writer = new BatchedUsageWriter(new KyselyUsageBatchStore(db), new CapturingLogger());
      const tenants = ['ten_b', 'ten_a', 'ten_c'];
      const kept: string[] = [];
      for (const [n, tenant] of tenants.entries()) {
        // 4, 5 and 6 old rows: with batches of 3, every tenant needs two statements and one a third.
        for (let i = 0; i < 4 + n; i++) writer.record(requestRecord(tenant, `key_${tenant}`, { at: T0 - 40 * DAY + i * 60_000 }));
        const recent = requestRecord(tenant, `key_${tenant}`, { at: T0 - DAY });
        writer.record(recent);
        kept.push(recent.id);
      }
      await writer.flush();

      const result = await pruneRequestLogs(db, new Date(T0 - 30 * DAY), 3);
      assert.equal(result.requestLogs, 4 + 5 + 6);
      assert.deepEqual((await requestLogRows(db)).map((r) => r.id).sort(), kept.sort());
    });

    it('runs with the configured number of days, measured from its clock', async (t) => {
      const { db } = await openFor(t, database);
      const writer = new BatchedUsageWriter(new KyselyUsageBatchStore(db), new CapturingLogger());
      const older = requestRecord('ten_a', 'key_a', { at: T0 - 8 * DAY });
      const newer = requestRecord('ten_a', 'key_a', { at: T0 - 6 * DAY });
      writer.record(older);
      writer.record(newer);
      await writer.flush();
      const job = new RetentionJob(db, new CapturingLogger(), { retentionDays: 7, clock: { now: () => new Date(T0) } });
      assert.deepEqual(await job.run(), { requestLogs: 1, usageCounters: 1, batchIds: 0 });
      assert.deepEqual((await requestLogRows(db)).map((r) => r.id), [newer.id]);
    });

    it('started, it runs at once and again every interval; stopped, it runs no more', async (t) => {
      const { db } = await openFor(t, database);
      const writer = new BatchedUsageWriter(new KyselyUsageBatchStore(db), new CapturingLogger());
      let now = T0;
      const job = new RetentionJob(db, new CapturingLogger(), { retentionDays: 1, clock: { now: () => new Date(now) }, intervalMs: 20 });
      writer.record(requestRecord('ten_a', 'key_a', { at: T0 - 2 * DAY }));
      await writer.flush();
      job.start();
      t.after(() => job.stop());
      await eventually(async () => (await requestLogRows(db)).length === 0);

      const later = requestRecord('ten_a', 'key_a', { at: T0 });
      writer.record(later);
      await writer.flush();
      now = T0 + 2 * DAY;
      await eventually(async () => (await requestLogRows(db)).length === 0);
    });
  });
}

describe('Request-log retention on SQLite, as SQLite plans it', () => {
  it('has no index on `at` alone, and reaches tenants and their old rows through the tenant index, never a table scan', async (t) => {
    const database = testDatabases().find((d) => d.name === 'sqlite');
    assert.ok(database);
    const handle = await openFor(t, database);
    const file = handle.url.slice('sqlite:'.length);
    const plain = new Database(file, { readonly: true });
    t.after(() => plain.close());
    const indexes = plain.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'request_logs'").pluck().all();
    assert.deepEqual(indexes.sort(), ['request_logs_key_idx', 'request_logs_refused_idx', 'request_logs_tenant_idx', 'sqlite_autoindex_request_logs_1']);

    // The statements the store sends, as Kysely compiles them, then SQLite's plan for each.
    const statements: string[] = [];
    const logged = new Kysely<Schema>({ dialect: new SqliteDialect({ database: new Database(file) }), log: (event) => void statements.push(event.query.sql) });
    t.after(() => logged.destroy());
    const store = new RequestLogStore(logged);
    await store.nextTenant(null);
    await store.nextTenant('ten_a');
    await store.pruneBatch('ten_a', new Date(T0).toISOString(), 10);
    assert.equal(statements.length, 3);
    for (const sql of statements) {
      const plan = plain.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...(sql.match(/\?/g) ?? []).map(() => 'x')) as { detail: string }[];
      const readsOfTheTable = plan.map((step) => step.detail).filter((detail) => / request_logs\b/.test(detail));
      assert.ok(readsOfTheTable.some((detail) => detail.includes('request_logs_tenant_idx')), `${sql}: ${JSON.stringify(plan)}`);
      assert.ok(readsOfTheTable.every((detail) => detail.includes('INDEX')), `${sql} reads the table without an index: ${JSON.stringify(plan)}`);
    }
  });
});

describe('RetentionJob when storage fails', () => {
  it('logs the failure and resolves; it never throws', async (t) => {
    const database = testDatabases()[0];
    assert.ok(database);
    const handle = await openFor(t, database);
    await handle.db.schema.alterTable('request_logs').renameTo('request_logs_away').execute();
    const logger = new CapturingLogger();
    const job = new RetentionJob(handle.db, logger, { retentionDays: 1, clock: { now: () => new Date(T0) } });
    assert.equal(await job.run(), undefined);
    assert.equal(logger.count('warn'), 1);
    await handle.db.schema.alterTable('request_logs_away').renameTo('request_logs').execute();
  });
});
