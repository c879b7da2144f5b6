import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LatchkeyError } from '../../src/core/errors.js';
import { newId } from '../../src/core/ids.js';
import { decodeCursor, encodeCursor, toPage } from '../../src/store/pagination.js';
import { TenantStore } from '../../src/store/tenant-store.js';
import { openFor, testDatabases } from '../support/databases.js';
import { at, NOW, tenantRecord } from './records.js';

const isInvalidCursor = (error: unknown) =>
  error instanceof LatchkeyError && error.code === 'invalid_request' && error.fields?.some((f) => f.field === 'cursor') === true;

describe('cursors', () => {
  it('decode to the position they were made from, in URL-safe characters', () => {
    const position = { at: NOW, id: 'key_AbC9+/=' };
    const cursor = encodeCursor(position);
    assert.match(cursor, /^[A-Za-z0-9_-]+$/);
    assert.deepEqual(decodeCursor(cursor, 'key'), position);
  });

  it('that were not made here are invalid_request naming the cursor', () => {
    const forged = [
      '',
      'not base64 at all!',
      Buffer.from('{"at":"x","id":"y"}').toString('base64url'),
      Buffer.from('["a"]').toString('base64url'),
      Buffer.from('["a","b","c"]').toString('base64url'),
      Buffer.from('["a",2]').toString('base64url'),
      Buffer.from('null').toString('base64url'),
      // Well-formed, but the time is not one this API stores: it would still compare with the column as text.
      Buffer.from('["not a date","key_x"]').toString('base64url'),
      Buffer.from('["2026-03-01","key_x"]').toString('base64url'),
      Buffer.from('["2026-03-01T12:00:00Z","key_x"]').toString('base64url'),
      Buffer.from('["2026-02-30T12:00:00.000Z","key_x"]').toString('base64url'),
      Buffer.from('["2026-03-01T24:00:00.000Z","key_x"]').toString('base64url'),
      Buffer.from('["+010000-01-01T00:00:00.000Z","key_x"]').toString('base64url'),
    ];
    for (const cursor of forged) assert.throws(() => decodeCursor(cursor, 'key'), isInvalidCursor, JSON.stringify(cursor));
  });

  it('of another list are invalid_request saying so: a position in the audit log is not one in the key list', () => {
    const auditCursor = encodeCursor({ at: NOW, id: 'aud_AbC9' });
    assert.deepEqual(decodeCursor(auditCursor, 'aud'), { at: NOW, id: 'aud_AbC9' });
    assert.throws(() => decodeCursor(auditCursor, 'key'), (error: unknown) =>
      error instanceof LatchkeyError && error.fields?.[0]?.message === 'is a cursor of another list; use the next_cursor this list returned');
    // The prefix with its underscore: `keys_…` or a bare `key` is no key id.
    assert.throws(() => decodeCursor(encodeCursor({ at: NOW, id: 'keyAbC9' }), 'key'), isInvalidCursor);
  });

  it('cut limit + 1 rows into a page with a cursor at its last row, and no cursor at the end', () => {
    const rows = [{ t: at(2), i: 'key_3' }, { t: at(1), i: 'key_2' }, { t: NOW, i: 'key_1' }];
    const position = (r: { t: string; i: string }) => ({ at: r.t, id: r.i });
    const full = toPage(rows, 2, position, (r) => r.i);
    assert.deepEqual(full.data, ['key_3', 'key_2']);
    assert.deepEqual(decodeCursor(full.nextCursor ?? '', 'key'), { at: at(1), id: 'key_2' });
    assert.deepEqual(toPage(rows.slice(0, 2), 2, position, (r) => r.i), { data: ['key_3', 'key_2'], nextCursor: null });
    assert.deepEqual(toPage([], 2, position, (r) => r.i), { data: [], nextCursor: null });
  });
});

for (const database of testDatabases()) {
  describe(`cursor pagination on ${database.name}`, { skip: database.skip }, () => {
    it('walks real mixed-case ids at one instant in the database’s own order, for every page size', async (t) => {
      const { db } = await openFor(t, database);
      const store = new TenantStore(db);
      // Real ids mix upper and lower case, which collations order differently; pages must agree
      // with the database's own order whatever it is, never skip or repeat a row.
      for (let i = 0; i < 9; i++) await store.insert(tenantRecord({ id: newId('ten'), createdAt: i < 7 ? NOW : at(i) }));
      const whole = (await store.list({ limit: 100 })).data.map((x) => x.id);
      assert.equal(whole.length, 9);

      for (const limit of [1, 2, 3, 4, 8, 9]) {
        const walked: string[] = [];
        let cursor: string | undefined;
        let pages = 0;
        do {
          const page = await store.list({ limit, cursor });
          assert.ok(page.data.length <= limit);
          walked.push(...page.data.map((x) => x.id));
          cursor = page.nextCursor ?? undefined;
          pages++;
        } while (cursor);
        assert.deepEqual(walked, whole, `limit ${limit}`);
        assert.equal(pages, Math.ceil(9 / limit), `limit ${limit}: no empty last page`);
      }
    });
  });
}
