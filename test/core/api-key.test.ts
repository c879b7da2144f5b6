import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEFAULT_KEY_LIFETIME_SECONDS, effectiveStatus, isLive, type KeyStatus } from '../../src/core/api-key.js';

const NOW = '2026-03-01T12:00:00.000Z';
const PAST = '2026-03-01T11:59:59.999Z';
const FUTURE = '2026-03-01T12:00:00.001Z';

describe('effectiveStatus', () => {
  it('is the stored status while the key has not expired', () => {
    for (const status of ['active', 'inactive', 'expired', 'revoked'] as KeyStatus[]) {
      assert.equal(effectiveStatus({ status, expiresAt: FUTURE }, NOW), status);
      assert.equal(effectiveStatus({ status, expiresAt: null }, NOW), status);
    }
  });

  it('is expired from expires_at on, for active and inactive keys', () => {
    assert.equal(effectiveStatus({ status: 'active', expiresAt: NOW }, NOW), 'expired');
    assert.equal(effectiveStatus({ status: 'active', expiresAt: PAST }, NOW), 'expired');
    assert.equal(effectiveStatus({ status: 'inactive', expiresAt: PAST }, NOW), 'expired');
  });

  it('stays revoked after expiry: revocation is the stronger fact', () => {
    assert.equal(effectiveStatus({ status: 'revoked', expiresAt: PAST }, NOW), 'revoked');
  });
});

describe('isLive', () => {
  it('counts active and inactive keys that have not expired, not revoked or expired ones', () => {
    assert.equal(isLive({ status: 'active', expiresAt: FUTURE }, NOW), true);
    assert.equal(isLive({ status: 'inactive', expiresAt: null }, NOW), true);
    assert.equal(isLive({ status: 'active', expiresAt: PAST }, NOW), false);
    assert.equal(isLive({ status: 'inactive', expiresAt: NOW }, NOW), false);
    assert.equal(isLive({ status: 'revoked', expiresAt: FUTURE }, NOW), false);
    assert.equal(isLive({ status: 'expired', expiresAt: FUTURE }, NOW), false);
  });
});

describe('DEFAULT_KEY_LIFETIME_SECONDS', () => {
  it('is one year of 365 days', () => {
    assert.equal(DEFAULT_KEY_LIFETIME_SECONDS, 31_536_000);
  });
});
