import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Kysely } from 'kysely';
import { migrate, openDatabase } from '../../src/store/database.js';
import { KeyStore } from '../../src/store/key-store.js';
import type { Database } from '../../src/store/schema.js';
import { BatchedUsageWriter } from '../../src/usage/batched-usage-writer.js';
import { KyselyUsageBatchStore } from '../../src/usage/usage-batch-store.js';
import { openFor, testDatabases } from '../support/databases.js';
import { insertTenant, keyRecord } from '../store/records.js';
import { CapturingLogger, eventually, lastUse, requestLogRows, requestRecord, T0, usageCounters } from './records.js';

const iso = (ms: number) => new Date(ms).toISOString();

async function insertKey(db: Kysely<Database>, tenantId: string, lastUsedAt: string | null = null): Promise<string> {
  const { key } = keyRecord(tenantId, { lastUsedAt, lastUsedIp: lastUsedAt ? '192.0.2.99' : null });
  await new KeyStore(db).insert(key);
  return key.id;
}

/** Makes every write of request-log rows fail (the table is away), and brings it back. */
const tableAway = (db: Kysely<Database>) => db.schema.alterTable('request_logs').renameTo('request_logs_away').execute();
const tableBack = (db: Kysely<Database>) => db.schema.alterTable('request_logs_away').renameTo('request_logs').execute();

for (const database of testDatabases()) {
  describe(`BatchedUsageWriter on ${database.name}`, { skip: database.skip }, () => {
    it('writes nothing until a flush, then one row per request of a known tenant, with the query cut from the path', async (t) => {
      const { db } = await openFor(t, database);
      const tenant = await insertTenant(db);
      const keyId = await insertKey(db, tenant.id);
      const writer = new BatchedUsageWriter(new KyselyUsageBatchStore(db), new CapturingLogger());
      const ok = requestRecord(tenant.id, keyId, { at: T0 + 1234, latencyMs: 3.5, ip: '2001:db8::1', environment: 'staging' });
      const refused = requestRecord(tenant.id, keyId, { at: T0 + 2000, status: 429, code: 'rate_limited', path: '/api/v1/m2m/health?page=2' });
      writer.record(ok);
      writer.record(refused);
      writer.record(requestRecord(null, null, { status: 401, code: 'missing_api_key' }));

      assert.equal(writer.queueDepth, 2, 'requests without a known key are not queued for the log');
      assert.deepEqual(await requestLogRows(db), [], 'record() writes nothing by itself');
      await writer.flush();

      const rows = await requestLogRows(db);
      assert.deepEqual(rows.map((r) => ({ ...r, status: Number(r.status), latency_ms: Number(r.latency_ms) })), [
        {
          id: ok.id, at: '2026-03-01T12:00:01.234Z', tenant_id: tenant.id, key_id: keyId, method: 'GET', path: ok.path,
          status: 200, code: 'valid', latency_ms: 3.5, ip: '2001:db8::1', environment: 'staging',
        },
        {
          id: refused.id, at: '2026-03-01T12:00:02.000Z', tenant_id: tenant.id, key_id: keyId, method: 'GET', path: '/api/v1/m2m/health',
          status: 429, code: 'rate_limited', latency_ms: 1.25, ip: '203.0.113.7', environment: 'production',
        },
      ]);
      assert.equal(writer.queueDepth, 0);
    });

    it('logs only refusals and error answers with logMode errors, and none with off; both count and stamp every request', async (t) => {
      const { db } = await openFor(t, database);
      const tenant = await insertTenant(db);
      const keyId = await insertKey(db, tenant.id);
      const errorsOnly = new BatchedUsageWriter(new KyselyUsageBatchStore(db), new CapturingLogger(), { logMode: 'errors' });
      const refused = requestRecord(tenant.id, keyId, { at: T0 + 2000, status: 429, code: 'rate_limited' });
      errorsOnly.record(requestRecord(tenant.id, keyId, { at: T0 + 1000, ip: '198.51.100.1' }));
      errorsOnly.record(refused);
      await errorsOnly.flush();
      assert.deepEqual((await requestLogRows(db)).map((r) => r.id), [refused.id]);

      const off = new BatchedUsageWriter(new KyselyUsageBatchStore(db), new CapturingLogger(), { logMode: 'off' });
      off.record(requestRecord(tenant.id, keyId, { at: T0 + 3000, ip: '198.51.100.2' }));
      off.record(requestRecord(tenant.id, keyId, { at: T0 + 4000, status: 401, code: 'revoked_api_key' }));
      await off.flush();
      assert.deepEqual((await requestLogRows(db)).map((r) => r.id), [refused.id], 'no new row');
      assert.deepEqual(await usageCounters(db), {
        [`${keyId} 2026-03-01T12:00:00.000Z valid`]: 2,
        [`${keyId} 2026-03-01T12:00:00.000Z rate_limited`]: 1,
        [`${keyId} 2026-03-01T12:00:00.000Z revoked_api_key`]: 1,
      });
      assert.deepEqual(await lastUse(db, keyId), { last_used_at: iso(T0 + 3000), last_used_ip: '198.51.100.2' });
    });

    it('stamps the newest valid use of each key, whatever order the requests came in, and never moves it back', async (t) => {
      const { db } = await openFor(t, database);
      const tenant = await insertTenant(db);
      const a = await insertKey(db, tenant.id);
      const b = await insertKey(db, tenant.id);
      const storedNewer = await insertKey(db, tenant.id, iso(T0 + 60_000));
      const writer = new BatchedUsageWriter(new KyselyUsageBatchStore(db), new CapturingLogger());
      writer.record(requestRecord(tenant.id, a, { at: T0 + 5000, ip: '198.51.100.5' }));
      writer.record(requestRecord(tenant.id, a, { at: T0 + 2000, ip: '198.51.100.2' }));
      writer.record(requestRecord(tenant.id, a, { at: T0 + 9000, ip: '198.51.100.9', code: 'insufficient_scope', status: 403 }));
      writer.record(requestRecord(tenant.id, b, { at: T0 + 1000, ip: null }));
      writer.record(requestRecord(tenant.id, storedNewer, { at: T0 + 1000 }));
      await writer.flush();

      assert.deepEqual(await lastUse(db, a), { last_used_at: iso(T0 + 5000), last_used_ip: '198.51.100.5' }, 'a refused request is not a use');
      assert.deepEqual(await lastUse(db, b), { last_used_at: iso(T0 + 1000), last_used_ip: null });
      assert.deepEqual(await lastUse(db, storedNewer), { last_used_at: iso(T0 + 60_000), last_used_ip: '192.0.2.99' }, 'a newer stamp (another node) stays');

      writer.record(requestRecord(tenant.id, a, { at: T0 + 3000, ip: '198.51.100.3' }));
      await writer.flush();
      assert.deepEqual(await lastUse(db, a), { last_used_at: iso(T0 + 5000), last_used_ip: '198.51.100.5' }, 'an older use in a later batch does not win');
      writer.record(requestRecord(tenant.id, a, { at: T0 + 7000, ip: '198.51.100.7' }));
      await writer.flush();
      assert.deepEqual(await lastUse(db, a), { last_used_at: iso(T0 + 7000), last_used_ip: '198.51.100.7' });
    });

    it('counts requests per key, minute and code, adding to the stored counters across flushes', async (t) => {
      const { db } = await openFor(t, database);
      const tenant = await insertTenant(db);
      const a = await insertKey(db, tenant.id);
      const b = await insertKey(db, tenant.id);
      const writer = new BatchedUsageWriter(new KyselyUsageBatchStore(db), new CapturingLogger());
      for (const offset of [0, 10_000, 59_999]) writer.record(requestRecord(tenant.id, a, { at: T0 + offset }));
      writer.record(requestRecord(tenant.id, a, { at: T0 + 30_000, code: 'rate_limited', status: 429 }));
      writer.record(requestRecord(tenant.id, a, { at: T0 + 60_000 }));
      writer.record(requestRecord(tenant.id, b, { at: T0 + 5000 }));
      await writer.flush();
      const minute0 = iso(T0);
      const minute1 = iso(T0 + 60_000);
      assert.deepEqual(await usageCounters(db), {
        [`${a} ${minute0} valid`]: 3,
        [`${a} ${minute0} rate_limited`]: 1,
        [`${a} ${minute1} valid`]: 1,
        [`${b} ${minute0} valid`]: 1,
      });

      writer.record(requestRecord(tenant.id, a, { at: T0 + 1000 }));
      writer.record(requestRecord(tenant.id, a, { at: T0 + 2000 }));
      await writer.flush();
      assert.equal((await usageCounters(db))[`${a} ${minute0} valid`], 5);
    });

    it('writes a flush larger than one batch in several transactions', async (t) => {
      const { db } = await openFor(t, database);
      const tenant = await insertTenant(db);
      const keyId = await insertKey(db, tenant.id);
      const writer = new BatchedUsageWriter(new KyselyUsageBatchStore(db), new CapturingLogger(), { maxBatch: 2 });
      const records = Array.from({ length: 5 }, (_, i) => requestRecord(tenant.id, keyId, { at: T0 + i }));
      for (const record of records) writer.record(record);
      await writer.flush();
      assert.deepEqual((await requestLogRows(db)).map((r) => r.id), records.map((r) => r.id));
      assert.deepEqual(Object.values(await usageCounters(db)), [5]);
    });

    it('keeps what it could not write while storage fails, logs the outage once, and writes it all when storage is back', async (t) => {
      const { db } = await openFor(t, database);
      const tenant = await insertTenant(db);
      const keyId = await insertKey(db, tenant.id);
      const logger = new CapturingLogger();
      const writer = new BatchedUsageWriter(new KyselyUsageBatchStore(db), logger);
      const before = requestRecord(tenant.id, keyId, { at: T0 });
      writer.record(before);
      await writer.flush();

      await tableAway(db);
      const during = [1, 2, 3].map((i) => requestRecord(tenant.id, keyId, { at: T0 + i * 1000, ip: `198.51.100.${i}` }));
      for (const record of during) writer.record(record);
      assert.equal(writer.nextFlushInMs, 1000);
      const waits = [];
      for (let i = 0; i < 7; i++) {
        await writer.flush();
        waits.push(writer.nextFlushInMs);
      }
      assert.deepEqual(waits, [1000, 2000, 4000, 8000, 16000, 30000, 30000], 'the timer backs off while storage fails');
      assert.equal(writer.queueDepth, 3);
      assert.equal(logger.count('warn'), 1, 'one line per outage, not one per tick');
      assert.deepEqual(await lastUse(db, keyId), { last_used_at: iso(T0), last_used_ip: '203.0.113.7' }, 'the failed batch wrote nothing');

      await tableBack(db);
      await writer.flush();
      assert.equal(writer.queueDepth, 0);
      assert.equal(writer.nextFlushInMs, 1000, 'and flushes every second again once it is back');
      assert.deepEqual((await requestLogRows(db)).map((r) => r.id), [before, ...during].map((r) => r.id), 'nothing written before the outage was lost');
      assert.deepEqual(await usageCounters(db), { [`${keyId} ${iso(T0)} valid`]: 4 });
      assert.deepEqual(await lastUse(db, keyId), { last_used_at: iso(T0 + 3000), last_used_ip: '198.51.100.3' });
      assert.equal(logger.count('info'), 1, 'the recovery is logged');

      await tableAway(db);
      writer.record(requestRecord(tenant.id, keyId));
      await writer.flush();
      assert.equal(logger.count('warn'), 2, 'a second outage is logged again');
      await tableBack(db);
    });

    it('drops the oldest request-log rows past maxQueue, counts the drops, and keeps every counter', async (t) => {
      const { db } = await openFor(t, database);
      const tenant = await insertTenant(db);
      const keyId = await insertKey(db, tenant.id);
      const writer = new BatchedUsageWriter(new KyselyUsageBatchStore(db), new CapturingLogger(), { maxQueue: 3 });
      await tableAway(db);
      const records = Array.from({ length: 5 }, (_, i) => requestRecord(tenant.id, keyId, { at: T0 + i * 1000 }));
      for (const record of records.slice(0, 2)) writer.record(record);
      await writer.flush();
      for (const record of records.slice(2)) writer.record(record);
      await writer.flush();
      assert.equal(writer.queueDepth, 3);
      assert.equal(writer.dropped, 2);

      await tableBack(db);
      await writer.flush();
      assert.deepEqual((await requestLogRows(db)).map((r) => r.id), records.slice(2).map((r) => r.id), 'the newest rows are kept');
      assert.deepEqual(await usageCounters(db), { [`${keyId} ${iso(T0)} valid`]: 5 }, 'counters count every request');
    });

    it('never throws when the database is closed: record and flush go on, close says what was not written', async (t) => {
      const target = await database.target();
      t.after(() => target.cleanup());
      const closed = openDatabase(target.url);
      await migrate(closed.db);
      await closed.close();
      const logger = new CapturingLogger();
      const writer = new BatchedUsageWriter(new KyselyUsageBatchStore(closed.db), logger);
      writer.record(requestRecord('ten_x', 'key_x'));
      await writer.flush();
      writer.record(requestRecord('ten_x', 'key_x'));
      await writer.flush();
      assert.equal(writer.queueDepth, 2);
      assert.equal(logger.count('warn'), 1);
      await writer.close();
      assert.equal(logger.count('warn'), 2);
      assert.match(logger.lines.at(-1)?.msg ?? '', /not written/);
    });

    it('flushes on its own timer once started: last use shows within 5 seconds', async (t) => {
      const { db } = await openFor(t, database);
      const tenant = await insertTenant(db);
      const keyId = await insertKey(db, tenant.id);
      const writer = new BatchedUsageWriter(new KyselyUsageBatchStore(db), new CapturingLogger());
      writer.start();
      t.after(() => writer.close());
      const now = Date.now();
      writer.record(requestRecord(tenant.id, keyId, { at: now }));
      await eventually(async () => (await lastUse(db, keyId)).last_used_at === iso(now), 5000);
      assert.equal((await requestLogRows(db)).length, 1);
    });
  });
}

describe('BatchedUsageWriter without a reachable server', () => {
  it('keeps the queue and logs once when PostgreSQL refuses connections', async (t) => {
    const unreachable = openDatabase('postgres://127.0.0.1:1/latchkey');
    t.after(() => unreachable.close());
    const logger = new CapturingLogger();
    const writer = new BatchedUsageWriter(new KyselyUsageBatchStore(unreachable.db), logger);
    writer.record(requestRecord('ten_x', 'key_x'));
    await writer.flush();
    await writer.flush();
    assert.equal(writer.queueDepth, 1);
    assert.equal(logger.count('warn'), 1);
  });
});
