import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type IdPrefix, newId } from '../../src/core/ids.js';

describe('newId', () => {
  it('is the type prefix, an underscore and 20 base62 characters', () => {
    const prefixes: IdPrefix[] = ['ten', 'key', 'usr', 'req', 'aud', 'rtk', 'ses', 'otp', 'log', 'chg'];
    for (const prefix of prefixes) assert.match(newId(prefix), new RegExp(`^${prefix}_[0-9A-Za-z]{20}$`));
  });

  it('does not repeat', () => {
    const ids = Array.from({ length: 2000 }, () => newId('key'));
    assert.equal(new Set(ids).size, ids.length);
  });
});
