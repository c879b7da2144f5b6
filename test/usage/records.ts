// Request records for the usage tests, and readers of what the usage writer stored.
import { join } from 'node:path';
import type { Kysely } from 'kysely';
import { newId } from '../../src/core/ids.js';
import { migrate, openDatabase } from '../../src/store/database.js';
import { KeyStore } from '../../src/store/key-store.js';
import type { Database } from '../../src/store/schema.js';
import type { RequestRecord } from '../../src/usage/usage-recorder.js';
import { tempDir } from '../support/processes.js';
import { insertTenant, keyRecord } from '../store/records.js';

/** 2026-03-01T12:00:00Z in epoch ms: the start of a minute. */
export const T0 = Date.parse('2026-03-01T12:00:00.000Z');

export function requestRecord(tenantId: string | null, keyId: string | null, overrides: Partial<RequestRecord> = {}): RequestRecord {
  return {
    id: newId('req'),
    at: T0,
    tenantId,
    keyId,
    method: 'GET',
    path: `/api/v1/m2m/tenants/${tenantId ?? 'x'}/limits`,
    status: 200,
    code: 'valid',
    latencyMs: 1.25,
    ip: '203.0.113.7',
    environment: 'production',
    ...overrides,
  };
}

export async function requestLogRows(db: Kysely<Database>) {
  return db.selectFrom('request_logs').selectAll().orderBy('at').orderBy('id').execute();
}

/** `{ "<key> <minute> <outcome>": count }` of every stored counter. */
export async function usageCounters(db: Kysely<Database>): Promise<Record<string, number>> {
  const rows = await db.selectFrom('key_usage').selectAll().execute();
  return Object.fromEntries(rows.map((r) => [`${r.key_id} ${r.minute} ${r.outcome}`, Number(r.count)]));
}

export async function lastUse(db: Kysely<Database>, keyId: string) {
  return db.selectFrom('api_keys').select(['last_used_at', 'last_used_ip']).where('id', '=', keyId).executeTakeFirstOrThrow();
}

/** Waits (up to `timeoutMs`) until `check` holds; the time taken is not asserted. */
export async function eventually(check: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** A logger that keeps its lines. */
export class CapturingLogger {
  readonly lines: { level: 'warn' | 'info'; msg: string; obj: object }[] = [];
  warn(obj: object, msg: string): void {
    this.lines.push({ level: 'warn', msg, obj });
  }
  info(obj: object, msg: string): void {
    this.lines.push({ level: 'info', msg, obj });
  }
  count(level: 'warn' | 'info'): number {
    return this.lines.filter((l) => l.level === level).length;
  }
}

/** A migrated SQLite file in a temporary directory with one tenant and one key: what a writer thread opens. */
export async function sqliteFileWithKey(t: { after(fn: () => unknown): void }) {
  const file = join(tempDir(t), 'latchkey.db');
  const database = openDatabase(`sqlite:${file}`);
  t.after(() => database.close());
  await migrate(database.db);
  const tenant = await insertTenant(database.db);
  const { key } = keyRecord(tenant.id);
  await new KeyStore(database.db).insert(key);
  return { file, db: database.db, tenant, key };
}
