import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { addressProblems, formFilters, NO_FILTERS, queryOfFilters, rangeProblem, statusProblem, utcToWire } from '../../../web/src/logs/log-filters.js';

describe('request log filters', () => {
  it('sends only the filters that are set', () => {
    assert.deepEqual(queryOfFilters(NO_FILTERS), {});
    assert.deepEqual(queryOfFilters({ ...NO_FILTERS, keyId: 'key_1', status: '429' }), { key_id: 'key_1', status: 429 });
  });

  it('reads the typed date-times as UTC, whatever the zone of the browser', () => {
    assert.equal(utcToWire('2026-06-01T12:30'), '2026-06-01T12:30:00Z');
    assert.equal(utcToWire('2026-06-01T12:30:15'), '2026-06-01T12:30:15Z');
    assert.equal(utcToWire(''), undefined);
    assert.equal(utcToWire('yesterday'), undefined);
    assert.deepEqual(queryOfFilters({ ...NO_FILTERS, from: '2026-06-01T10:00', to: '2026-06-02T10:00' }), { from: '2026-06-01T10:00:00Z', to: '2026-06-02T10:00:00Z' });
  });

  it('wants an HTTP status of three digits', () => {
    assert.equal(statusProblem(''), null);
    assert.equal(statusProblem('401'), null);
    assert.ok(statusProblem('40'));
    assert.ok(statusProblem('abc'));
  });

  it('refuses a range whose From is after its To, as the server would', () => {
    assert.equal(rangeProblem('2026-06-02T10:00', '2026-06-01T10:00'), 'From must not be after To.');
    assert.equal(rangeProblem('2026-06-01T10:00', '2026-06-01T10:00'), null, 'an instant is a range');
    assert.equal(rangeProblem('2026-06-01T09:59', '2026-06-01T10:00'), null);
    assert.equal(rangeProblem('2026-06-02T10:00', ''), null, 'an open end is no problem');
    assert.equal(rangeProblem('', '2026-06-01T10:00'), null);
  });

  it('names each filter of the address that cannot be applied, with its value as written there', () => {
    assert.deepEqual(addressProblems({ ...NO_FILTERS, status: '4O1', from: 'yesterday' }, null), [
      'HTTP status “4O1” is not a status such as 401 or 429.',
      'From “yesterday” is not a date and time such as 2026-06-01T10:00.',
    ]);
    assert.deepEqual(addressProblems({ ...NO_FILTERS, to: '2026-13-45' }, null), ['To “2026-13-45” is not a date and time such as 2026-06-01T10:00.']);
    assert.deepEqual(addressProblems({ ...NO_FILTERS, from: '2026-06-02T10:00', to: '2026-06-01T10:00' }, null), ['From must not be after To.']);
    assert.deepEqual(addressProblems({ keyId: 'key_1', status: '429', from: '2026-06-01T10:00', to: '' }, new Set(['key_1'])), []);
  });

  it('knows a key of the address to be unknown only once every key of the tenant is read', () => {
    const filters = { ...NO_FILTERS, keyId: 'key_nope' };
    assert.deepEqual(addressProblems(filters, null), [], 'the keys are not read yet, or could not be');
    assert.deepEqual(addressProblems(filters, new Set(['key_1'])), ['Key “key_nope” is not a key of this tenant.']);
  });

  it('gives the form only the times its date-time fields can show, so that applying it does not send the others again', () => {
    assert.deepEqual(formFilters({ keyId: 'key_1', status: '4O1', from: 'yesterday', to: '2026-06-01T10:00' }), { keyId: 'key_1', status: '4O1', from: '', to: '2026-06-01T10:00' });
  });
});
