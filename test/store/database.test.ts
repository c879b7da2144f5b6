import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { createServer, type Socket } from 'node:net';
import { after, describe, it } from 'node:test';
import { Migrator, sql } from 'kysely';
import { isUniqueViolation, migrate, openDatabase } from '../../src/store/database.js';
import { migrationProvider } from '../../src/store/migrations/index.js';
import { KeyStore } from '../../src/store/key-store.js';
import { openFor, postgresSkipReason, postgresTarget, TEST_DATABASE_URL, testDatabases, type TestDatabaseHandle } from '../support/databases.js';
import { RedisProxy } from '../support/redis.js';
import { startTestApp } from '../support/test-app.js';
import { insertTenant, keyRecord, NOW } from './records.js';

const migrationNames = Object.keys(await migrationProvider.getMigrations()).sort();

/** How many tables named `table` the database holds in the handle's schema (SQLite: in the file). */
async function tableCount(handle: Pick<TestDatabaseHandle, 'db' | 'dialect' | 'schema'>, table: string): Promise<number> {
  if (handle.dialect === 'sqlite') {
    const { rows } = await sql<{ n: number }>`select count(*) as n from sqlite_master where type = 'table' and name = ${table}`.execute(handle.db);
    return Number(rows[0]?.n);
  }
  const { rows } = await sql<{ n: string }>`select count(*) as n from information_schema.tables where table_schema = ${handle.schema} and table_name = ${table}`.execute(handle.db);
  return Number(rows[0]?.n);
}

for (const database of testDatabases()) {
  describe(`migrations on ${database.name}`, { skip: database.skip }, () => {
    it('applies every migration once; a second run applies none', async (t) => {
      const target = await database.target();
      t.after(() => target.cleanup());
      const handle = openDatabase(target.url);
      t.after(() => handle.close());
      assert.deepEqual(await migrate(handle.db), migrationNames);
      assert.deepEqual(await migrate(handle.db), []);
    });

    it('redacts the request-log paths stored with a secret the redaction of the time missed (007)', async (t) => {
      const target = await database.target();
      t.after(() => target.cleanup());
      const handle = openDatabase(target.url);
      t.after(() => handle.close());
      const schema = handle.dialect === 'sqlite' ? undefined : (await sql<{ schema: string }>`select current_schema() as schema`.execute(handle.db)).rows[0]?.schema;
      const migrator = new Migrator({ db: handle.db, provider: migrationProvider, ...(schema ? { migrationTableSchema: schema } : {}) });
      assert.equal((await migrator.migrateTo('006-membership-joined')).error, undefined);
      const body = 'Q3vx'.repeat(9) + 'Ab';
      const token = 'lkr_' + 'Zq8v'.repeat(10) + 'abc';
      const paths: [string, string][] = [
        [`/sites/s1/lk%5Flive%5F${body}`, '/sites/s1/lk_live_[redacted]'],
        [`/a/LK_LIVE_${body}/b`, '/a/LK_LIVE_[redacted]/b'],
        [`/v1/tenants/${token}`, '/v1/tenants/lkr_[redacted]'],
        ['/orders/100%25/latest_orders', '/orders/100%25/latest_orders'],
        ['/api/v1/m2m/tenants/ten_x/limits', '/api/v1/m2m/tenants/ten_x/limits'],
      ];
      const row = (id: string, path: string) => ({ id, at: '2026-12-01T00:00:00.000Z', tenant_id: 'ten_x', key_id: null, method: 'GET', path, status: 200, code: 'valid', latency_ms: 1, ip: null, environment: 'production' });
      await handle.db.insertInto('request_logs').values(paths.map(([path], i) => row(`req_${i}`, path))).execute();
      assert.deepEqual(await migrate(handle.db), ['007-redact-request-log-paths', '008-list-indexes', '009-key-expiry-notices']);
      const stored = await handle.db.selectFrom('request_logs').select(['id', 'path']).orderBy('id').execute();
      assert.deepEqual(stored.map((r) => r.path), paths.map(([, redacted]) => redacted));
    });

    it('lets two openers migrate one fresh database at once: both succeed, each migration runs once', async (t) => {
      const target = await database.target();
      t.after(() => target.cleanup());
      const first = openDatabase(target.url);
      const second = openDatabase(target.url);
      t.after(() => first.close());
      t.after(() => second.close());

      const [a, b] = await Promise.all([migrate(first.db), migrate(second.db)]);
      assert.deepEqual([...a, ...b].sort(), migrationNames, `each migration applied by exactly one of them (${a} | ${b})`);
      const applied = await sql<{ name: string }>`select name from kysely_migration order by name`.execute(first.db);
      assert.deepEqual(applied.rows.map((r) => r.name), migrationNames);
      for (const table of ['tenants', 'api_keys', 'audit_log', 'change_feed']) assert.equal(await tableCount(first, table), 1, table);

      const tenant = await insertTenant(first.db);
      const { key } = keyRecord(tenant.id);
      await new KeyStore(first.db).insert(key);
      assert.deepEqual(await new KeyStore(second.db).findById(key.id), key, 'both see the same tables');
    });

    it('pings true while the database answers and false once closed, without throwing', async (t) => {
      const handle = await database.open();
      let closed = false;
      t.after(async () => {
        if (!closed) await handle.cleanup();
      });
      assert.equal(await handle.ping(), true);
      await handle.cleanup();
      closed = true;
      assert.equal(await handle.ping(), false);
    });

    it('tells a unique or primary-key violation from other errors (a race becomes 409, anything else stays an error)', async (t) => {
      const { db } = await openFor(t, database);
      const tenant = await insertTenant(db);
      const duplicate = await insertTenant(db, { id: tenant.id }).then(() => undefined, (error: unknown) => error);
      assert.ok(duplicate, 'the second insert of one id fails');
      assert.equal(isUniqueViolation(duplicate), true);
      const user = { id: 'usr_1', email: 'ada@example.com', phone: null, created_at: NOW };
      await db.insertInto('users').values(user).execute();
      const sameEmail = await db.insertInto('users').values({ ...user, id: 'usr_2' }).execute().then(() => undefined, (error: unknown) => error);
      assert.equal(isUniqueViolation(sameEmail), true);
      const other = await sql`select * from no_such_table`.execute(db).then(() => undefined, (error: unknown) => error);
      assert.ok(other);
      assert.equal(isUniqueViolation(other), false);
      assert.equal(isUniqueViolation(undefined), false);
    });

    it('keeps integers, nulls and JSON text as written', async (t) => {
      const { db } = await openFor(t, database);
      await db
        .insertInto('request_logs')
        .values({ id: 'log_1', at: NOW, tenant_id: 'ten_1', key_id: null, method: 'GET', path: '/x', status: 429, code: 'rate_limited', latency_ms: 0.123456789012, ip: null, environment: 'production' })
        .execute();
      const row = await db.selectFrom('request_logs').selectAll().executeTakeFirstOrThrow();
      assert.deepEqual(row, { id: 'log_1', at: NOW, tenant_id: 'ten_1', key_id: null, method: 'GET', path: '/x', status: 429, code: 'rate_limited', latency_ms: 0.123456789012, ip: null, environment: 'production' });
    });
  });
}

describe('PostgreSQL connection loss', { skip: postgresSkipReason() }, () => {
  it('rejects a query whose connection is lost midway, without an uncaught exception, and answers again after', async (t) => {
    // A TCP proxy in front of PostgreSQL whose connections the test can cut.
    const proxy = await RedisProxy.start(t, TEST_DATABASE_URL);
    const url = new URL(TEST_DATABASE_URL);
    url.port = new URL(proxy.url).port;
    const database = openDatabase(url.toString());
    t.after(() => database.close());
    const uncaught: unknown[] = [];
    const onUncaught = (error: unknown) => uncaught.push(error);
    process.on('uncaughtException', onUncaught);
    t.after(() => void process.off('uncaughtException', onUncaught));

    const slow = sql`select pg_sleep(5)`.execute(database.db);
    await new Promise((resolve) => setTimeout(resolve, 300));
    await proxy.stop();
    await assert.rejects(slow, /Connection terminated/);
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(uncaught, []);
    await proxy.start();
    assert.equal(await database.ping(), true, 'a new connection serves the next query');
  });

  it('with queryTimeoutMs, fails a query the server does not answer instead of waiting for ever', { timeout: 30_000 }, async (t) => {
    const proxy = await RedisProxy.start(t, TEST_DATABASE_URL);
    const url = new URL(TEST_DATABASE_URL);
    url.port = new URL(proxy.url).port;
    const database = openDatabase(url.toString(), { queryTimeoutMs: 300 });
    t.after(() => proxy.stop().then(() => database.close()));
    assert.equal(await database.ping(), true);
    // The proxy keeps the connection but forwards nothing more: a frozen server, or a network that drops packets.
    proxy.hang();
    await assert.rejects(sql`select 1`.execute(database.db), /Query read timeout/);
  });

  it('drops a connection whose query timed out, so that queries work again once the network does', { timeout: 30_000 }, async (t) => {
    const proxy = await RedisProxy.start(t, TEST_DATABASE_URL);
    const url = new URL(TEST_DATABASE_URL);
    url.port = new URL(proxy.url).port;
    // One connection: the timed-out one would be the only one the pool has to hand out again.
    const database = openDatabase(url.toString(), { queryTimeoutMs: 300, poolSize: 1 });
    t.after(() => proxy.stop().then(() => database.close()));
    assert.equal(await database.ping(), true);
    // Bytes lost on a link that stays up (a failover, a dropped NAT entry): the query is never answered.
    proxy.hang();
    await assert.rejects(sql`select 1`.execute(database.db), /Query read timeout/);
    proxy.resume();
    for (let i = 0; i < 3; i++) {
      const { rows } = await sql<{ n: number }>`select ${i}::int as n`.execute(database.db);
      assert.deepEqual(rows, [{ n: i }], `query ${i} after the network healed`);
    }
  });
});

describe('the schema on every dialect', () => {
  it('has the same tables, columns, nullability, type families and indexes', async (t) => {
    const shapes = new Map<string, unknown>();
    for (const database of testDatabases()) {
      if (database.skip) continue;
      const handle = await openFor(t, database);
      shapes.set(database.name, await shapeOf(handle));
    }
    const [first, ...others] = [...shapes.entries()];
    assert.ok(first, 'at least SQLite runs');
    assert.ok((first[1] as { tables: unknown[] }).tables.length >= 9);
    for (const [name, shape] of others) assert.deepEqual(shape, first[1], `${name} differs from ${first[0]}`);
  });
});

const typeFamilies: Record<string, string> = {
  text: 'text', int4: 'integer', integer: 'integer', int8: 'integer', bigint: 'integer', float8: 'double', 'double precision': 'double',
  varchar: 'text', 'varchar(255)': 'text',
};

async function shapeOf(handle: TestDatabaseHandle): Promise<unknown> {
  const tables = (await handle.db.introspection.getTables()).filter((table) => table.schema === handle.schema);
  const shape = tables
    .map((table) => ({
      table: table.name,
      columns: table.columns.map((c) => [c.name, typeFamilies[c.dataType.toLowerCase()] ?? c.dataType, c.isNullable ? 'null' : 'not null']),
    }))
    .sort((a, b) => a.table.localeCompare(b.table));
  // Indexes made by createIndex only: those behind constraints are sqlite_autoindex_* on one side, constraint names on the other.
  const indexes =
    handle.dialect === 'sqlite'
      ? (await sql<{ name: string }>`select name from sqlite_master where type = 'index' and sql is not null`.execute(handle.db)).rows
      : (
          await sql<{ name: string }>`select indexname as name from pg_indexes where schemaname = ${handle.schema} and indexname not in
            (select c.conname from pg_constraint c join pg_namespace n on n.oid = c.connamespace where n.nspname = ${handle.schema})`.execute(handle.db)
        ).rows;
  return { tables: shape, indexes: indexes.map((i) => i.name).sort() };
}

describe('migrations are frozen in time', () => {
  it('import nothing but types from kysely', () => {
    const dir = new URL('../../src/store/migrations/', import.meta.url);
    for (const file of readdirSync(dir).filter((f) => /^\d+-.*\.ts$/.test(f))) {
      const source = readFileSync(new URL(file, dir), 'utf8');
      const imports = [...source.matchAll(/^\s*import\s+(type\s+)?[^;]*?from\s+'([^']+)'/gm)].map((m) => `${m[1] ? 'type ' : ''}${m[2]}`);
      assert.deepEqual([...new Set(imports)], ['type kysely'], file);
    }
  });
});

describe('openDatabase', () => {
  it('refuses a URL of another kind', () => {
    assert.throws(() => openDatabase('mysql://127.0.0.1/db'), /unsupported database URL/);
  });

  it('refuses schema names that are not plain lower-case identifiers, before connecting', () => {
    for (const schema of ['Public', '1abc', 'a-b', 'a;drop schema public', `a${'b'.repeat(63)}`, 'sch"ema']) {
      assert.throws(() => openDatabase(`postgres://127.0.0.1:1/db?schema=${encodeURIComponent(schema)}`), /invalid PostgreSQL schema name/, schema);
      assert.throws(() => openDatabase('postgres://127.0.0.1:1/db', { schema }), /invalid PostgreSQL schema name/, schema);
    }
  });

  it('pings false, within its timeout, for a server that refuses or never answers', async (t) => {
    const sockets = new Set<Socket>();
    const silent = createServer((socket) => sockets.add(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    t.after(() => {
      for (const socket of sockets) socket.destroy();
      return new Promise<void>((resolve) => silent.close(() => resolve()));
    });
    const port = (silent.address() as { port: number }).port;

    const hung = openDatabase(`postgres://127.0.0.1:${port}/test`);
    t.after(() => hung.close());
    const started = Date.now();
    assert.equal(await hung.ping(300), false);
    assert.ok(Date.now() - started < 4000, 'answered before the connection timeout');

    const refused = openDatabase('postgres://127.0.0.1:1/test?schema=lk_never_made');
    t.after(() => refused.close());
    assert.equal(await refused.ping(), false);
  });
});

describe('PostgreSQL schemas', { skip: postgresSkipReason() }, () => {
  const made: string[] = [];
  const freshName = () => {
    const schema = `lk_test_${randomBytes(6).toString('hex')}`;
    made.push(schema);
    return schema;
  };
  after(async () => {
    const handle = openDatabase(TEST_DATABASE_URL);
    for (const schema of made) await sql.raw(`drop schema if exists "${schema}" cascade`).execute(handle.db);
    await handle.close();
  });

  const schemaExists = async (schema: string) => {
    const handle = openDatabase(TEST_DATABASE_URL);
    try {
      const { rows } = await sql<{ n: string }>`select count(*) as n from pg_namespace where nspname = ${schema}`.execute(handle.db);
      return Number(rows[0]?.n) === 1;
    } finally {
      await handle.close();
    }
  };

  it('creates the ?schema= of the URL on first use and keeps every table there', async (t) => {
    const schema = freshName();
    const url = new URL(TEST_DATABASE_URL);
    url.searchParams.set('schema', schema);
    const handle = openDatabase(url.toString());
    t.after(() => handle.close());
    assert.equal(handle.schema, schema);
    assert.equal(await schemaExists(schema), false, 'opening alone connects to nothing');

    await migrate(handle.db);
    assert.equal(await schemaExists(schema), true);
    for (const table of ['tenants', 'api_keys', 'kysely_migration', 'kysely_migration_lock']) assert.equal(await tableCount(handle, table), 1, table);
    const { rows } = await sql<{ schema: string }>`select current_schema() as schema`.execute(handle.db);
    assert.equal(rows[0]?.schema, schema);

    const seen = await handle.db.introspection.getTables();
    assert.ok(seen.every((table) => table.schema === schema), 'introspection sees only the schema in use');
    assert.ok(seen.some((table) => table.name === 'api_keys'));
    assert.ok(!seen.some((table) => table.name.startsWith('kysely_')), 'Kysely’s own tables only when asked for');
    const withInternal = await handle.db.introspection.getTables({ withInternalKyselyTables: true });
    assert.ok(withInternal.some((table) => table.name === 'kysely_migration'));
  });

  it('takes options.schema over the URL’s', async (t) => {
    const chosen = freshName();
    const ignored = freshName();
    const url = new URL(TEST_DATABASE_URL);
    url.searchParams.set('schema', ignored);
    const handle = openDatabase(url.toString(), { schema: chosen });
    t.after(() => handle.close());
    assert.equal(await handle.ping(), true);
    assert.equal(await schemaExists(chosen), true);
    assert.equal(await schemaExists(ignored), false);
  });

  it('lets several openers create one missing schema at the same moment', async (t) => {
    const schema = freshName();
    const handles = Array.from({ length: 4 }, () => openDatabase(TEST_DATABASE_URL, { schema }));
    for (const handle of handles) t.after(() => handle.close());
    assert.deepEqual(await Promise.all(handles.map((h) => h.ping(5000))), [true, true, true, true]);
  });

  it('migrates a schema even when another schema of the database already holds Latchkey’s tables', async (t) => {
    const one = openDatabase(TEST_DATABASE_URL, { schema: freshName() });
    const two = openDatabase(TEST_DATABASE_URL, { schema: freshName() });
    t.after(() => one.close());
    t.after(() => two.close());
    assert.deepEqual(await migrate(one.db), migrationNames);
    assert.deepEqual(await migrate(two.db), migrationNames, 'the second schema is migrated on its own');
    assert.equal(await tableCount(two, 'api_keys'), 1);
  });

  it('migrates while other schemas of the database come and go', async (t) => {
    const churn = openDatabase(TEST_DATABASE_URL);
    t.after(() => churn.close());
    let stop = false;
    const churning = (async () => {
      // Schemas with tables, dropped right away: what parallel test runs do to a shared database.
      for (let i = 0; !stop; i++) {
        const schema = freshName();
        await sql.raw(`create schema "${schema}"; create table "${schema}".t (id text, n integer)`).execute(churn.db);
        await sql.raw(`drop schema "${schema}" cascade`).execute(churn.db);
      }
    })();
    try {
      for (let i = 0; i < 8; i++) {
        const handle = openDatabase(TEST_DATABASE_URL, { schema: freshName() });
        try {
          assert.deepEqual(await migrate(handle.db), migrationNames);
        } finally {
          await handle.close();
        }
      }
    } finally {
      stop = true;
      await churning;
    }
  });

  it('counts come back as numbers although PostgreSQL sends bigint as text', async (t) => {
    const handle = await openFor(t, testDatabases().find((d) => d.name === 'postgres')!);
    const tenant = await insertTenant(handle.db);
    await new KeyStore(handle.db).insert(keyRecord(tenant.id).key);
    const raw = await sql<{ n: unknown }>`select count(*) as n from api_keys`.execute(handle.db);
    assert.equal(typeof raw.rows[0]?.n, 'string', 'the driver really does send text');
    assert.equal(await new KeyStore(handle.db).countLive(tenant.id, NOW), 1);
  });
});

describe('LATCHKEY_DATABASE_POOL_SIZE', { skip: postgresSkipReason() }, () => {
  it("bounds the node's PostgreSQL connections: six queries at once share two", async (t) => {
    const target = await postgresTarget();
    t.after(() => target.cleanup());
    const { services } = await startTestApp(t, { LATCHKEY_DATABASE_URL: target.url, LATCHKEY_DATABASE_POOL_SIZE: '2' });
    const pids = await Promise.all(
      Array.from({ length: 6 }, async () => (await sql<{ pid: number }>`select pg_backend_pid() as pid, pg_sleep(0.1)`.execute(services.database.db)).rows[0]!.pid),
    );
    assert.equal(new Set(pids).size, 2);
  });
});
