import assert from 'node:assert/strict';
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import SqliteDatabase from 'better-sqlite3';
import { ensureBuilt, runCli, startServer, tempDir } from '../support/processes.js';

const ROOT_TOKEN = 'backup-test-root-token-0123456789abcdefg';

describe('latchkey backup, as an operator runs it', () => {
  before(() => ensureBuilt());

  it('copies the database while the server answers and logs requests, privately, and a server on the copy takes the same keys', async (t) => {
    const dir = tempDir(t);
    const file = join(dir, 'data', 'latchkey.db');
    const env = { LATCHKEY_DATABASE_URL: `sqlite:${file}`, LATCHKEY_ROOT_TOKEN: ROOT_TOKEN };
    const tenant = await runCli(['tenant', 'create', '--name', 'Acme', '--json'], env);
    assert.equal(tenant.code, 0, tenant.stderr);
    const tenantId = JSON.parse(tenant.stdout).id as string;
    const created = await runCli(['key', 'create', '--tenant', tenantId, '--name', 'prod-bot', '--env', 'production', '--json'], env);
    assert.equal(created.code, 0, created.stderr);
    const { secret } = JSON.parse(created.stdout) as { secret: string };
    // Made by Latchkey, the database and its folder are its user's alone.
    assert.equal(statSync(file).mode & 0o777, 0o600);
    assert.equal(statSync(join(dir, 'data')).mode & 0o777, 0o700);

    const server = await startServer(t, env);
    const limits = `${server.url}/api/v1/m2m/tenants/${tenantId}/limits`;
    // Requests keep coming while the copy is taken: the server writes request-log rows every second meanwhile.
    let calling = true;
    let answered = 0;
    const traffic = (async () => {
      while (calling) {
        const res = await fetch(limits, { headers: { 'x-api-key': secret } });
        await res.arrayBuffer();
        if (res.status === 200) answered++;
      }
    })();
    const copy = join(dir, 'backup.db');
    const backup = await runCli(['backup', copy, '--json'], env);
    calling = false;
    await traffic;
    assert.equal(backup.code, 0, backup.stderr);
    assert.ok(answered > 0);
    const summary = JSON.parse(backup.stdout) as { file: string; bytes: number; tenants: number; keys: number; migration: string };
    assert.equal(summary.file, copy);
    assert.equal(summary.tenants, 1);
    assert.equal(summary.keys, 1);
    assert.match(summary.migration, /^\d{3}/);
    assert.equal(summary.bytes, statSync(copy).size);
    assert.equal(statSync(`${file}-wal`).mode & 0o777, 0o600, "SQLite gives the server's -wal file the database's mode");
    assert.equal(statSync(copy).mode & 0o777, 0o600, 'the copy holds the HMAC key: its owner alone may read it');
    assert.equal(existsSync(`${copy}-wal`), false, 'one file, complete in itself');
    const rows = new SqliteDatabase(copy, { readonly: true });
    assert.equal((rows.prepare('select count(*) as n from api_keys').get() as { n: number }).n, 1);
    rows.close();
    assert.equal(await server.stop(), 0);

    // Restored: a server on the copy answers the same key.
    const restored = await startServer(t, { ...env, LATCHKEY_DATABASE_URL: `sqlite:${copy}` });
    const res = await fetch(`${restored.url}/api/v1/m2m/tenants/${tenantId}/limits`, { headers: { 'x-api-key': secret } });
    assert.equal(res.status, 200);
    assert.doesNotMatch(restored.output(), /other users of this machine can read/);
  });
});
