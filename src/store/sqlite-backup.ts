// A consistent copy of a SQLite database, taken while servers use it: `latchkey backup`.
import { closeSync, openSync, rmSync, statSync } from 'node:fs';
import SqliteDatabase from 'better-sqlite3';

/** How long the copy waits for a writer that holds the file (a migration, say) before it gives up. */
const BUSY_TIMEOUT_MS = 10_000;

export interface SqliteBackup {
  file: string;
  bytes: number;
  tenants: number;
  keys: number;
  /** The newest migration the copy has: a restored copy is migrated from there. */
  migration: string | null;
}

/** Why a backup was not made; nothing is left at the destination. */
export class BackupRefused extends Error {
  override name = 'BackupRefused';
}

/**
 * Copies the database at `source` into a new file at `destination` with `VACUUM INTO`: one read transaction, so the
 * copy is the database as it was at one moment while servers go on writing, compacted, and checked before it is
 * reported. The copy is readable by its owner only from its first byte (it holds the server's HMAC key), and an
 * existing file is never overwritten. A copy that fails is removed.
 */
export function backupSqlite(source: string, destination: string): SqliteBackup {
  createEmptyPrivately(destination);
  try {
    const sqlite = openExisting(source);
    try {
      sqlite.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
      if (sqlite.prepare("select 1 from sqlite_master where name = 'kysely_migration'").get() === undefined) {
        throw new BackupRefused(`${source} holds no Latchkey data yet (no migration has run on it)`);
      }
      sqlite.prepare('VACUUM INTO ?').run(destination);
    } finally {
      sqlite.close();
    }
    return describeCopy(destination);
  } catch (error) {
    rmSync(destination, { force: true });
    rmSync(`${destination}-journal`, { force: true });
    throw error;
  }
}

function openExisting(source: string): SqliteDatabase.Database {
  try {
    return new SqliteDatabase(source, { fileMustExist: true });
  } catch (error) {
    if ((error as { code?: string }).code === 'SQLITE_CANTOPEN') throw new BackupRefused(`there is no database at ${source} (LATCHKEY_DATABASE_URL)`);
    throw error;
  }
}

/** VACUUM INTO writes into a file that does not exist or is empty: an empty one made here decides its mode. */
function createEmptyPrivately(destination: string): void {
  try {
    closeSync(openSync(destination, 'wx', 0o600));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') throw new BackupRefused(`${destination} exists already; name a new file (a backup never overwrites one)`);
    if (code === 'ENOENT') throw new BackupRefused(`the folder of ${destination} does not exist`);
    if (code === 'EACCES' || code === 'EPERM') throw new BackupRefused(`cannot create ${destination}: permission denied`);
    throw error;
  }
}

function describeCopy(file: string): SqliteBackup {
  const copy = new SqliteDatabase(file, { readonly: true, fileMustExist: true });
  try {
    const check = copy.pragma('quick_check', { simple: true });
    if (check !== 'ok') throw new Error(`the copy failed SQLite's integrity check: ${String(check)}`);
    const count = (table: string) => (copy.prepare(`select count(*) as n from ${table}`).get() as { n: number }).n;
    const newest = copy.prepare('select name from kysely_migration order by name desc limit 1').get() as { name: string } | undefined;
    return { file, bytes: statSync(file).size, tenants: count('tenants'), keys: count('api_keys'), migration: newest?.name ?? null };
  } finally {
    copy.close();
  }
}
