// Opens the database named by LATCHKEY_DATABASE_URL (SQLite file or PostgreSQL) as Kysely, and migrates it.
import { userInfo } from 'node:os';
import { setTimeout as delay } from 'node:timers/promises';
import SqliteDatabase from 'better-sqlite3';
import { Kysely, Migrator, PostgresAdapter, sql, type SqliteDatabase as SqliteDatabaseLike } from 'kysely';
import pg from 'pg';
import { migrationProvider } from './migrations/index.js';
import { LatchkeyPostgresDialect } from './postgres-dialect.js';
import { discardingTimedOutConnections } from './timed-out-connections.js';
import { createPrivately } from './private-file.js';
import type { Database } from './schema.js';
import { AsyncBusyWaitSqliteDialect } from './sqlite-busy-wait.js';

export type Dialect = 'sqlite' | 'postgres';

export interface OpenDatabase {
  db: Kysely<Database>;
  dialect: Dialect;
  /** The PostgreSQL schema in use when one was named; `undefined` for `public` and for SQLite. */
  schema: string | undefined;
  /** The SQLite file (another connection, e.g. a worker thread's, may open it); `undefined` otherwise. */
  sqliteFile: string | undefined;
  /** True when the database answers `select 1` within `timeoutMs` (for /readyz); never throws. */
  ping(timeoutMs?: number): Promise<boolean>;
  close(): Promise<void>;
}

export interface OpenOptions {
  /** PostgreSQL schema to use instead of `public` (tests give each run its own); created when missing. */
  schema?: string;
  poolSize?: number;
  /**
   * PostgreSQL: a query not answered within this many ms fails (and its request gets 503), instead of waiting
   * for TCP to give up on a frozen or unreachable server. Not for migrations, which may wait on another
   * node's migration lock for as long as that one takes.
   */
  queryTimeoutMs?: number;
}

/** A PostgreSQL identifier we can put in `search_path` and DDL without quoting rules getting in the way. */
export const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

const PING_TIMEOUT_MS = 2000;
const MIGRATION_LOCK_WAIT_MS = 60_000;
const SQLITE_BUSY_TIMEOUT_MS = 5000;

/**
 * Opens `sqlite:<path>`, `sqlite::memory:` or `postgres://...` (also `postgresql://`). Nothing connects
 * until the first query, so this never fails for an unreachable server (`ping()` tells).
 *
 * PostgreSQL: `postgres://user@host:5432/db?schema=name` keeps every table in schema `name` instead of
 * `public`; the schema is created on first use when missing (`options.schema` wins over the URL).
 * Without a user in the URL, `PGUSER` or the OS user connects, as `psql` would.
 *
 * @example
 * const database = openDatabase('postgres://127.0.0.1:5432/latchkey?schema=staging');
 * await migrate(database.db);
 */
export function openDatabase(url: string, options: OpenOptions = {}): OpenDatabase {
  if (url.startsWith('sqlite:')) return openSqlite(url.slice('sqlite:'.length));
  if (url.startsWith('postgres://') || url.startsWith('postgresql://')) return openPostgres(url, options);
  throw new Error(`unsupported database URL (use sqlite:<path> or postgres://...)`);
}

/** A unique or primary-key constraint refused a row (SQLite or PostgreSQL): two requests made the same thing at once. */
export function isUniqueViolation(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || code === '23505';
}

/**
 * A better-sqlite3 connection to `path` with the settings every Latchkey connection uses: WAL (readers never
 * wait for the writer), NORMAL sync, foreign keys, and a busy timeout while another connection writes. A new
 * file is made readable by its owner only.
 */
export function openSqliteConnection(path: string): SqliteDatabase.Database {
  if (path !== ':memory:') createPrivately(path);
  const sqlite = new SqliteDatabase(path, { timeout: SQLITE_BUSY_TIMEOUT_MS });
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('foreign_keys = ON');
  return sqlite;
}

function openSqlite(path: string): OpenDatabase {
  const sqlite = openSqliteConnection(path);
  // This connection serves requests: it waits for the write lock between turns of the event loop, not in SQLite.
  sqlite.pragma('busy_timeout = 0');
  const db = new Kysely<Database>({ dialect: new AsyncBusyWaitSqliteDialect({ database: withStatementCache(sqlite) }, SQLITE_BUSY_TIMEOUT_MS) });
  const sqliteFile = path === ':memory:' ? undefined : path;
  if (sqliteFile === undefined) return { db, dialect: 'sqlite', schema: undefined, sqliteFile, ping: (timeoutMs) => ping(db, timeoutMs), close: () => db.destroy() };
  const reader = new SqliteFileReader(sqliteFile);
  return { db, dialect: 'sqlite', schema: undefined, sqliteFile, ping: async () => reader.reads(), close: async () => { reader.close(); await db.destroy(); } };
}

/**
 * Tells /readyz whether the SQLite file can be read, on a connection of its own: the serving connection runs one
 * statement at a time, and a write waiting for a lock another process holds (the CLI, for up to 5 s) would keep
 * the check waiting and report the node down while it serves. In WAL mode a reader never waits for a writer.
 */
class SqliteFileReader {
  private connection: SqliteDatabase.Database | undefined;
  private closed = false;

  constructor(private readonly path: string) {}

  reads(): boolean {
    if (this.closed) return false;
    try {
      // timeout 0: a check that cannot read at once says so rather than block the event loop in SQLite's wait.
      this.connection ??= new SqliteDatabase(this.path, { readonly: true, fileMustExist: true, timeout: 0 });
      this.connection.prepare('select count(*) from sqlite_master').get();
      return true;
    } catch {
      // Opened again at the next check: the file may come back.
      this.connection?.close();
      this.connection = undefined;
      return false;
    }
  }

  close(): void {
    this.closed = true;
    this.connection?.close();
    this.connection = undefined;
  }
}

const STATEMENT_CACHE_SIZE = 256;

/**
 * Kysely prepares every query anew; a statement that is already prepared is reused instead, as long as
 * it is not still streaming rows. Compiling SQL is a large part of a small query's cost in better-sqlite3.
 */
function withStatementCache(sqlite: SqliteDatabase.Database): SqliteDatabaseLike {
  const statements = new Map<string, SqliteDatabase.Statement>();
  return {
    close: () => sqlite.close(),
    prepare(query: string) {
      const cached = statements.get(query);
      if (cached && !cached.busy) return cached;
      const statement = sqlite.prepare(query);
      if (!cached) {
        if (statements.size >= STATEMENT_CACHE_SIZE) statements.delete(statements.keys().next().value!);
        statements.set(query, statement);
      }
      return statement;
    },
  };
}

function openPostgres(url: string, options: OpenOptions): OpenDatabase {
  const parsed = new URL(url);
  const schema = options.schema ?? (parsed.searchParams.get('schema') || undefined);
  parsed.searchParams.delete('schema');
  if (!parsed.username) parsed.username = process.env.PGUSER ?? userInfo().username;
  if (schema !== undefined && !SCHEMA_NAME.test(schema)) {
    throw new Error(`invalid PostgreSQL schema name "${schema}" (use lower-case letters, digits and _, at most 63)`);
  }
  const connectionString = parsed.toString();
  const pool = new pg.Pool({
    connectionString,
    max: options.poolSize ?? 10,
    connectionTimeoutMillis: 5000,
    ...(options.queryTimeoutMs ? { query_timeout: options.queryTimeoutMs } : {}),
    ...(schema ? { options: `-c search_path=${schema}` } : {}),
  });
  // An idle client losing its connection (server restart) must not crash the process.
  pool.on('error', () => {});
  // Nor a client losing it during a query: the query rejects (503 for its request), and the client's own
  // 'error' event, which the pool listens to only while the client is idle, would be an uncaught exception.
  pool.on('connect', (client) => client.on('error', () => {}));
  const db = new Kysely<Database>({
    dialect: new LatchkeyPostgresDialect({
      // Kysely asks for the pool on first use and asks again if this throws, so a server that is
      // down at start-up is retried on the next query rather than remembered as broken.
      pool: async () => {
        if (schema) await ensureSchema(connectionString, schema);
        return discardingTimedOutConnections(pool);
      },
    }),
  });
  return {
    db,
    dialect: 'postgres',
    schema,
    sqliteFile: undefined,
    ping: (timeoutMs) => ping(db, timeoutMs),
    // Kysely ends the pool only if it was ever handed out.
    close: async () => {
      await db.destroy();
      if (!pool.ended) await pool.end();
    },
  };
}

/** Creates the schema with a one-off client, so no pooled connection ever sees a missing `search_path`. */
async function ensureSchema(connectionString: string, schema: string): Promise<void> {
  const client = new pg.Client({ connectionString, connectionTimeoutMillis: 5000 });
  client.on('error', () => {});
  await client.connect();
  try {
    // Asked first so that a role without CREATE on the database can use a schema made for it.
    const existing = await client.query('select 1 from pg_namespace where nspname = $1', [schema]);
    if (existing.rowCount !== 0) return;
    await client.query(`create schema if not exists "${schema}"`);
  } catch (error) {
    // Two nodes creating it at the same moment: the loser may see a duplicate despite `if not exists`.
    const code = (error as { code?: unknown }).code;
    if (code !== '23505' && code !== '42P06') throw error;
  } finally {
    await client.end().catch(() => {});
  }
}

async function ping(db: Kysely<Database>, timeoutMs = PING_TIMEOUT_MS): Promise<boolean> {
  const controller = new AbortController();
  const timeout = delay(timeoutMs, false, { signal: controller.signal, ref: false }).catch(() => false);
  try {
    // A hung server would keep the query waiting for the TCP timeout; /readyz must answer before that.
    return await Promise.race([sql`select 1`.execute(db).then(() => true, () => false), timeout]);
  } finally {
    controller.abort();
  }
}

/**
 * Applies pending migrations and returns the names applied. Nodes starting together take turns:
 * on PostgreSQL under Kysely's advisory lock, on SQLite inside one `BEGIN IMMEDIATE` transaction
 * (which also makes a failed migration leave nothing half done).
 */
export async function migrate(db: Kysely<Database>): Promise<string[]> {
  if (db.getExecutor().adapter instanceof PostgresAdapter) {
    // Kysely looks for its own tables in every schema unless told which one; a second Latchkey (or a
    // test run) in another schema of the same database would make it skip creating them here.
    const { rows } = await sql<{ schema: string | null }>`select current_schema() as schema`.execute(db);
    const schema = rows[0]?.schema ?? undefined;
    return runMigrator(new Migrator({ db, provider: migrationProvider, ...(schema ? { migrationTableSchema: schema } : {}) }));
  }
  return withSqliteWriteLock(db, () => runMigrator(new Migrator({ db, provider: migrationProvider })));
}

async function runMigrator(migrator: Migrator): Promise<string[]> {
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error instanceof Error ? error : new Error(String(error));
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

/**
 * Kysely takes no lock on SQLite (it assumes one connection), so two processes on one file would both
 * run the same migration. `BEGIN IMMEDIATE` holds the file's write lock; it is waited for longer than a
 * statement is (another node's migration may take a while), asynchronously, as every statement is.
 */
async function withSqliteWriteLock<T>(db: Kysely<Database>, run: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + MIGRATION_LOCK_WAIT_MS;
  for (;;) {
    try {
      await sql`begin immediate`.execute(db);
      break;
    } catch (error) {
      if ((error as { code?: unknown }).code !== 'SQLITE_BUSY' || Date.now() > deadline) throw error;
      await delay(20);
    }
  }
  try {
    const result = await run();
    await sql`commit`.execute(db);
    return result;
  } catch (error) {
    await sql`rollback`.execute(db).catch(() => {});
    throw error;
  }
}
