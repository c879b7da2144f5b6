import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { hrefFor, parseLocation, type Route } from '../../../web/src/router/routes.js';

describe('routes', () => {
  it('reads the pages of the dashboard and the tenant from the address', () => {
    assert.deepEqual(parseLocation('/', ''), { route: { page: 'keys' }, tenantId: null });
    assert.deepEqual(parseLocation('/keys/key_1', '?tenant=ten_1'), { route: { page: 'key', keyId: 'key_1' }, tenantId: 'ten_1' });
    assert.deepEqual(parseLocation('/logs', '?tenant=ten_1&key=key_9'), { route: { page: 'logs', keyId: 'key_9' }, tenantId: 'ten_1' });
    assert.deepEqual(parseLocation('/members/', ''), { route: { page: 'members' }, tenantId: null });
    assert.deepEqual(parseLocation('/nope', '').route, { page: 'not-found' });
    assert.deepEqual(parseLocation('/audit/extra', '').route, { page: 'not-found' });
  });

  it('writes addresses that read back as the same page', () => {
    const routes: Route[] = [{ page: 'keys' }, { page: 'key', keyId: 'key_a/b' }, { page: 'logs', keyId: 'key_1' }, { page: 'logs' }, { page: 'audit' }, { page: 'members' }, { page: 'tenants' }];
    for (const route of routes) {
      const href = hrefFor(route, 'ten_1');
      const url = new URL(href, 'http://x');
      assert.deepEqual(parseLocation(url.pathname, url.search), { route, tenantId: 'ten_1' }, href);
    }
    assert.equal(hrefFor({ page: 'keys' }, null), '/keys');
  });

  it('keeps the filters of each list in the address', () => {
    const routes: Route[] = [
      { page: 'keys', environment: 'staging', status: 'active', search: 'billing prod' },
      { page: 'logs', keyId: 'key_1', status: '429', from: '2026-06-01T10:00', to: '2026-06-02T10:00' },
      { page: 'audit', action: 'key.revoked' },
      { page: 'tenants', search: 'acme gmbh' },
    ];
    for (const route of routes) {
      const href = hrefFor(route, 'ten_1');
      const url = new URL(href, 'http://x');
      assert.deepEqual(parseLocation(url.pathname, url.search), { route, tenantId: 'ten_1' }, href);
    }
    assert.equal(hrefFor({ page: 'keys', environment: '', status: 'revoked' }, 'ten_1'), '/keys?tenant=ten_1&status=revoked', 'an empty filter is left out');
    assert.deepEqual(parseLocation('/', '?status=active').route, { page: 'keys', status: 'active' });
  });
});
