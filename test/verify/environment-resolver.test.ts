import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { EnvironmentResolver } from '../../src/verify/environment-resolver.js';

describe('EnvironmentResolver', () => {
  const resolver = new EnvironmentResolver('production', new Map([['staging.example.com', 'staging'], ['[::1]', 'development']]));

  it('serves a configured host in its environment, whatever its case, port or the last dot of a fully qualified name', () => {
    for (const host of ['staging.example.com', 'Staging.Example.COM:8443', 'staging.example.com.', 'staging.example.com.:443']) {
      assert.equal(resolver.resolve(host), 'staging', host);
    }
    assert.equal(resolver.resolve('[::1]:8080'), 'development');
  });

  it("serves any other host, and a request without one, in the node's own environment", () => {
    for (const host of [undefined, 'api.example.com', 'staging.example.com..', 'xstaging.example.com', '']) {
      assert.equal(resolver.resolve(host), 'production', String(host));
    }
  });
});
