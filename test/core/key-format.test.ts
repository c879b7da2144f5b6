import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { crc32 } from 'node:zlib';
import type { Environment } from '../../src/core/environments.js';
import { generateKey, keyHint, parseKey } from '../../src/core/key-format.js';
import { looksLikeKey } from '../../src/core/key-shape.js';

// The contract's format, written out here rather than imported, so the test checks the code against the spec.
const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const TAGS: Record<Environment, string> = { production: 'live', staging: 'test', development: 'dev' };

/** An independent base62 encoder for the checksum: most significant digit first, '0'-padded to 6. */
function base62Checksum(head: string): string {
  let value = crc32(head);
  let out = '';
  for (let i = 0; i < 6; i++) {
    out = ALPHABET[value % 62] + out;
    value = Math.floor(value / 62);
  }
  assert.equal(value, 0, 'a CRC32 fits in 6 base62 digits');
  return out;
}

/** A well-formed key built by hand from a chosen random part. */
function handMadeKey(prefix: string, tag: string, random: string): string {
  const head = `${prefix}_${tag}_${random}`;
  return head + base62Checksum(head);
}

/** Replaces the character at `index` by another base62 character. */
function flip(value: string, index: number): string {
  const current = value[index]!;
  const replacement = ALPHABET[(ALPHABET.indexOf(current) + 1) % 62]!;
  return value.slice(0, index) + replacement + value.slice(index + 1);
}

describe('generateKey', () => {
  for (const environment of ['production', 'staging', 'development'] as const) {
    it(`makes a ${environment} key of the contract's shape`, () => {
      const key = generateKey(environment);
      assert.match(key, new RegExp(`^lk_${TAGS[environment]}_[0-9A-Za-z]{38}$`));
    });
  }

  it('uses a custom prefix', () => {
    for (const environment of ['production', 'staging', 'development'] as const) {
      assert.match(generateKey(environment, 'acme2'), new RegExp(`^acme2_${TAGS[environment]}_[0-9A-Za-z]{38}$`));
    }
  });

  it('ends with the base62 CRC32 of everything before the last 6 characters', () => {
    for (const key of [generateKey('production'), generateKey('staging', 'acme'), generateKey('development', 'x9')]) {
      assert.equal(key.slice(-6), base62Checksum(key.slice(0, -6)), key);
    }
  });

  it('gives 1000 distinct keys whose random parts use the whole alphabet', () => {
    const keys = Array.from({ length: 1000 }, () => generateKey('production'));
    assert.equal(new Set(keys).size, 1000);
    const seen = new Set(keys.flatMap((key) => [...key.slice('lk_live_'.length, 'lk_live_'.length + 32)]));
    // 32 000 draws over 62 symbols: a missing symbol would mean a biased or truncated alphabet.
    assert.deepEqual([...seen].sort().join(''), [...ALPHABET].sort().join(''));
  });
});

describe('parseKey', () => {
  it('accepts generated keys and names their prefix and environment', () => {
    assert.deepEqual(parseKey(generateKey('production')), { prefix: 'lk', environment: 'production' });
    assert.deepEqual(parseKey(generateKey('staging', 'acme')), { prefix: 'acme', environment: 'staging' });
    assert.deepEqual(parseKey(generateKey('development', 'ab12cd34ef56')), { prefix: 'ab12cd34ef56', environment: 'development' });
  });

  it('accepts a key built by hand to the spec', () => {
    assert.deepEqual(parseKey(handMadeKey('lk', 'live', 'A'.repeat(32))), { prefix: 'lk', environment: 'production' });
    assert.deepEqual(parseKey(handMadeKey('zz', 'dev', '0123456789abcdefghijklmnopqrstuv')), { prefix: 'zz', environment: 'development' });
  });

  it('rejects prefixes outside 2-12 [a-z0-9] starting with a letter', () => {
    const random = 'k'.repeat(32);
    for (const prefix of ['l', 'abcdefghijklm', '1k', 'LK', 'l-k', 'l_k', '']) {
      assert.equal(parseKey(handMadeKey(prefix, 'live', random)), undefined, `prefix "${prefix}"`);
    }
  });

  it('rejects an unknown environment tag even with a right checksum', () => {
    for (const tag of ['prod', 'LIVE', 'stage', 'dev1', '']) {
      assert.equal(parseKey(handMadeKey('lk', tag, 'k'.repeat(32))), undefined, `tag "${tag}"`);
    }
  });

  it('rejects a body that is too short or too long', () => {
    const key = generateKey('production');
    assert.equal(parseKey(key.slice(0, -1)), undefined);
    assert.equal(parseKey(`${key}0`), undefined);
    // Right checksum over a random part of the wrong length: the length alone rejects it.
    assert.equal(parseKey(handMadeKey('lk', 'live', 'a'.repeat(31))), undefined);
    assert.equal(parseKey(handMadeKey('lk', 'live', 'a'.repeat(33))), undefined);
  });

  it('rejects characters outside base62', () => {
    const key = generateKey('production');
    for (const bad of ['-', '_', '+', '/', '=', ' ', 'é']) {
      assert.equal(parseKey(key.slice(0, 20) + bad + key.slice(21)), undefined, `"${bad}"`);
    }
  });

  it('rejects any single changed character (checksum)', () => {
    const key = generateKey('staging');
    for (let i = 0; i < key.length; i++) {
      if (key[i] === '_') continue;
      assert.equal(parseKey(flip(key, i)), undefined, `position ${i}`);
    }
    // Swapping the tag for another valid one changes what the checksum covers.
    assert.equal(parseKey(key.replace('_test_', '_live_')), undefined);
  });

  it('rejects empty, whitespace-padded and very long input quickly', () => {
    const key = generateKey('production');
    for (const value of ['', ' ', `${key} `, ` ${key}`, `${key}\n`, `\t${key}`]) {
      assert.equal(parseKey(value), undefined, JSON.stringify(value));
    }
    // A megabyte of almost-key must be refused, not backtracked over.
    assert.equal(parseKey(`lk_live_${'a'.repeat(1_000_000)}`), undefined);
    assert.equal(parseKey('lk_'.repeat(300_000)), undefined);
  });
});

describe('looksLikeKey', () => {
  it('recognises the shape without the checksum (to refuse keys in URLs)', () => {
    const key = generateKey('production');
    assert.equal(looksLikeKey(key), true);
    assert.equal(looksLikeKey(flip(key, key.length - 1)), true);
    assert.equal(looksLikeKey('lk_live_short'), false);
    assert.equal(looksLikeKey(`x${key}`), true, 'a longer prefix is still a prefix');
    assert.equal(looksLikeKey(`?${key}`), false);
  });
});

describe('keyHint', () => {
  it('keeps prefix, tag and the first 4 body characters, and the last 4', () => {
    const key = handMadeKey('lk', 'live', 'AbCd'.repeat(8));
    assert.deepEqual(keyHint(key), { start: 'lk_live_AbCd', end: key.slice(-4) });
    const custom = handMadeKey('acme', 'dev', 'wxyz'.repeat(8));
    assert.deepEqual(keyHint(custom), { start: 'acme_dev_wxyz', end: custom.slice(-4) });
  });

  it('reveals at most 8 of the 38 body characters of a generated key', () => {
    const key = generateKey('staging');
    const { start, end } = keyHint(key);
    assert.equal(start, key.slice(0, 'lk_test_'.length + 4));
    assert.equal(end, key.slice(-4));
    assert.equal(end.length, 4);
  });
});
