// How SQLite, which keeps no statistics here, plans the lists and jobs that read a tenant's whole history at scale:
// each must go through an index made for it (a scale review found 0.1–1.2 s scans of 2M request logs otherwise).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import { AuditStore } from '../../src/store/audit-store.js';
import { KeyStore } from '../../src/store/key-store.js';
import { RequestLogStore } from '../../src/store/request-log-store.js';
import type { Database as Schema } from '../../src/store/schema.js';
import { UsageStore } from '../../src/store/usage-store.js';
import { openFor, testDatabases } from '../support/databases.js';

/** Runs `use` against a store logging its SQL, and answers SQLite's plan of each statement, with its real parameters. */
async function plansOf(t: { after(fn: () => unknown): void }, use: (db: Kysely<Schema>) => Promise<unknown>): Promise<string[][]> {
  const database = testDatabases().find((d) => d.name === 'sqlite');
  assert.ok(database);
  const handle = await openFor(t, database);
  const file = handle.url.slice('sqlite:'.length);
  const statements: { sql: string; parameters: readonly unknown[] }[] = [];
  const logged = new Kysely<Schema>({ dialect: new SqliteDialect({ database: new Database(file) }), log: (event) => void statements.push({ sql: event.query.sql, parameters: event.query.parameters }) });
  t.after(() => logged.destroy());
  await use(logged);
  const plain = new Database(file, { readonly: true });
  t.after(() => plain.close());
  return statements.map(({ sql, parameters }) => (plain.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...parameters) as { detail: string }[]).map((step) => step.detail));
}

const page = { limit: 50, cursor: undefined };

describe('SQLite plans of lists and jobs over long histories', () => {
  it("reads one key's request logs through the key index, not the tenant's whole history", async (t) => {
    const plans = await plansOf(t, async (db) => {
      await new RequestLogStore(db).list('ten_a', page, { keyId: 'key_a' });
      await new RequestLogStore(db).list('ten_a', page, { keyId: 'key_a', from: '2026-01-01T00:00:00.000Z' });
    });
    for (const plan of plans) assert.match(plan[0] ?? '', /^SEARCH request_logs USING INDEX request_logs_key_idx \(key_id=\?/, JSON.stringify(plan));
  });

  it('reads refused requests of a status through the partial index of refused requests, in page order', async (t) => {
    const plans = await plansOf(t, async (db) => {
      await new RequestLogStore(db).list('ten_a', page, { status: 503 });
      await new RequestLogStore(db).list('ten_a', page, { status: 429, keyId: 'key_a' });
    });
    assert.deepEqual(plans[0], ['SEARCH request_logs USING INDEX request_logs_refused_idx (tenant_id=? AND status=?)']);
    assert.match(plans[1]![0] ?? '', /^SEARCH request_logs USING INDEX request_logs_(key|refused)_idx/, JSON.stringify(plans[1]));
  });

  it('reads audit entries of one action through (tenant, action, time, id)', async (t) => {
    const [plan] = await plansOf(t, (db) => new AuditStore(db).list('ten_a', page, { action: 'tenant.created' }));
    assert.deepEqual(plan, ['SEARCH audit_log USING INDEX audit_log_action_idx (tenant_id=? AND action=?)']);
  });

  it('finds counters of old minutes (hourly retention) and newly expired keys (every minute) without a scan', async (t) => {
    const plans = await plansOf(t, async (db) => {
      await new UsageStore(db).pruneBatch('2026-01-01T00:00:00.000Z', 1000);
      await new KeyStore(db).findNewlyExpired('2026-01-01T00:00:00.000Z', 100);
    });
    for (const plan of plans) assert.ok(plan.every((step) => !step.startsWith('SCAN ') || step.includes('INDEX')), JSON.stringify(plan));
    assert.ok(plans[0]!.some((step) => step.includes('key_usage_minute_idx')), JSON.stringify(plans[0]));
    assert.ok(plans[1]!.some((step) => step.includes('api_keys_expiry_idx')), JSON.stringify(plans[1]));
  });
});
