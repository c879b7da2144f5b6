import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { migrate, openDatabase } from '../../src/store/database.js';
import { ThreadedUsageWriter } from '../../src/usage/threaded-usage-writer.js';
import { tempDir } from '../support/processes.js';
import { insertTenant } from '../store/records.js';
import { CapturingLogger, eventually, lastUse, requestLogRows, requestRecord, sqliteFileWithKey, T0, usageCounters } from './records.js';

describe('the usage writer of a SQLite server, writing from its own thread', () => {
  it('stores the request logs, counters and last use, readable on the server\'s own connection', async (t) => {
    const { file, db, tenant, key } = await sqliteFileWithKey(t);
    const writer = new ThreadedUsageWriter({ sqliteFile: file }, new CapturingLogger());
    t.after(() => writer.close());

    // More than one handover's worth, plus requests without a known key (metrics only, never stored).
    for (let i = 0; i < 600; i++) writer.record(requestRecord(tenant.id, key.id, { at: T0 + i * 100, ip: `198.51.100.${i % 200}` }));
    writer.record(requestRecord(null, null, { code: 'invalid_api_key', status: 401 }));
    await writer.flush();

    assert.equal(writer.queueDepth, 0);
    assert.equal((await requestLogRows(db)).length, 600);
    assert.deepEqual(await usageCounters(db), {
      [`${key.id} 2026-03-01T12:00:00.000Z valid`]: 600,
    });
    assert.deepEqual(await lastUse(db, key.id), { last_used_at: '2026-03-01T12:00:59.900Z', last_used_ip: '198.51.100.199' });
  });

  it('with LATCHKEY_REQUEST_LOG=errors, logs only refusals and error answers, and still counts and stamps every request', async (t) => {
    const { file, db, tenant, key } = await sqliteFileWithKey(t);
    const writer = new ThreadedUsageWriter({ sqliteFile: file }, new CapturingLogger(), 'errors');
    t.after(() => writer.close());

    for (let i = 0; i < 600; i++) writer.record(requestRecord(tenant.id, key.id, { at: T0 + i * 10, ip: '198.51.100.1' }));
    const limited = requestRecord(tenant.id, key.id, { at: T0 + 7000, status: 429, code: 'rate_limited' });
    // A gateway request whose upstream failed: the key was valid, the answer an error.
    const upstreamFailed = requestRecord(tenant.id, key.id, { at: T0 + 8000, status: 502 });
    // The verify API answers a refusal with 200; its code tells.
    const verifyRefused = requestRecord(tenant.id, key.id, { at: T0 + 9000, status: 200, code: 'ip_not_allowed' });
    const lastOk = requestRecord(tenant.id, key.id, { at: T0 + 9500, ip: '198.51.100.2' });
    for (const r of [limited, upstreamFailed, verifyRefused, lastOk]) writer.record(r);
    await writer.flush();

    assert.deepEqual((await requestLogRows(db)).map((r) => [r.id, Number(r.status), r.code]).sort(), [
      [limited.id, 429, 'rate_limited'], [upstreamFailed.id, 502, 'valid'], [verifyRefused.id, 200, 'ip_not_allowed'],
    ].sort());
    assert.deepEqual(await usageCounters(db), {
      [`${key.id} 2026-03-01T12:00:00.000Z valid`]: 602,
      [`${key.id} 2026-03-01T12:00:00.000Z rate_limited`]: 1,
      [`${key.id} 2026-03-01T12:00:00.000Z ip_not_allowed`]: 1,
    });
    assert.deepEqual(await lastUse(db, key.id), { last_used_at: '2026-03-01T12:00:09.500Z', last_used_ip: '198.51.100.2' });
    assert.equal(writer.queueDepth, 0);
  });

  it('with LATCHKEY_REQUEST_LOG=off, logs nothing, and hands the counts over on its own after start and at close', async (t) => {
    const { file, db, tenant, key } = await sqliteFileWithKey(t);
    const writer = new ThreadedUsageWriter({ sqliteFile: file, flushIntervalMs: 50 }, new CapturingLogger(), 'off');
    writer.start();
    writer.record(requestRecord(tenant.id, key.id, { at: T0 }));
    writer.record(requestRecord(tenant.id, key.id, { at: T0 + 1, status: 403, code: 'insufficient_scope' }));
    await eventually(async () => Object.keys(await usageCounters(db)).length === 2);

    writer.record(requestRecord(tenant.id, key.id, { at: T0 + 61_000, ip: '198.51.100.3' }));
    await writer.close();
    assert.deepEqual(await requestLogRows(db), []);
    assert.deepEqual(await usageCounters(db), {
      [`${key.id} 2026-03-01T12:00:00.000Z valid`]: 1,
      [`${key.id} 2026-03-01T12:00:00.000Z insufficient_scope`]: 1,
      [`${key.id} 2026-03-01T12:01:00.000Z valid`]: 1,
    });
    assert.deepEqual(await lastUse(db, key.id), { last_used_at: '2026-03-01T12:01:01.000Z', last_used_ip: '198.51.100.3' });
  });

  it('writes on its own once a second after start, and what is left at close', async (t) => {
    const { file, db, tenant } = await sqliteFileWithKey(t);
    const writer = new ThreadedUsageWriter({ sqliteFile: file, flushIntervalMs: 50 }, new CapturingLogger());
    writer.start();
    writer.record(requestRecord(tenant.id, null));
    await eventually(async () => (await requestLogRows(db)).length === 1);

    writer.record(requestRecord(tenant.id, null));
    await writer.close();
    assert.equal((await requestLogRows(db)).length, 2);
  });

  it('keeps records the thread could not write, says so once in the server\'s log, and writes them when storage is back', async (t) => {
    const dir = tempDir(t);
    const database = openDatabase(`sqlite:${join(dir, 'latchkey.db')}`);
    t.after(() => database.close());
    await migrate(database.db);
    const tenant = await insertTenant(database.db);
    const logger = new CapturingLogger();
    // The thread opens a file that does not hold the tables yet: its writes fail.
    const elsewhere = join(dir, 'not-migrated.db');
    const writer = new ThreadedUsageWriter({ sqliteFile: elsewhere }, logger);
    writer.record(requestRecord(tenant.id, null));
    await writer.flush();
    await writer.flush();
    assert.equal(writer.queueDepth, 1, 'the row waits in the thread');
    assert.equal(logger.lines.filter((l) => l.level === 'warn' && l.msg.includes('keeping them queued')).length, 1, 'one line for the outage');

    const fixed = openDatabase(`sqlite:${elsewhere}`);
    await migrate(fixed.db);
    await insertTenant(fixed.db, { id: tenant.id });
    await writer.flush();
    assert.equal(writer.queueDepth, 0);
    assert.equal((await requestLogRows(fixed.db)).length, 1);
    assert.equal(logger.lines.filter((l) => l.level === 'info' && l.msg.includes('written again')).length, 1, 'and one line when it is over');
    await writer.close();
    await fixed.close();
    rmSync(elsewhere, { force: true });
  });

  it('reports the counts kept while storage is down, requests not logged included, and none once written', async (t) => {
    const { file, tenant, key } = await sqliteFileWithKey(t);
    const dir = tempDir(t);
    const writer = new ThreadedUsageWriter({ sqliteFile: join(dir, 'not-migrated.db') }, new CapturingLogger(), 'errors');
    t.after(() => writer.close());
    for (let i = 0; i < 3; i++) writer.record(requestRecord(tenant.id, key.id, { at: T0 + i }));
    writer.record(requestRecord(tenant.id, key.id, { at: T0 + 3, status: 403, code: 'insufficient_scope' }));
    await writer.flush();
    assert.equal(writer.queueDepth, 1, 'the refusal is the one request-log row');
    assert.equal(writer.countsWaiting, 3, 'two counters (valid, insufficient_scope) and one last use wait in the thread');

    const working = new ThreadedUsageWriter({ sqliteFile: file }, new CapturingLogger(), 'errors');
    t.after(() => working.close());
    for (let i = 0; i < 3; i++) working.record(requestRecord(tenant.id, key.id, { at: T0 + i }));
    await working.flush();
    assert.equal(working.countsWaiting, 0);
    assert.equal(working.queueDepth, 0);
  });
});
