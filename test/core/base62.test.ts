import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BASE62, encodeBase62, randomBase62 } from '../../src/core/base62.js';

describe('BASE62', () => {
  it('is 0-9, A-Z, a-z in that order', () => {
    assert.equal(BASE62, '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz');
  });
});

describe('encodeBase62', () => {
  it('writes digits most significant first, padded with 0 to the width', () => {
    assert.equal(encodeBase62(0, 6), '000000');
    assert.equal(encodeBase62(61, 1), 'z');
    assert.equal(encodeBase62(62, 1), '10', 'the width is a minimum, not a cut');
    assert.equal(encodeBase62(62 * 62 - 1, 4), '00zz');
    assert.equal(encodeBase62(10 * 62 + 36, 3), '0Aa');
  });

  it('fits the largest CRC32 in 6 characters', () => {
    assert.equal(encodeBase62(0xffffffff, 6), '4gfFC3');
    // Check the figure by decoding it back.
    const decoded = [...'4gfFC3'].reduce((n, c) => n * 62 + BASE62.indexOf(c), 0);
    assert.equal(decoded, 0xffffffff);
  });
});

describe('randomBase62', () => {
  it('gives exactly the requested number of base62 characters', () => {
    for (const length of [0, 1, 7, 32, 200]) {
      const value = randomBase62(length);
      assert.equal(value.length, length);
      assert.match(value, /^[0-9A-Za-z]*$/);
    }
  });

  it('draws every character of the alphabet and repeats no long string', () => {
    const values = Array.from({ length: 500 }, () => randomBase62(32));
    assert.equal(new Set(values).size, values.length);
    const seen = new Set(values.join(''));
    assert.equal(seen.size, 62);
  });
});
