// A consistent copy of a SQLite database, taken while servers use it: `latchkey backup`.
import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, linkSync, openSync, renameSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import SqliteDatabase from 'better-sqlite3';

/** How long the copy waits for a writer that holds the file (a migration, say) before it gives up. */
const BUSY_TIMEOUT_MS = 10_000;
/** Files SQLite keeps beside a database: a backup there would be taken for one of them (and deleted). */
const COMPANION_SUFFIXES = ['', '-wal', '-shm', '-journal'];

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
 * reported. It is written under a temporary name beside the destination and takes the destination's name only once
 * checked, so a file at that name is always a whole backup: a failed copy is removed, and one cut short (Ctrl-C) is
 * left under its temporary name (`.<name>.partial-…`). The copy is readable by its owner only from its first byte
 * (it holds the server's HMAC key), and an existing file is never overwritten.
 */
export function backupSqlite(source: string, destination: string): SqliteBackup {
  refuseDestination(source, destination);
  const partial = join(dirname(destination), `.${basename(destination)}.partial-${randomBytes(4).toString('hex')}`);
  createEmptyPrivately(partial, destination);
  try {
    const sqlite = openExisting(source);
    try {
      sqlite.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
      if (sqlite.prepare("select 1 from sqlite_master where name = 'kysely_migration'").get() === undefined) {
        throw new BackupRefused(`${source} holds no Latchkey data yet (no migration has run on it)`);
      }
      sqlite.prepare('VACUUM INTO ?').run(partial);
    } finally {
      sqlite.close();
    }
    const backup = describeCopy(partial);
    nameCopy(partial, destination);
    return { ...backup, file: destination };
  } finally {
    rmSync(partial, { force: true });
    rmSync(`${partial}-journal`, { force: true });
  }
}

function refuseDestination(source: string, destination: string): void {
  const target = resolve(destination);
  if (COMPANION_SUFFIXES.some((suffix) => resolve(`${source}${suffix}`) === target)) {
    throw new BackupRefused(`${destination} is the database itself or a file SQLite keeps beside it; name a file elsewhere`);
  }
  if (existsSync(destination)) throw new BackupRefused(`${destination} exists already; name a new file (a backup never overwrites one)`);
}

function openExisting(source: string): SqliteDatabase.Database {
  if (!existsSync(source)) throw new BackupRefused(`there is no database at ${source} (LATCHKEY_DATABASE_URL)`);
  try {
    return new SqliteDatabase(source, { fileMustExist: true });
  } catch (error) {
    if ((error as { code?: string }).code === 'SQLITE_CANTOPEN') throw new BackupRefused(`cannot open the database at ${source}: ${(error as Error).message}`);
    throw error;
  }
}

/** VACUUM INTO writes into a file that does not exist or is empty: an empty one made here decides its mode. */
function createEmptyPrivately(path: string, destination: string): void {
  try {
    closeSync(openSync(path, 'wx', 0o600));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new BackupRefused(`the folder of ${destination} does not exist`);
    if (code === 'EACCES' || code === 'EPERM') throw new BackupRefused(`cannot create ${destination}: permission denied`);
    throw error;
  }
}

/**
 * Gives the checked copy the destination's name. A hard link never replaces a file that appeared there meanwhile;
 * a file system without hard links gets a rename, after one more look.
 */
function nameCopy(partial: string, destination: string): void {
  try {
    linkSync(partial, destination);
    return;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') throw new BackupRefused(`${destination} exists already; name a new file (a backup never overwrites one)`);
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP' && code !== 'ENOSYS') throw error;
  }
  if (existsSync(destination)) throw new BackupRefused(`${destination} exists already; name a new file (a backup never overwrites one)`);
  renameSync(partial, destination);
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
