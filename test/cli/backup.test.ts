import assert from 'node:assert/strict';
import { chmodSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { describe, it } from 'node:test';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/logger.js';
import { buildServices } from '../../src/services.js';
import { cliWorld, lines } from './cli-harness.js';

describe('latchkey backup', () => {
  it('says what it copied, and how to restore it', async (t) => {
    const world = cliWorld(t);
    assert.equal((await world.run(['tenant', 'create', '--name', 'Acme'])).code, 0);
    const copy = join(world.dir, 'copy.db');
    const run = await world.run(['backup', copy]);
    assert.equal(run.code, 0, run.stderr);
    const [done, secret, restore] = lines(run.stdout);
    assert.match(done ?? '', new RegExp(`^Backed up .*latchkey\\.db to ${copy}: \\d+\\.\\d KiB, 1 tenant, 0 keys; integrity checked\\.$`));
    assert.match(secret ?? '', /HMAC key/);
    assert.match(restore ?? '', /^To restore: stop every server, replace .*latchkey\.db with the copy \(and delete .*-wal and .*-shm\), start\.$/);
  });

  it('never overwrites a file, and refuses a missing folder, a database that is not there or never migrated, and PostgreSQL, leaving nothing behind', async (t) => {
    const world = cliWorld(t);
    assert.equal((await world.run(['migrate'])).code, 0);
    const existing = join(world.dir, 'keep.db');
    writeFileSync(existing, 'not to be lost');
    const overwrite = await world.run(['backup', existing, '--json']);
    assert.equal(overwrite.code, 1);
    assert.deepEqual(overwrite.error(), { code: 'failed', details: `${existing} exists already; name a new file (a backup never overwrites one)` });
    assert.equal(readFileSync(existing, 'utf8'), 'not to be lost');

    // SQLite would take a copy named like the database's own files for one of them, and delete it at the next start.
    for (const suffix of ['', '-journal', '-wal', '-shm']) {
      const own = await world.run(['backup', join(world.dir, `latchkey.db${suffix}`)]);
      assert.equal(own.code, 1, suffix);
      assert.match(own.stderr, /is the database itself or a file SQLite keeps beside it; name a file elsewhere\n$/, suffix);
    }

    const nowhere = await world.run(['backup', join(world.dir, 'no', 'such', 'folder', 'copy.db')]);
    assert.equal(nowhere.code, 1);
    assert.match(nowhere.stderr, /^latchkey: the folder of .*copy\.db does not exist\n$/);

    const before = readdirSync(world.dir).sort();
    const missing = await world.run(['backup', join(world.dir, 'copy.db')], { LATCHKEY_DATABASE_URL: `sqlite:${join(world.dir, 'nothing-here.db')}` });
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /there is no database at .*nothing-here\.db/);
    assert.deepEqual(readdirSync(world.dir).sort(), before, 'neither a copy nor an empty database is left');

    writeFileSync(join(world.dir, 'empty.db'), '');
    const empty = await world.run(['backup', join(world.dir, 'copy.db')], { LATCHKEY_DATABASE_URL: `sqlite:${join(world.dir, 'empty.db')}` });
    assert.equal(empty.code, 1);
    assert.match(empty.stderr, /empty\.db holds no Latchkey data yet/);
    assert.deepEqual(readdirSync(world.dir).sort(), [...before, 'empty.db'].sort());

    const postgres = await world.run(['backup', join(world.dir, 'copy.db'), '--json'], { LATCHKEY_DATABASE_URL: 'postgres://127.0.0.1:5432/test' });
    assert.equal(postgres.code, 1);
    assert.equal(postgres.error().code, 'unsupported');
    assert.match(postgres.error().details, /pg_dump/);
  });

  it('warns at start when other users of the machine can read the database file', async (t) => {
    const world = cliWorld(t);
    assert.equal((await world.run(['migrate'])).code, 0);
    const file = join(world.dir, 'latchkey.db');
    assert.equal(statSync(file).mode & 0o777, 0o600, 'made private');
    const startWith = async () => {
      let logged = '';
      const sink = new Writable({ write: (chunk: Buffer, _encoding, done) => ((logged += chunk.toString()), done()) });
      const services = await buildServices(loadConfig(world.env), { logger: createLogger('info', sink) });
      await services.close();
      return logged;
    };
    assert.doesNotMatch(await startWith(), /other users/);
    chmodSync(file, 0o644); // as made by an earlier version, under a common umask
    const warned = (await startWith()).split('\n').filter((line) => line.includes('other users of this machine can read the database file'));
    assert.equal(warned.length, 1);
    assert.match(warned[0] ?? '', /"mode":"644"/);
    assert.match(warned[0] ?? '', /chmod 600 /);
  });
});
