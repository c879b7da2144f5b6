import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ApiError } from '../../../web/src/api/api-error.js';
import { addressProblems, formFilters, keyFilterFound, NO_FILTERS, queryOfFilters, rangeProblem, statusProblem, utcToWire } from '../../../web/src/logs/log-filters.js';

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
    assert.deepEqual(addressProblems({ keyId: 'key_1', status: '429', from: '2026-06-01T10:00', to: '' }, true), []);
  });

  it('knows a key of the address to be unknown only once the read of that key says so', () => {
    const filters = { ...NO_FILTERS, keyId: 'key_nope' };
    assert.deepEqual(addressProblems(filters, null), [], 'the key is not read yet, or could not be');
    assert.deepEqual(addressProblems(filters, true), []);
    assert.deepEqual(addressProblems(filters, false), ['Key “key_nope” is not a key of this tenant.']);
    assert.deepEqual(addressProblems(NO_FILTERS, false), [], 'no key filter, no problem with it');
  });

  it('tells from the read of the filtered key whether it is a key of the tenant, not from the key list', () => {
    const notFound = new ApiError({ status: 404, code: 'not_found', details: 'No key key_nope.' });
    const found = { key: { id: 'key_21000' } };
    assert.equal(keyFilterFound('', { loading: false, data: null, error: null }), null, 'no key filter');
    assert.equal(keyFilterFound('key_21000', { loading: true, data: undefined, error: null }), null, 'while it is read, nothing is said');
    assert.equal(keyFilterFound('key_21000', { loading: false, data: found, error: null }), true);
    assert.equal(keyFilterFound('key_nope', { loading: false, data: undefined, error: notFound }), false, 'a 404 is not a key of this tenant');
    assert.equal(keyFilterFound('key_' + 'x'.repeat(80), { loading: false, data: undefined, error: new ApiError({ status: 400, code: 'validation_failed', details: 'too long' }) }), false, 'an id no key can have');
    assert.equal(keyFilterFound('key_nope', { loading: true, data: undefined, error: notFound }), null, 'the 404 of the key filtered by before, while the next is read');
    assert.equal(keyFilterFound('key_2', { loading: false, data: { key: { id: 'key_1' } }, error: null }), null, 'the answer about another key');
    assert.equal(keyFilterFound('key_1', { loading: false, data: undefined, error: new ApiError({ status: 503, code: 'unavailable', details: 'down' }) }), null, 'an outage says nothing of the key');
    assert.equal(keyFilterFound('key_1', { loading: false, data: undefined, error: new TypeError('fetch failed') }), null);
  });

  it('gives the form only the times its date-time fields can show, so that applying it does not send the others again', () => {
    assert.deepEqual(formFilters({ keyId: 'key_1', status: '4O1', from: 'yesterday', to: '2026-06-01T10:00' }), { keyId: 'key_1', status: '4O1', from: '', to: '2026-06-01T10:00' });
  });
});
