// A SQLite server waits for another connection's write lock between turns of its event loop: requests that do
// not write are answered meanwhile, and a write that waits in vain fails as SQLite's own wait would.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import SqliteDatabase from 'better-sqlite3';
import { Kysely, sql } from 'kysely';
import { openSqliteConnection } from '../../src/store/database.js';
import { AsyncBusyWaitSqliteDialect } from '../../src/store/sqlite-busy-wait.js';
import { tempDir } from '../support/processes.js';
import { createKey, createTenant, startTestApp } from '../support/test-app.js';

describe('SQLite: waiting for the write lock', () => {
  it('answers machine requests while a management write waits for a lock another process holds, then makes the write', async (t) => {
    const app = await startTestApp(t);
    const tenant = await createTenant(app);
    const { key, secret } = await createKey(app, tenant.id);
    const limits = `/api/v1/m2m/tenants/${tenant.id}/limits`;
    assert.equal((await app.machine(limits, secret)).statusCode, 200, 'the key is cached');

    // Another process (the CLI, say) in a long write transaction.
    const other = new SqliteDatabase(join(app.dir, 'latchkey.db'));
    t.after(() => other.close());
    other.exec('BEGIN IMMEDIATE');
    let renameSettled = false;
    const rename = app.root('PATCH', `/v1/tenants/${tenant.id}/keys/${key.id}`, { name: 'renamed' }).finally(() => (renameSettled = true));
    await new Promise((resolve) => setTimeout(resolve, 100));

    const meanwhile = await app.machine(limits, secret);
    assert.equal(meanwhile.statusCode, 200);
    assert.equal(renameSettled, false, 'the write still waits for the lock: the event loop was not held by it');
    const ready = await app.app.inject({ url: '/readyz' });
    assert.equal(ready.statusCode, 200, 'the file reads: a load balancer must not drop the node while the CLI writes');
    assert.equal(renameSettled, false, 'the readiness check did not wait for the write either');

    other.exec('COMMIT');
    const renamed = await rename;
    assert.equal(renamed.statusCode, 200, renamed.body);
    assert.equal(renamed.json().name, 'renamed');
  });

  it('gives up after its wait with SQLITE_BUSY, and keeps serving the thread meanwhile', async (t) => {
    const file = join(tempDir(t), 'busy.db');
    const sqlite = openSqliteConnection(file);
    sqlite.pragma('busy_timeout = 0');
    const db = new Kysely<{ notes: { text: string } }>({ dialect: new AsyncBusyWaitSqliteDialect({ database: sqlite }, 300) });
    t.after(() => db.destroy());
    await sql`create table notes (text text)`.execute(db);
    const other = new SqliteDatabase(file);
    t.after(() => other.close());
    other.exec('BEGIN IMMEDIATE');

    let turns = 0;
    const ticker = setInterval(() => turns++, 10);
    t.after(() => clearInterval(ticker));
    await assert.rejects(db.insertInto('notes').values({ text: 'x' }).execute(), (error: { code?: string }) => error.code === 'SQLITE_BUSY');
    assert.ok(turns > 0, 'timers ran while the insert waited');

    other.exec('COMMIT');
    await db.insertInto('notes').values({ text: 'y' }).execute();
    assert.deepEqual(await db.selectFrom('notes').select('text').execute(), [{ text: 'y' }]);
  });
});
