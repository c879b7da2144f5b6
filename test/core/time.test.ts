import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { addSeconds, parseTimestamp, toStored, toWire } from '../../src/core/time.js';

describe('toStored', () => {
  it('is the fixed-width UTC form with milliseconds', () => {
    assert.equal(toStored(new Date(Date.UTC(2026, 0, 1, 12))), '2026-01-01T12:00:00.000Z');
  });
});

describe('toWire', () => {
  it('drops a zero fraction and keeps any other', () => {
    assert.equal(toWire('2026-01-01T12:00:00.000Z'), '2026-01-01T12:00:00Z');
    assert.equal(toWire('2026-01-01T12:00:00.500Z'), '2026-01-01T12:00:00.500Z');
    assert.equal(toWire('2026-01-01T12:00:00.001Z'), '2026-01-01T12:00:00.001Z');
    assert.equal(toWire('2026-01-01T12:00:00.100Z'), '2026-01-01T12:00:00.100Z');
    assert.equal(toWire(null), null);
  });
});

describe('parseTimestamp', () => {
  it('reads UTC and offset times, with or without fractions', () => {
    const cases: [string, string][] = [
      ['2026-01-01T12:00:00Z', '2026-01-01T12:00:00.000Z'],
      ['2026-01-01T12:00:00.5Z', '2026-01-01T12:00:00.500Z'],
      ['2026-01-01T12:00:00.123Z', '2026-01-01T12:00:00.123Z'],
      ['2026-01-01T12:00:00.123456789Z', '2026-01-01T12:00:00.123Z'],
      ['2026-01-01T13:30:00+01:30', '2026-01-01T12:00:00.000Z'],
      ['2026-01-01T07:00:00-05:00', '2026-01-01T12:00:00.000Z'],
      ['2028-02-29T00:00:00Z', '2028-02-29T00:00:00.000Z'],
      ['2000-02-29T00:00:00Z', '2000-02-29T00:00:00.000Z'],
      ['2026-12-31T23:59:59Z', '2026-12-31T23:59:59.000Z'],
    ];
    for (const [input, stored] of cases) assert.equal(parseTimestamp(input)?.toISOString(), stored, input);
  });

  it('needs a zone', () => {
    assert.equal(parseTimestamp('2026-01-01T12:00:00'), undefined);
    assert.equal(parseTimestamp('2026-01-01T12:00:00.000'), undefined);
  });

  it('refuses other shapes and impossible dates instead of rolling them over', () => {
    for (const value of [
      '', 'now', '2026-01-01', '2026-01-01 12:00:00Z', '2026-1-1T12:00:00Z', '2026-01-01T12:00Z', '2026-01-01t12:00:00z',
      '1767268800', '2026-01-01T12:00:00+0100', '2026-01-01T12:00:00.Z', '2026-01-01T12:00:00.1234567890Z',
      '2026-02-29T00:00:00Z', '1900-02-29T00:00:00Z', '2026-02-30T00:00:00Z', '2026-04-31T00:00:00Z', '2026-13-01T00:00:00Z',
      '2026-00-10T00:00:00Z', '2026-01-00T00:00:00Z', '2026-01-32T00:00:00Z', '2026-01-01T24:00:00Z', '2026-01-01T23:60:00Z',
      '2026-01-01T23:59:60Z', '2026-01-01T12:00:00+24:00',
    ]) {
      assert.equal(parseTimestamp(value), undefined, value);
    }
  });
});

describe('addSeconds', () => {
  it('adds whole and negative seconds without touching the input', () => {
    const start = new Date('2026-01-01T00:00:00Z');
    assert.equal(toStored(addSeconds(start, 365 * 24 * 3600)), '2027-01-01T00:00:00.000Z');
    assert.equal(toStored(addSeconds(start, -1)), '2025-12-31T23:59:59.000Z');
    assert.equal(toStored(start), '2026-01-01T00:00:00.000Z');
  });
});
