import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { migrate, openDatabase, openSqliteConnection } from '../../src/store/database.js';
import { SqliteUsageBatchStore } from '../../src/usage/sqlite-usage-batch-store.js';
import { UsageQueue } from '../../src/usage/usage-queue.js';
import { tempDir } from '../support/processes.js';
import { insertTenant } from '../store/records.js';
import { lastUse, requestLogRows, requestRecord, sqliteFileWithKey, T0, usageCounters } from './records.js';

describe('the SQLite usage batch store (the writer thread\'s prepared statements)', () => {
  async function setUp(t: { after(fn: () => unknown): void }) {
    const { file, db, tenant, key } = await sqliteFileWithKey(t);
    const store = new SqliteUsageBatchStore(openSqliteConnection(file));
    t.after(() => store.close());
    return { db, tenant, key, store };
  }

  function batchOf(records: ReturnType<typeof requestRecord>[]) {
    const queue = new UsageQueue(1000);
    for (const r of records) queue.push(r);
    queue.absorb();
    return queue.take(1000)!;
  }

  it('stores rows, adds counters, keeps the newest last use, and skips rows of a batch written twice', async (t) => {
    const { db, tenant, key, store } = await setUp(t);
    const first = batchOf([
      requestRecord(tenant.id, key.id, { at: T0 + 2000, ip: '198.51.100.2' }),
      requestRecord(tenant.id, key.id, { at: T0 + 1000, code: 'rate_limited', status: 429, ip: null }),
    ]);
    await store.write(first);
    // A retried batch (the reply was lost after the commit): the same rows again, counters added again.
    await store.write(first);
    await store.write(batchOf([requestRecord(tenant.id, key.id, { at: T0 + 500, ip: '198.51.100.9' })]));

    const rows = await requestLogRows(db);
    assert.deepEqual(rows.map((r) => [r.at, r.status, r.code, r.ip, r.key_id, r.latency_ms, r.environment]), [
      ['2026-03-01T12:00:00.500Z', 200, 'valid', '198.51.100.9', key.id, 1.25, 'production'],
      ['2026-03-01T12:00:01.000Z', 429, 'rate_limited', null, key.id, 1.25, 'production'],
      ['2026-03-01T12:00:02.000Z', 200, 'valid', '198.51.100.2', key.id, 1.25, 'production'],
    ]);
    assert.deepEqual(await usageCounters(db), {
      [`${key.id} 2026-03-01T12:00:00.000Z valid`]: 3,
      [`${key.id} 2026-03-01T12:00:00.000Z rate_limited`]: 2,
    });
    assert.deepEqual(await lastUse(db, key.id), { last_used_at: '2026-03-01T12:00:02.000Z', last_used_ip: '198.51.100.2' }, 'an older use does not overwrite a newer one');
  });

  it('fails the write, not the thread, on a file without the tables, and writes once they exist', async (t) => {
    const dir = tempDir(t);
    const file = join(dir, 'later.db');
    const store = new SqliteUsageBatchStore(openSqliteConnection(file));
    t.after(() => store.close());
    const database = openDatabase(`sqlite:${file}`);
    t.after(() => database.close());
    const tenantId = 'ten_01JD0000000000000000000000';
    const batch = batchOf([requestRecord(tenantId, null)]);
    await assert.rejects(store.write(batch), /no such table/);

    await migrate(database.db);
    await insertTenant(database.db, { id: tenantId });
    await store.write(batch);
    assert.equal((await requestLogRows(database.db)).length, 1);
  });
});
