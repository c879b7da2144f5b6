// The databases suites run against: SQLite always, PostgreSQL when reachable (required under CI=true).
// Every `open()` / `target()` is a fresh database: a temp SQLite file, or a new PostgreSQL schema.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { migrate, type OpenDatabase, openDatabase } from '../../src/store/database.js';

export const TEST_DATABASE_URL = process.env.LATCHKEY_TEST_DATABASE_URL ?? 'postgres://127.0.0.1:5432/test';

export type DialectName = 'sqlite' | 'postgres';

/** An empty database nobody has opened yet: hand `url` to a server process as `LATCHKEY_DATABASE_URL`. */
export interface DatabaseTarget {
  /** `sqlite:<file>`, or the PostgreSQL URL with `?schema=<schema>`. */
  url: string;
  /** The PostgreSQL schema (also in `url`); `undefined` for SQLite. */
  schema: string | undefined;
  /** Drops the schema (`DROP SCHEMA ... CASCADE`) or deletes the file. */
  cleanup(): Promise<void>;
}

export interface TestDatabaseHandle extends OpenDatabase {
  url: string;
  /** Closes the database and drops it. */
  cleanup(): Promise<void>;
}

export interface TestDatabase {
  name: DialectName;
  /** The server or directory the fresh databases are made in. */
  url: string;
  /** Why this variant cannot run here, for `describe(name, { skip })`; `undefined` when it can. */
  skip: string | undefined;
  /** A fresh, empty, unmigrated database. */
  target(): Promise<DatabaseTarget>;
  /** A fresh database, opened and migrated. */
  open(): Promise<TestDatabaseHandle>;
}

/** A pg client connecting as the server does: without a user in the URL, PGUSER or the OS user. */
function adminClient(connectionTimeoutMillis = 5000): pg.Client {
  const url = new URL(TEST_DATABASE_URL);
  url.searchParams.delete('schema');
  if (!url.username) url.username = process.env.PGUSER ?? userInfo().username;
  const client = new pg.Client({ connectionString: url.toString(), connectionTimeoutMillis });
  client.on('error', () => {});
  return client;
}

/** The rows of one query, run as `adminQuery` runs it (for reading what a server left in its schema). */
export async function adminRows<Row>(text: string): Promise<Row[]> {
  const client = adminClient();
  await client.connect();
  try {
    return (await client.query(text)).rows as Row[];
  } finally {
    await client.end().catch(() => {});
  }
}

async function adminQuery(text: string): Promise<void> {
  const client = adminClient();
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end().catch(() => {});
  }
}

async function probePostgres(): Promise<boolean> {
  const client = adminClient(2000);
  try {
    await client.connect();
    await client.query('select 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => {});
  }
}

const postgresReachable = await probePostgres();

/**
 * Why PostgreSQL suites cannot run here, or `undefined` when they can. Under `CI=true` an unreachable
 * PostgreSQL throws instead, so that CI cannot pass without them.
 */
export function postgresSkipReason(): string | undefined {
  if (postgresReachable) return undefined;
  if (process.env.CI === 'true') {
    throw new Error(`PostgreSQL not reachable at ${TEST_DATABASE_URL}, and CI=true requires the PostgreSQL tests to run`);
  }
  return `PostgreSQL not reachable at ${TEST_DATABASE_URL}: postgres tests skipped (start it or set LATCHKEY_TEST_DATABASE_URL)`;
}

async function sqliteTarget(): Promise<DatabaseTarget> {
  const dir = mkdtempSync(join(tmpdir(), 'latchkey-store-'));
  return { url: `sqlite:${join(dir, 'latchkey.db')}`, schema: undefined, cleanup: async () => rmSync(dir, { recursive: true, force: true }) };
}

/** A new, empty schema `lk_test_<random>` on the test PostgreSQL; created here so a server can take it at once. */
export async function postgresTarget(): Promise<DatabaseTarget> {
  const schema = `lk_test_${randomBytes(6).toString('hex')}`;
  await adminQuery(`create schema "${schema}"`);
  const url = new URL(TEST_DATABASE_URL);
  url.searchParams.set('schema', schema);
  return { url: url.toString(), schema, cleanup: () => adminQuery(`drop schema if exists "${schema}" cascade`) };
}

async function openTarget(target: DatabaseTarget): Promise<TestDatabaseHandle> {
  const database = openDatabase(target.url, { poolSize: 4 });
  try {
    await migrate(database.db);
  } catch (error) {
    await database.close();
    await target.cleanup();
    throw error;
  }
  return {
    ...database,
    url: target.url,
    cleanup: async () => {
      await database.close();
      await target.cleanup();
    },
  };
}

/**
 * The dialects to run a store suite over:
 *
 * @example
 * for (const database of testDatabases()) {
 *   describe(database.name, { skip: database.skip }, () => {
 *     it('...', async (t) => {
 *       const { db } = await database.open();
 *       ...
 *     });
 *   });
 * }
 */
export function testDatabases(): TestDatabase[] {
  const sqlite: TestDatabase = {
    name: 'sqlite',
    url: `sqlite:${tmpdir()}`,
    skip: undefined,
    target: sqliteTarget,
    open: async () => openTarget(await sqliteTarget()),
  };
  const postgres: TestDatabase = {
    name: 'postgres',
    url: TEST_DATABASE_URL,
    skip: postgresSkipReason(),
    target: postgresTarget,
    open: async () => openTarget(await postgresTarget()),
  };
  return [sqlite, postgres];
}

export interface Cleanup {
  after(fn: () => unknown): void;
}

/** `database.open()` with its cleanup registered on the test. */
export async function openFor(t: Cleanup, database: TestDatabase): Promise<TestDatabaseHandle> {
  const handle = await database.open();
  t.after(() => handle.cleanup());
  return handle;
}

/** `database.target()` with its cleanup registered on the test: an empty database for a server process. */
export async function targetFor(t: Cleanup, database: TestDatabase): Promise<DatabaseTarget> {
  const target = await database.target();
  t.after(() => target.cleanup());
  return target;
}
