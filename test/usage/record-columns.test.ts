import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MessageChannel, receiveMessageOnPort } from 'node:worker_threads';
import { forEachRecord, type RecordColumns, RecordColumnsBuilder } from '../../src/usage/record-columns.js';
import type { RequestRecord } from '../../src/usage/usage-recorder.js';
import { requestRecord, T0 } from './records.js';

function recordsOf(columns: RecordColumns): RequestRecord[] {
  const out: RequestRecord[] = [];
  forEachRecord(columns, (record) => out.push(record));
  return out;
}

describe('RecordColumnsBuilder', () => {
  it('gives back every record, field for field and in order, after a trip through postMessage', () => {
    const records = [
      requestRecord('ten_a', 'key_a'),
      requestRecord('ten_a', null, { at: T0 + 5, status: 401, code: 'invalid_key', ip: null, latencyMs: 0.07, path: '/x', method: 'POST' }),
      requestRecord('ten_b', 'key_b', { environment: 'staging', status: 429, code: 'rate_limited' }),
    ];
    const builder = new RecordColumnsBuilder();
    assert.deepEqual(records.map((r) => builder.push(r)), [1, 2, 3]);
    assert.equal(builder.length, 3);

    const { port1, port2 } = new MessageChannel();
    port1.postMessage(builder.take());
    const received = receiveMessageOnPort(port2)?.message as RecordColumns;
    port1.close();
    assert.deepEqual(recordsOf(received), records);
  });

  it('starts afresh once taken: what was taken is not changed by later records', () => {
    const builder = new RecordColumnsBuilder();
    builder.push(requestRecord('ten_a', 'key_a'));
    const first = builder.take();
    assert.equal(builder.length, 0);
    const later = requestRecord('ten_b', 'key_b');
    builder.push(later);
    assert.equal(recordsOf(first).length, 1);
    assert.deepEqual(recordsOf(builder.take()), [later]);
    assert.deepEqual(recordsOf(builder.take()), []);
  });
});
