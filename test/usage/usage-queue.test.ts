import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { UsageQueue } from '../../src/usage/usage-queue.js';
import { requestRecord, T0 } from './records.js';

describe('UsageQueue', () => {
  it('sorts records into rows, counters and last uses only when absorbed', () => {
    const queue = new UsageQueue(100);
    queue.push(requestRecord('ten_a', 'key_a', { at: T0 + 2000, ip: '198.51.100.2' }));
    queue.push(requestRecord('ten_a', 'key_a', { at: T0 + 1000, ip: '198.51.100.1' }));
    queue.push(requestRecord('ten_a', null, { code: 'invalid_api_key', status: 401 }));
    queue.push(requestRecord(null, null, { code: 'missing_api_key', status: 401 }));
    assert.equal(queue.depth, 3);
    queue.absorb();
    const batch = queue.take(10);
    assert.ok(batch);
    assert.equal(batch.logs.length, 3);
    assert.equal(batch.logs[2]?.key_id, null, 'a request of a known tenant without a key is logged');
    assert.deepEqual(batch.counts, [{ keyId: 'key_a', tenantId: 'ten_a', minute: '2026-03-01T12:00:00.000Z', outcome: 'valid', count: 2 }]);
    assert.deepEqual(batch.lastUses, [{ keyId: 'key_a', at: '2026-03-01T12:00:02.000Z', ip: '198.51.100.2' }]);
    assert.equal(queue.take(10), undefined);
    assert.ok(queue.isEmpty);
  });

  it('counts a request that gets no row as it comes, keeping nothing of it to sort', () => {
    const queue = new UsageQueue(100, 'errors');
    queue.push(requestRecord('ten_a', 'key_a', { at: T0 + 1000, ip: '198.51.100.1' }));
    queue.push(requestRecord('ten_a', 'key_a', { at: T0 + 2000, ip: '198.51.100.2' }));
    queue.push(requestRecord('ten_a', 'key_a', { at: T0 + 500, ip: '198.51.100.3' }));
    queue.push(requestRecord('ten_a', 'key_a', { at: T0 + 3000, code: 'insufficient_scope', status: 403 }));
    assert.equal(queue.unsorted, 1, 'only the refusal waits, to become a row');
    const counted = queue.take(10)!;
    assert.deepEqual(counted.logs, [], 'not absorbed yet: no rows');
    assert.deepEqual(counted.counts, [{ keyId: 'key_a', tenantId: 'ten_a', minute: '2026-03-01T12:00:00.000Z', outcome: 'valid', count: 3 }]);
    assert.deepEqual(counted.lastUses, [{ keyId: 'key_a', at: '2026-03-01T12:00:02.000Z', ip: '198.51.100.2' }], 'the newest use, whatever the order');
    queue.absorb();
    const refused = queue.take(10)!;
    assert.deepEqual(refused.logs.map((r) => r.code), ['insufficient_scope']);
    assert.deepEqual(refused.counts.map((c) => `${c.outcome} ${c.count}`), ['insufficient_scope 1']);
    assert.deepEqual(refused.lastUses, []);
  });

  it('hands counters and last uses over in key order, whatever order the requests came in (no deadlock between nodes)', () => {
    const queue = new UsageQueue(100);
    for (const keyId of ['key_c', 'key_a', 'key_b']) {
      queue.push(requestRecord('ten_a', keyId, { at: T0 + 60_000 }));
      queue.push(requestRecord('ten_a', keyId, { at: T0, code: 'rate_limited', status: 429 }));
      queue.push(requestRecord('ten_a', keyId, { at: T0 }));
    }
    queue.absorb();
    const batch = queue.take(10)!;
    assert.deepEqual(batch.counts.map((c) => `${c.keyId} ${c.minute.slice(11, 16)} ${c.outcome}`), [
      'key_a 12:00 rate_limited', 'key_a 12:00 valid', 'key_a 12:01 valid',
      'key_b 12:00 rate_limited', 'key_b 12:00 valid', 'key_b 12:01 valid',
      'key_c 12:00 rate_limited', 'key_c 12:00 valid', 'key_c 12:01 valid',
    ]);
    assert.deepEqual(batch.lastUses.map((u) => u.keyId), ['key_a', 'key_b', 'key_c']);
  });

  it('past maxCounters, sums the counters of past hours per hour, then of past days per day, keeping every total', () => {
    const queue = new UsageQueue(100_000, 'off', 20);
    const MINUTE = 60_000;
    const HOUR = 60 * MINUTE;
    // Two keys, one request a minute for the past two hours, and two minutes of the current hour.
    const minutes = [...Array.from({ length: 120 }, (_, i) => T0 - 2 * HOUR + i * MINUTE), T0, T0 + MINUTE];
    for (const keyId of ['key_a', 'key_b']) for (const at of minutes) queue.push(requestRecord('ten_1', keyId, { at }));
    queue.absorb();
    const counts = queue.take(0)!.counts.map((c) => `${c.keyId} ${c.minute} ${c.count}`).sort();
    assert.deepEqual(counts, [
      'key_a 2026-03-01T10:00:00.000Z 60',
      'key_a 2026-03-01T11:00:00.000Z 60',
      'key_a 2026-03-01T12:00:00.000Z 1',
      'key_a 2026-03-01T12:01:00.000Z 1',
      'key_b 2026-03-01T10:00:00.000Z 60',
      'key_b 2026-03-01T11:00:00.000Z 60',
      'key_b 2026-03-01T12:00:00.000Z 1',
      'key_b 2026-03-01T12:01:00.000Z 1',
    ], 'past hours summed per hour; the current hour still by minute');

    const days = new UsageQueue(100_000, 'off', 4);
    for (const at of [T0 - 50 * HOUR, T0 - 49 * HOUR, T0 - 26 * HOUR, T0 - 25 * HOUR, T0 - HOUR, T0]) days.push(requestRecord('ten_1', 'key_a', { at }));
    days.absorb();
    assert.deepEqual(days.take(0)!.counts.map((c) => `${c.minute} ${c.count}`).sort(), [
      '2026-02-27T00:00:00.000Z 2',
      '2026-02-28T00:00:00.000Z 2',
      '2026-03-01T11:00:00.000Z 1',
      '2026-03-01T12:00:00.000Z 1',
    ], 'still over: past days per day');
  });

  it('sorts a slice at a time when given a limit, oldest records first', () => {
    const queue = new UsageQueue(100);
    for (let i = 0; i < 5; i++) queue.push(requestRecord('ten_a', 'key_a', { id: `req_${i}`, at: T0 + i * 1000 }));
    queue.absorb(2);
    assert.equal(queue.unsorted, 3);
    assert.deepEqual(queue.take(10)?.logs.map((row) => row.id), ['req_0', 'req_1']);
    queue.absorb(10);
    assert.equal(queue.unsorted, 0);
    assert.deepEqual(queue.take(10)?.logs.map((row) => row.id), ['req_2', 'req_3', 'req_4']);
  });

  it('absorbs on its own once maxQueue records pile up, dropping the oldest rows and keeping the counts', () => {
    const queue = new UsageQueue(2);
    const records = [1, 2, 3, 4, 5].map((i) => requestRecord('ten_a', 'key_a', { at: T0 + i }));
    for (const record of records) queue.push(record);
    assert.equal(queue.depth, 3, 'two rows kept, one record pending');
    queue.absorb();
    assert.equal(queue.depth, 2);
    assert.equal(queue.dropped, 3);
    const batch = queue.take(10);
    assert.deepEqual(batch?.logs.map((r) => r.id), records.slice(3).map((r) => r.id));
    assert.equal(batch?.counts[0]?.count, 5);
  });

  it('takes rows in batches, with counters and last uses in the first one, each batch under an id of its own', () => {
    const queue = new UsageQueue(100);
    const records = [1, 2, 3].map((i) => requestRecord('ten_a', 'key_a', { at: T0 + i }));
    for (const record of records) queue.push(record);
    queue.absorb();
    const first = queue.take(2);
    assert.deepEqual(first?.logs.map((r) => r.id), records.slice(0, 2).map((r) => r.id));
    assert.equal(first?.counts[0]?.count, 3);
    const second = queue.take(2);
    assert.deepEqual(second?.logs.map((r) => r.id), [records[2]!.id]);
    assert.deepEqual([second?.counts, second?.lastUses], [[], []], 'counters and last uses went with the first batch');
    assert.match(first?.id ?? '', /^bat_/);
    assert.notEqual(first?.id, second?.id);
    assert.equal(queue.take(2), undefined);
  });

  it('does not throw on a record whose time is not a number, even on the request path', () => {
    const queue = new UsageQueue(1);
    assert.doesNotThrow(() => queue.push(requestRecord('ten_a', 'key_a', { at: Number.NaN })));
    const row = queue.take(10)?.logs[0];
    assert.ok(row && !Number.isNaN(Date.parse(row.at)));
  });
});
