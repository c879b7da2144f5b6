import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { migrate, openDatabase } from '../../src/store/database.js';
import { KeyStore } from '../../src/store/key-store.js';
import { BatchedUsageWriter } from '../../src/usage/batched-usage-writer.js';
import { WorkerUsageBatchStore } from '../../src/usage/worker-usage-batch-store.js';
import { tempDir } from '../support/processes.js';
import { insertTenant, keyRecord } from '../store/records.js';
import { CapturingLogger, lastUse, requestLogRows, requestRecord, T0, usageCounters } from './records.js';

describe('the usage writer on a SQLite file, writing from a worker thread', () => {
  it('stores the request logs, counters and last use, readable on the server\'s own connection', async (t) => {
    const file = join(tempDir(t), 'latchkey.db');
    const database = openDatabase(`sqlite:${file}`);
    t.after(() => database.close());
    await migrate(database.db);
    const tenant = await insertTenant(database.db);
    const { key } = keyRecord(tenant.id);
    await new KeyStore(database.db).insert(key);
    const writer = new BatchedUsageWriter(database.db, new CapturingLogger(), { store: new WorkerUsageBatchStore(file), maxBatch: 2 });

    for (let i = 0; i < 5; i++) writer.record(requestRecord(tenant.id, key.id, { at: T0 + i * 1000, ip: '198.51.100.4' }));
    await writer.flush();

    assert.equal((await requestLogRows(database.db)).length, 5, 'every row, written over three batches');
    assert.deepEqual(await usageCounters(database.db), { [`${key.id} 2026-03-01T12:00:00.000Z valid`]: 5 });
    assert.deepEqual(await lastUse(database.db, key.id), { last_used_at: '2026-03-01T12:00:04.000Z', last_used_ip: '198.51.100.4' });
    await writer.close();
  });

  it('keeps a batch the thread could not write, says so once, and writes it when storage is back', async (t) => {
    const dir = tempDir(t);
    const file = join(dir, 'latchkey.db');
    const database = openDatabase(`sqlite:${file}`);
    t.after(() => database.close());
    await migrate(database.db);
    const tenant = await insertTenant(database.db);
    const logger = new CapturingLogger();
    // The thread opens a file that does not hold the tables yet: its writes fail.
    const elsewhere = join(dir, 'not-migrated.db');
    const writer = new BatchedUsageWriter(database.db, logger, { store: new WorkerUsageBatchStore(elsewhere) });
    writer.record(requestRecord(tenant.id, null));
    await writer.flush();
    await writer.flush();
    assert.equal(writer.queueDepth, 1, 'the row waits in memory');
    assert.equal(logger.lines.filter((l) => l.level === 'warn' && l.msg.includes('keeping them queued')).length, 1, 'one line for the outage');

    const fixed = openDatabase(`sqlite:${elsewhere}`);
    await migrate(fixed.db);
    await insertTenant(fixed.db, { id: tenant.id });
    await writer.flush();
    assert.equal(writer.queueDepth, 0);
    assert.equal((await requestLogRows(fixed.db)).length, 1);
    await writer.close();
    await fixed.close();
    rmSync(elsewhere, { force: true });
  });
});
