import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { effectiveStatus, type KeyStatus } from '../../src/core/api-key.js';
import { sha256Hex } from '../../src/core/digest.js';
import { LatchkeyError } from '../../src/core/errors.js';
import { KeyStore } from '../../src/store/key-store.js';
import { openFor, testDatabases } from '../support/databases.js';
import { at, EARLIER, insertTenant, keyRecord, LATER, NOW } from './records.js';

const isInvalidRequest = (error: unknown) => error instanceof LatchkeyError && error.code === 'invalid_request';

for (const database of testDatabases()) {
  describe(`KeyStore on ${database.name}`, { skip: database.skip }, () => {
    it('reads back every field it wrote: JSON columns, nulls, times', async (t) => {
      const { db } = await openFor(t, database);
      const store = new KeyStore(db);
      const tenant = await insertTenant(db);
      const full = keyRecord(tenant.id, {
        name: 'Ünïcode ключ "quoted"',
        environment: 'staging',
        scopes: ['sites:read', 'customers:write'],
        rateLimit: { requestsPerMinute: 250, burst: 400 },
        allowedIps: ['10.0.0.0/8', '2001:db8::/32', '192.0.2.7/32'],
        customerIds: ['cus_1', 'cus_2'],
        expiresAt: '2027-01-01T00:00:00.123Z',
        status: 'inactive',
        createdBy: 'usr_abc',
        revokedAt: null,
        lastUsedAt: '2026-02-28T23:59:59.999Z',
        lastUsedIp: '2001:db8::1',
        rotatedFrom: 'key_previous',
        rotatedTo: 'key_next',
        meta: { team: 'billing', nested: { depth: [1, 2, { ok: true }] }, none: null, emoji: '🔑' },
      }).key;
      const bare = keyRecord(tenant.id, { expiresAt: null }).key;
      await store.insert(full);
      await store.insert(bare);

      assert.deepEqual(await store.find(tenant.id, full.id), full);
      assert.deepEqual(await store.find(tenant.id, bare.id), bare);
      assert.deepEqual(await store.findById(full.id), full);
      const row = await store.find(tenant.id, full.id);
      assert.equal(typeof row?.rateLimit.requestsPerMinute, 'number', 'integer columns come back as numbers');
    });

    it('finds a key only in its own tenant', async (t) => {
      const { db } = await openFor(t, database);
      const store = new KeyStore(db);
      const mine = await insertTenant(db);
      const other = await insertTenant(db);
      const { key } = keyRecord(mine.id);
      await store.insert(key);
      assert.equal(await store.find(other.id, key.id), undefined);
      assert.equal(await store.find(mine.id, 'key_missing'), undefined);
      assert.equal(await store.findById('key_missing'), undefined);
    });

    it('updates each field and can set nullable ones back to null', async (t) => {
      const { db } = await openFor(t, database);
      const store = new KeyStore(db);
      const tenant = await insertTenant(db);
      const { key } = keyRecord(tenant.id, { lastUsedAt: EARLIER, lastUsedIp: '192.0.2.1', rotatedFrom: 'key_a' });
      await store.insert(key);

      const changed = {
        name: 'Renamed',
        environment: 'development' as const,
        digest: sha256Hex('another secret'),
        start: 'lk_dev_AbCd',
        end: 'WxYz',
        scopes: ['reports:read'],
        rateLimit: { requestsPerMinute: 7, burst: 9 },
        allowedIps: ['198.51.100.0/24'],
        customerIds: ['cus_9'],
        expiresAt: null,
        status: 'revoked' as const,
        updatedAt: NOW,
        revokedAt: NOW,
        lastUsedAt: null,
        lastUsedIp: null,
        rotatedFrom: null,
        rotatedTo: 'key_b',
        meta: { moved: true },
      };
      await store.update(key.id, changed);
      assert.deepEqual(await store.find(tenant.id, key.id), { ...key, ...changed });

      await store.update(key.id, { name: 'Only the name' });
      assert.deepEqual(await store.find(tenant.id, key.id), { ...key, ...changed, name: 'Only the name' });

      await store.update(key.id, {});
      assert.deepEqual(await store.find(tenant.id, key.id), { ...key, ...changed, name: 'Only the name' }, 'an empty change is a no-op');
    });

    it('finds a key by digest together with its tenant', async (t) => {
      const { db } = await openFor(t, database);
      const store = new KeyStore(db);
      const tenant = await insertTenant(db, { name: 'Globex', plan: 'pro', status: 'suspended', keyPrefix: 'gx', updatedAt: NOW });
      const { key, secret } = keyRecord(tenant.id);
      await store.insert(key);

      assert.deepEqual(await store.findByDigest(sha256Hex(secret)), { key, tenant });
      assert.equal(await store.findByDigest(sha256Hex(`${secret}x`)), undefined);

      // The lookup is compiled once and reused: each call, and calls in flight together, get their own key.
      const acme = await insertTenant(db, { name: 'Acme', updatedAt: NOW });
      const other = keyRecord(acme.id, { name: 'Other' }, 'development');
      await store.insert(other.key);
      const found = await Promise.all([other.secret, secret, other.secret].map((s) => store.findByDigest(sha256Hex(s))));
      assert.deepEqual(found, [{ key: other.key, tenant: acme }, { key, tenant }, { key: other.key, tenant: acme }]);
    });

    it('stores the digest and display hint of a key, never the secret', async (t) => {
      const { db } = await openFor(t, database);
      const tenant = await insertTenant(db);
      const { key, secret } = keyRecord(tenant.id);
      await new KeyStore(db).insert(key);

      const row = await db.selectFrom('api_keys').selectAll().where('id', '=', key.id).executeTakeFirstOrThrow();
      const stored = JSON.stringify(row);
      const hidden = secret.slice(secret.lastIndexOf('_') + 5, -4);
      assert.equal(stored.includes(secret), false);
      assert.equal(stored.includes(hidden), false, 'not even the part between the hints');
      assert.equal(row.digest, sha256Hex(secret));
      assert.equal(row.hint_start, secret.slice(0, secret.lastIndexOf('_') + 5));
      assert.equal(row.hint_end, secret.slice(-4));
    });

    it('refuses a second key with the same digest', async (t) => {
      const { db } = await openFor(t, database);
      const store = new KeyStore(db);
      const tenant = await insertTenant(db);
      const first = keyRecord(tenant.id).key;
      await store.insert(first);
      await assert.rejects(store.insert({ ...keyRecord(tenant.id).key, digest: first.digest }));
      const page = await store.list(tenant.id, { limit: 10 }, {}, NOW);
      assert.deepEqual(page.data.map((k) => k.id), [first.id]);
    });

    it('filters by effective status at `now`, as effectiveStatus decides it', async (t) => {
      const { db } = await openFor(t, database);
      const store = new KeyStore(db);
      const tenant = await insertTenant(db);
      const variants: Array<[string, KeyStatus, string | null]> = [
        ['active', 'active', LATER],
        ['active-forever', 'active', null],
        ['active-expired', 'active', EARLIER],
        ['active-expires-now', 'active', NOW],
        ['inactive', 'inactive', LATER],
        ['inactive-expired', 'inactive', at(-1)],
        ['stored-expired', 'expired', EARLIER],
        ['revoked', 'revoked', LATER],
        ['revoked-expired', 'revoked', EARLIER],
      ];
      const names = new Map<string, string>();
      const keys = [];
      for (const [name, status, expiresAt] of variants) {
        const { key } = keyRecord(tenant.id, { name, status, expiresAt });
        names.set(key.id, name);
        keys.push(key);
        await store.insert(key);
      }
      const listed = async (status: KeyStatus) =>
        (await store.list(tenant.id, { limit: 50 }, { status }, NOW)).data.map((k) => names.get(k.id)).sort();

      assert.deepEqual(await listed('active'), ['active', 'active-forever']);
      assert.deepEqual(await listed('inactive'), ['inactive']);
      assert.deepEqual(await listed('expired'), ['active-expired', 'active-expires-now', 'inactive-expired', 'stored-expired']);
      assert.deepEqual(await listed('revoked'), ['revoked', 'revoked-expired']);
      for (const status of ['active', 'inactive', 'expired', 'revoked'] as KeyStatus[]) {
        const expected = keys.filter((k) => effectiveStatus(k, NOW) === status).map((k) => names.get(k.id)).sort();
        assert.deepEqual(await listed(status), expected, `the SQL filter agrees with effectiveStatus for ${status}`);
      }
      const all = await store.list(tenant.id, { limit: 50 }, {}, NOW);
      assert.equal(all.data.length, variants.length);
    });

    it('filters by environment, alone and with a status, and lists only the tenant’s keys', async (t) => {
      const { db } = await openFor(t, database);
      const store = new KeyStore(db);
      const tenant = await insertTenant(db);
      const other = await insertTenant(db);
      const prod = keyRecord(tenant.id, { environment: 'production' }).key;
      const staging = keyRecord(tenant.id, { environment: 'staging' }).key;
      const stagingRevoked = keyRecord(tenant.id, { environment: 'staging', status: 'revoked' }).key;
      const dev = keyRecord(tenant.id, { environment: 'development' }).key;
      const foreign = keyRecord(other.id, { environment: 'staging' }).key;
      for (const key of [prod, staging, stagingRevoked, dev, foreign]) await store.insert(key);

      const ids = async (filter: Parameters<KeyStore['list']>[2]) =>
        (await store.list(tenant.id, { limit: 50 }, filter, NOW)).data.map((k) => k.id).sort();
      assert.deepEqual(await ids({ environment: 'staging' }), [staging.id, stagingRevoked.id].sort());
      assert.deepEqual(await ids({ environment: 'staging', status: 'active' }), [staging.id]);
      assert.deepEqual(await ids({ environment: 'production' }), [prod.id]);
      assert.deepEqual(await ids({ environment: 'development', status: 'revoked' }), []);
      assert.deepEqual(await ids({}), [prod.id, staging.id, stagingRevoked.id, dev.id].sort());
    });

    it('searches names for a text, A–Z in any case and every other character as it is, or finds a key by its id', async (t) => {
      const { db } = await openFor(t, database);
      const store = new KeyStore(db);
      const tenant = await insertTenant(db);
      const other = await insertTenant(db);
      const named = (name: string, overrides: Parameters<typeof keyRecord>[1] = {}) => keyRecord(tenant.id, { name, ...overrides }).key;
      const billing = named('billing-prod');
      const oldBilling = named('Old BILLING key', { environment: 'staging' });
      const percent = named('100% uptime_bot');
      const unicode = named('Über-Ключ');
      const plain = named('orders');
      const foreign = keyRecord(other.id, { name: 'billing-elsewhere' }).key;
      for (const key of [billing, oldBilling, percent, unicode, plain, foreign]) await store.insert(key);

      const names = async (search: string, filter: Parameters<KeyStore['list']>[2] = {}) =>
        (await store.list(tenant.id, { limit: 50 }, { ...filter, search }, NOW)).data.map((k) => k.name).sort();
      assert.deepEqual(await names('Billing'), ['Old BILLING key', 'billing-prod'], 'A–Z in any case, only this tenant’s keys');
      assert.deepEqual(await names('billing', { environment: 'staging' }), ['Old BILLING key'], 'with the other filters');
      assert.deepEqual(await names('%'), ['100% uptime_bot'], 'a LIKE wildcard is a character like any other');
      assert.deepEqual(await names('_'), ['100% uptime_bot']);
      assert.deepEqual(await names('\\'), []);
      assert.deepEqual(await names('ключ'), [], 'letters beyond A–Z are compared as they are, alike on both stores');
      assert.deepEqual(await names('Ключ'), ['Über-Ключ']);
      assert.deepEqual(await names('über'), []);
      assert.deepEqual(await names(plain.id), ['orders'], 'a key id finds that key');
      assert.deepEqual(await names(foreign.id), [], 'not another tenant’s');
      assert.deepEqual(await names(''), ['100% uptime_bot', 'Old BILLING key', 'billing-prod', 'orders', 'Über-Ключ'], 'empty: every key');
    });

    it('pages newest first, through keys created at the same instant, each key exactly once', async (t) => {
      const { db } = await openFor(t, database);
      const store = new KeyStore(db);
      const tenant = await insertTenant(db);
      // Lower-case ids of one length sort the same under any collation, so the order is exact.
      const created: Array<[string, string]> = [
        ['key_0000000001', EARLIER], ['key_0000000002', NOW], ['key_0000000003', NOW], ['key_0000000004', NOW],
        ['key_0000000005', NOW], ['key_0000000006', NOW], ['key_0000000007', LATER],
      ];
      for (const [id, createdAt] of created) await store.insert(keyRecord(tenant.id, { id, createdAt }).key);

      const seen: string[][] = [];
      let cursor: string | undefined;
      do {
        const page = await store.list(tenant.id, { limit: 2, cursor }, {}, NOW);
        seen.push(page.data.map((k) => k.id.slice(-1)));
        cursor = page.nextCursor ?? undefined;
      } while (cursor);
      assert.deepEqual(seen, [['7', '6'], ['5', '4'], ['3', '2'], ['1']]);

      const exact = await store.list(tenant.id, { limit: 7 }, {}, NOW);
      assert.equal(exact.data.length, 7);
      assert.equal(exact.nextCursor, null, 'no next page when the last page is exactly full');
    });

    it('pages with a status filter without losing keys at page edges', async (t) => {
      const { db } = await openFor(t, database);
      const store = new KeyStore(db);
      const tenant = await insertTenant(db);
      const active: string[] = [];
      for (let i = 0; i < 9; i++) {
        const { key } = keyRecord(tenant.id, { createdAt: i < 5 ? NOW : at(i), status: i % 3 === 0 ? 'revoked' : 'active' });
        await store.insert(key);
        if (key.status === 'active') active.push(key.id);
      }
      const seen: string[] = [];
      let cursor: string | undefined;
      do {
        const page = await store.list(tenant.id, { limit: 2, cursor }, { status: 'active' }, NOW);
        seen.push(...page.data.map((k) => k.id));
        cursor = page.nextCursor ?? undefined;
      } while (cursor);
      assert.deepEqual([...seen].sort(), [...active].sort());
      assert.equal(new Set(seen).size, seen.length);
    });

    it('answers a cursor it did not make with invalid_request', async (t) => {
      const { db } = await openFor(t, database);
      const store = new KeyStore(db);
      const tenant = await insertTenant(db);
      await assert.rejects(store.list(tenant.id, { limit: 5, cursor: 'not-a-cursor' }, {}, NOW), isInvalidRequest);
      const numbers = Buffer.from(JSON.stringify([1, 2])).toString('base64url');
      await assert.rejects(store.list(tenant.id, { limit: 5, cursor: numbers }, {}, NOW), isInvalidRequest);
    });

    it('counts live keys (active or inactive, unexpired) and active ones, at `now`', async (t) => {
      const { db } = await openFor(t, database);
      const store = new KeyStore(db);
      const tenant = await insertTenant(db);
      const other = await insertTenant(db);
      assert.equal(await store.countLive(tenant.id, NOW), 0);
      const rows: Array<[KeyStatus, string | null]> = [
        ['active', LATER], ['active', null], ['active', EARLIER], ['inactive', LATER], ['inactive', NOW],
        ['expired', LATER], ['revoked', LATER],
      ];
      for (const [status, expiresAt] of rows) await store.insert(keyRecord(tenant.id, { status, expiresAt }).key);
      await store.insert(keyRecord(other.id).key);

      const liveNow = await store.countLive(tenant.id, NOW);
      const activeNow = await store.countActive(tenant.id, NOW);
      assert.equal(typeof liveNow, 'number');
      assert.equal(liveNow, 3);
      assert.equal(activeNow, 2);
      assert.equal(await store.countLive(tenant.id, '2026-01-01T00:00:00.000Z'), 5, 'earlier, the expired ones were still live');
      assert.equal(await store.countActive(tenant.id, '2026-01-01T00:00:00.000Z'), 3);
      assert.equal(await store.countLive(tenant.id, LATER), 1, 'at LATER only the key without expiry is left');
    });

    it('finds keys that have expired but are not marked so, across tenants, up to a limit', async (t) => {
      const { db } = await openFor(t, database);
      const store = new KeyStore(db);
      const a = await insertTenant(db);
      const b = await insertTenant(db);
      const due = [
        keyRecord(a.id, { status: 'active', expiresAt: EARLIER }).key,
        keyRecord(a.id, { status: 'inactive', expiresAt: NOW }).key,
        keyRecord(b.id, { status: 'active', expiresAt: at(-3600 * 24) }).key,
      ];
      const notDue = [
        keyRecord(a.id, { status: 'active', expiresAt: LATER }).key,
        keyRecord(a.id, { status: 'active', expiresAt: null }).key,
        keyRecord(a.id, { status: 'expired', expiresAt: EARLIER }).key,
        keyRecord(b.id, { status: 'revoked', expiresAt: EARLIER }).key,
      ];
      for (const key of [...due, ...notDue]) await store.insert(key);

      const found = await store.findNewlyExpired(NOW, 10);
      assert.deepEqual(found.map((k) => k.id).sort(), due.map((k) => k.id).sort());
      assert.deepEqual(found.find((k) => k.id === due[0]!.id), due[0], 'whole keys come back');
      const limited = await store.findNewlyExpired(NOW, 2);
      assert.equal(limited.length, 2);
      assert.ok(limited.every((k) => due.some((d) => d.id === k.id)));
    });

    it('records last use in batches, keeping the newest time and its address', async (t) => {
      const { db } = await openFor(t, database);
      const store = new KeyStore(db);
      const tenant = await insertTenant(db);
      const one = keyRecord(tenant.id).key;
      const two = keyRecord(tenant.id).key;
      const untouched = keyRecord(tenant.id).key;
      for (const key of [one, two, untouched]) await store.insert(key);

      await store.recordLastUse([]);
      await store.recordLastUse([
        { keyId: one.id, at: at(20), ip: '192.0.2.20' },
        { keyId: one.id, at: at(10), ip: '192.0.2.10' },
        { keyId: two.id, at: at(5), ip: null },
        { keyId: 'key_unknown', at: at(5), ip: '192.0.2.5' },
      ]);
      const lastUse = async (id: string) => {
        const key = await store.find(tenant.id, id);
        return [key?.lastUsedAt, key?.lastUsedIp];
      };
      assert.deepEqual(await lastUse(one.id), [at(20), '192.0.2.20'], 'an older use later in the batch does not win');
      assert.deepEqual(await lastUse(two.id), [at(5), null]);
      assert.deepEqual(await lastUse(untouched.id), [null, null]);

      await store.recordLastUse([{ keyId: one.id, at: at(15), ip: '192.0.2.15' }]);
      assert.deepEqual(await lastUse(one.id), [at(20), '192.0.2.20'], 'a late batch with an older use does not go back in time');
      await store.recordLastUse([{ keyId: one.id, at: at(30), ip: '2001:db8::30' }]);
      assert.deepEqual(await lastUse(one.id), [at(30), '2001:db8::30']);
    });
  });
}
