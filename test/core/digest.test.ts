import assert from 'node:assert/strict';
import { createHash, createHmac } from 'node:crypto';
import { describe, it } from 'node:test';
import { digestsEqual, hmacHex, sha256Hex } from '../../src/core/digest.js';

describe('sha256Hex', () => {
  it('equals the SHA-256 of node:crypto, in lower-case hex', () => {
    for (const secret of ['', 'lk_live_abc', 'ünïcødé ✓', 'x'.repeat(10_000)]) {
      assert.equal(sha256Hex(secret), createHash('sha256').update(secret, 'utf8').digest('hex'));
    }
    assert.equal(sha256Hex('abc'), 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });
});

describe('hmacHex', () => {
  it('equals the HMAC-SHA256 of node:crypto and depends on the key', () => {
    assert.equal(hmacHex('server-key', '123456'), createHmac('sha256', 'server-key').update('123456').digest('hex'));
    assert.notEqual(hmacHex('server-key', '123456'), hmacHex('other-key', '123456'));
    assert.equal(hmacHex(Buffer.from('k'), 'v'), hmacHex('k', 'v'));
  });
});

describe('digestsEqual', () => {
  it('is true for equal digests and false for different ones', () => {
    const a = sha256Hex('one');
    assert.equal(digestsEqual(a, sha256Hex('one')), true);
    assert.equal(digestsEqual(a, sha256Hex('two')), false);
    assert.equal(digestsEqual(a, `${a.slice(0, -1)}${a.endsWith('0') ? '1' : '0'}`), false, 'last digit differs');
  });

  it('is false for different lengths, without throwing', () => {
    const a = sha256Hex('one');
    assert.equal(digestsEqual(a, a.slice(0, -2)), false);
    assert.equal(digestsEqual(a, ''), false);
    assert.equal(digestsEqual('', a), false);
    assert.equal(digestsEqual('é', 'ab'), false, 'same string length, different byte length');
  });

  it('compares every character, also of strings that are not whole hex', () => {
    assert.equal(digestsEqual('zz', 'yy'), false);
    assert.equal(digestsEqual('abc', 'abd'), false, 'an odd last digit counts');
    assert.equal(digestsEqual('ab', 'AB'), false);
    assert.equal(digestsEqual('', ''), true);
  });
});
