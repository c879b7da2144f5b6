// The SDK reads a request's key exactly as the server's M2M API does: the two copies are held to the same answers.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readCredential as sdkRead, sentTwice as sdkSentTwice, TWO_AUTHORIZATIONS as SDK_TWO_AUTHORIZATIONS } from '../../sdk/src/credential.js';
import { generateKey, parseKey } from '../../src/core/key-format.js';
import { readCredential as serverRead, sentTwice as serverSentTwice, TWO_AUTHORIZATIONS } from '../../src/verify/credential.js';

const key = generateKey('production');
const other = generateKey('staging', 'acme');

const cases: [string, string, Record<string, string | string[]>][] = [
  ['X-API-Key', '/x', { 'x-api-key': key }],
  ['X-API-Key with blanks', '/x', { 'x-api-key': `  ${key} ` }],
  ['Bearer', '/x', { authorization: `Bearer ${key}` }],
  ['bearer in lower case', '/x', { authorization: `bearer ${key}` }],
  ['Basic only', '/x', { authorization: 'Basic dXNlcjpwYXNz' }],
  ['empty Bearer', '/x', { authorization: 'Bearer   ' }],
  ['nothing', '/x', {}],
  ['both, the same', '/x', { 'x-api-key': key, authorization: `Bearer ${key}` }],
  ['both, different', '/x', { 'x-api-key': key, authorization: `Bearer ${other}` }],
  ['X-API-Key twice', '/x', { 'x-api-key': [key, key] }],
  ['X-API-Key twice, as Node joins it', '/x', { 'x-api-key': `${key}, ${key}` }],
  ['api_key parameter', '/x?api_key=whatever', { 'x-api-key': key }],
  ['APIKEY parameter', '/x?APIKEY=1', {}],
  ['x-api-key parameter', '/x?x-api-key=1', {}],
  ['key-shaped value', `/x?q=${other}`, {}],
  ['key-shaped value with blanks', `/x?q=%20${key}%20`, {}],
  ['key-shaped name', `/x?${key}`, {}],
  ['key inside a value', `/x?ids=${key},2`, { 'x-api-key': key }],
  ['key inside an escaped value', `/x?q=Bearer%20${key}`, { 'x-api-key': key }],
  ['harmless query', '/x?page=2&q=lk_live_short', { 'x-api-key': key }],
  ['full URL (Hono)', `http://h/x?token=${key}`, {}],
];

describe('the SDK reading the key of a request', () => {
  for (const [name, url, headers] of cases) {
    it(`answers as the server does: ${name}`, () => {
      assert.deepEqual(sdkRead(url, headers), serverRead(url, headers));
    });
  }

  it('finds a repeated header in the raw header lines as the server does, and says the same about it', () => {
    const cases = [['Authorization', 'a'], ['Authorization', 'a', 'authorization', 'b'], ['Host', 'x', 'AUTHORIZATION', 'a', 'X-Auth', 'b', 'Authorization', 'c'], []];
    for (const raw of cases) assert.equal(sdkSentTwice(raw, 'authorization'), serverSentTwice(raw, 'authorization'), raw.join(' '));
    assert.equal(sdkSentTwice(cases[1]!, 'authorization'), true);
    assert.equal(SDK_TWO_AUTHORIZATIONS, TWO_AUTHORIZATIONS);
  });

  it("refuses a value without a key's shape, or with a wrong checksum, as malformed, without a call to Latchkey", () => {
    const badChecksum = `${key.slice(0, -1)}${key.endsWith('A') ? 'B' : 'A'}`;
    const madeUp = `lk_live_${'A'.repeat(38)}`;
    for (const value of ['k'.repeat(201), 'lk_live_short', `${key}x`, key.replace('_live_', '_prod_'), `LK${key.slice(2)}`, badChecksum, madeUp]) {
      assert.deepEqual(sdkRead('/x', { 'x-api-key': value }), { ok: false, code: 'malformed_api_key' }, value);
      assert.equal(parseKey(value), undefined, `the server finds ${value} malformed too`);
    }
    for (const value of [key, other, generateKey('development', 'z9'), generateKey('staging', 'abcdefghijkl')]) {
      assert.deepEqual(sdkRead('/x', { 'x-api-key': value }), { ok: true, secret: value }, value);
    }
  });
});
