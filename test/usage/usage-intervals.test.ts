import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { intervalRange, intervalStarts } from '../../src/usage/usage-intervals.js';

const ms = (iso: string) => Date.parse(iso);
const starts = (from: string, to: string, interval: 'minute' | 'hour' | 'day') =>
  intervalStarts(intervalRange(ms(from), ms(to), interval), interval).map((s) => new Date(s).toISOString());

describe('usage intervals', () => {
  it('start with the interval holding `from` and end with the one holding the moment before `to`', () => {
    assert.deepEqual(starts('2026-03-01T10:20:00Z', '2026-03-01T12:05:00Z', 'hour'), [
      '2026-03-01T10:00:00.000Z', '2026-03-01T11:00:00.000Z', '2026-03-01T12:00:00.000Z',
    ]);
    assert.deepEqual(starts('2026-03-01T10:00:00Z', '2026-03-01T12:00:00Z', 'hour'), ['2026-03-01T10:00:00.000Z', '2026-03-01T11:00:00.000Z'], 'an interval starting at `to` is out');
    assert.deepEqual(starts('2026-03-01T10:00:30Z', '2026-03-01T10:02:00.001Z', 'minute'), [
      '2026-03-01T10:00:00.000Z', '2026-03-01T10:01:00.000Z', '2026-03-01T10:02:00.000Z',
    ]);
  });

  it('uses UTC days', () => {
    assert.deepEqual(starts('2026-02-27T23:59:59Z', '2026-03-01T00:00:01Z', 'day'), [
      '2026-02-27T00:00:00.000Z', '2026-02-28T00:00:00.000Z', '2026-03-01T00:00:00.000Z',
    ]);
  });

  it('counts the intervals without listing them, and an empty range has none', () => {
    assert.equal(intervalRange(ms('2026-01-01T00:00:00Z'), ms('2027-01-01T00:00:00Z'), 'minute').count, 525_600);
    assert.equal(intervalRange(ms('2026-01-01T00:00:00Z'), ms('2026-01-01T00:00:00Z'), 'hour').count, 0);
  });
});
