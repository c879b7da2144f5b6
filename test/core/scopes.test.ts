import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { missingScope, SCOPE_PATTERN } from '../../src/core/scopes.js';

describe('SCOPE_PATTERN', () => {
  it('takes resource:action in lower case', () => {
    for (const scope of ['sites:read', 'customers:write', 'a:b', 'order_items:bulk-write', 'v2api:read']) assert.match(scope, SCOPE_PATTERN);
    for (const scope of ['Sites:read', 'sites', 'sites:', ':read', 'sites:read:all', '_sites:read', 'sites:-read', 'sites:read ', '']) {
      assert.doesNotMatch(scope, SCOPE_PATTERN, JSON.stringify(scope));
    }
  });
});

describe('missingScope', () => {
  it('is undefined when every required scope is granted, or none is required', () => {
    assert.equal(missingScope(['sites:read', 'sites:write'], ['sites:write', 'sites:read']), undefined);
    assert.equal(missingScope([], []), undefined);
    assert.equal(missingScope(['sites:read'], []), undefined);
  });

  it('names the first required scope the key lacks', () => {
    assert.equal(missingScope(['sites:read'], ['sites:read', 'orders:read', 'orders:write']), 'orders:read');
    assert.equal(missingScope([], ['sites:read']), 'sites:read');
  });

  it('matches exactly: no prefixes, wildcards or case folding', () => {
    assert.equal(missingScope(['sites:*'], ['sites:read']), 'sites:read');
    assert.equal(missingScope(['sites'], ['sites:read']), 'sites:read');
    assert.equal(missingScope(['SITES:READ'], ['sites:read']), 'sites:read');
    assert.equal(missingScope(['sites:read-all'], ['sites:read']), 'sites:read');
  });
});
