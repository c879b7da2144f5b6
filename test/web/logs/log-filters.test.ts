import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { localToWire, NO_FILTERS, queryOfFilters, statusProblem } from '../../../web/src/logs/log-filters.js';

describe('request log filters', () => {
  it('sends only the filters that are set', () => {
    assert.deepEqual(queryOfFilters(NO_FILTERS), {});
    assert.deepEqual(queryOfFilters({ ...NO_FILTERS, keyId: 'key_1', status: '429' }), { key_id: 'key_1', status: 429 });
  });

  it('turns local date-times into UTC wire times', () => {
    const local = '2026-06-01T12:30';
    assert.equal(localToWire(local), new Date(local).toISOString().replace('.000Z', 'Z'));
    assert.equal(localToWire(''), undefined);
    const query = queryOfFilters({ ...NO_FILTERS, from: local, to: local });
    assert.match(query.from ?? '', /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  });

  it('wants an HTTP status of three digits', () => {
    assert.equal(statusProblem(''), null);
    assert.equal(statusProblem('401'), null);
    assert.ok(statusProblem('40'));
    assert.ok(statusProblem('abc'));
  });
});
