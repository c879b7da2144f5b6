// Redaction of keys and root tokens in what is stored, logged or answered.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { generateKey } from '../../src/core/key-format.js';
import { redactSecretsIn } from '../../src/core/redaction.js';
import { generateRootToken } from '../../src/core/root-token-format.js';

describe('redactSecretsIn', () => {
  it('replaces the body of every key-shaped part of a text, whatever surrounds it, and leaves the rest', () => {
    const live = generateKey('production');
    const dev = generateKey('development', 'acme');
    assert.equal(redactSecretsIn(`/v1/things/${live}/x`), '/v1/things/lk_live_[redacted]/x');
    assert.equal(redactSecretsIn(`/a/${dev}`), '/a/acme_dev_[redacted]');
    assert.equal(redactSecretsIn(`/a/${live}-${live}`), '/a/lk_live_[redacted]-lk_live_[redacted]');
    // Inside a longer token (an id, a longer body) it is still redacted: better one id too many than one key.
    assert.doesNotMatch(redactSecretsIn(`/a/key_${live}x`), new RegExp(live.slice(8)));
    for (const plain of ['/api/v1/m2m/tenants/ten_El8R4QdZ8ezyG07c5eIJ/limits', '/v1/lk_live_short', '', '/a/%E2%9C%93/100%', '/a/%zz%5F']) {
      assert.equal(redactSecretsIn(plain), plain);
    }
  });

  it('finds a key behind percent-escapes, escaped once or twice, and keeps the rest of the text as it was', () => {
    const live = generateKey('production');
    const body = live.slice('lk_live_'.length);
    const escapedUnderscores = live.replaceAll('_', '%5F');
    assert.equal(redactSecretsIn(`/sites/s%201/${escapedUnderscores}?q=%5F`), '/sites/s%201/lk_live_[redacted]?q=%5F');
    assert.equal(redactSecretsIn(`/a/%6Ck_%6Cive_${body}`), '/a/lk_live_[redacted]');
    assert.equal(redactSecretsIn(`/a/${encodeURIComponent(escapedUnderscores)}`), '/a/lk_live_[redacted]');
    const everyCharacter = [...live].map((c) => `%${c.charCodeAt(0).toString(16).padStart(2, '0')}`).join('');
    assert.doesNotMatch(redactSecretsIn(`/a/${everyCharacter}`), new RegExp(body.slice(0, 8)));
    assert.doesNotMatch(redactSecretsIn(`/a/${everyCharacter}`), new RegExp(everyCharacter.slice(24, 48)));
  });

  it('hides the body of a key whose prefix or tag a client changed', () => {
    const live = generateKey('production');
    const body = live.slice('lk_live_'.length);
    for (const mangled of [`LK_live_${body}`, `LK_LIVE_${body}`, `x_Test_${body}`, `_live_${body}`]) {
      assert.doesNotMatch(redactSecretsIn(`/a/${mangled}`), new RegExp(body.slice(0, 12)), mangled);
    }
  });

  it('replaces the body of a root token, plain or escaped, and leaves a short lookalike', () => {
    const token = generateRootToken();
    assert.equal(redactSecretsIn(`/v1/tenants/${token}`), '/v1/tenants/lkr_[redacted]');
    assert.equal(redactSecretsIn(`No key ${token}.`), 'No key lkr_[redacted].');
    assert.equal(redactSecretsIn(`/a/${token.replace('_', '%5F')}/b`), '/a/lkr_[redacted]/b');
    assert.equal(redactSecretsIn('/v1/lkr_short'), '/v1/lkr_short');
  });
});
