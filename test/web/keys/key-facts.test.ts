import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ApiKey } from '../../../web/src/api/types.js';
import { expiresSoon, keyHint, limitsUrl, possiblyOrphaned, rotationNote, scopesSummary } from '../../../web/src/keys/key-facts.js';

const NOW = Date.parse('2026-06-01T12:00:00Z');
const days = (n: number) => new Date(NOW + n * 24 * 3600 * 1000).toISOString();

function key(overrides: Partial<ApiKey>): ApiKey {
  return {
    id: 'key_1', tenant_id: 'ten_1', name: 'prod-order-bot', environment: 'production', scopes: [], rate_limit: { requests_per_minute: 100, burst: 100 },
    allowed_ips: [], customer_ids: [], expires_at: days(365), status: 'active', created_at: days(-1), created_by: null, updated_at: days(-1),
    revoked_at: null, last_used_at: null, last_used_ip: null, start: 'lk_live_AbCd', end: 'wXyZ', rotated_from: null, rotated_to: null, meta: {},
    ...overrides,
  };
}

describe('expiresSoon', () => {
  it('flags live keys expiring within 14 days', () => {
    assert.equal(expiresSoon(key({ expires_at: days(13) }), NOW), true);
    assert.equal(expiresSoon(key({ expires_at: days(14) }), NOW), true);
    assert.equal(expiresSoon(key({ status: 'inactive', expires_at: days(3) }), NOW), true);
  });

  it('leaves alone later, past, never-expiring and dead keys', () => {
    assert.equal(expiresSoon(key({ expires_at: days(15) }), NOW), false);
    assert.equal(expiresSoon(key({ expires_at: null }), NOW), false);
    assert.equal(expiresSoon(key({ expires_at: days(-1), status: 'expired' }), NOW), false);
    assert.equal(expiresSoon(key({ expires_at: days(3), status: 'revoked' }), NOW), false);
  });
});

describe('possiblyOrphaned', () => {
  it('flags a live key last used 30 or more days ago', () => {
    assert.equal(possiblyOrphaned(key({ created_at: days(-90), last_used_at: days(-30) }), NOW), true);
    assert.equal(possiblyOrphaned(key({ created_at: days(-90), last_used_at: days(-29) }), NOW), false);
  });

  it('counts from creation when the key was never used', () => {
    assert.equal(possiblyOrphaned(key({ created_at: days(-31), last_used_at: null }), NOW), true);
    assert.equal(possiblyOrphaned(key({ created_at: days(-2), last_used_at: null }), NOW), false);
  });

  it('does not flag revoked or expired keys', () => {
    assert.equal(possiblyOrphaned(key({ created_at: days(-90), status: 'revoked' }), NOW), false);
    assert.equal(possiblyOrphaned(key({ created_at: days(-90), status: 'expired' }), NOW), false);
  });
});

describe('summaries', () => {
  it('shortens long scope lists and says when there are none', () => {
    assert.equal(scopesSummary([]), 'no scopes');
    assert.equal(scopesSummary(['a:b', 'c:d']), 'a:b, c:d');
    assert.equal(scopesSummary(['a:b', 'c:d', 'e:f', 'g:h']), 'a:b, c:d +2 more');
  });

  it('shows the hint as start…end and builds the limits URL without a double slash', () => {
    assert.equal(keyHint({ start: 'lk_live_AbCd', end: 'wXyZ' }), 'lk_live_AbCd…wXyZ');
    assert.equal(limitsUrl('https://keys.example.com/', 'ten_1'), 'https://keys.example.com/api/v1/m2m/tenants/ten_1/limits');
  });
});

describe('rotationNote', () => {
  const old = key({ id: 'key_old', rotated_to: 'key_new', expires_at: '2026-06-02T12:00:00Z' });
  const successor = key({ id: 'key_new', start: 'lk_live_EfGh', end: 'sTuV', rotated_from: 'key_old' });
  const both = new Map([old, successor].map((k) => [k.id, k]));

  it('tells the old key from its successor of the same name by their hints, with the end of the grace period', () => {
    assert.equal(rotationNote(old, both), 'rotated → lk_live_EfGh…sTuV, works until 2026-06-02 12:00:00 UTC');
    assert.equal(rotationNote(successor, both), 'replaces lk_live_AbCd…wXyZ');
    assert.equal(rotationNote({ ...old, expires_at: null }, both), 'rotated → lk_live_EfGh…sTuV, works until revoked');
    assert.equal(rotationNote({ ...old, status: 'revoked' }, both), 'rotated → lk_live_EfGh…sTuV');
  });

  it('says so without the hint when the other key is not at hand, and nothing for a key never rotated', () => {
    assert.equal(rotationNote(old, new Map()), 'rotated → a new key, works until 2026-06-02 12:00:00 UTC');
    assert.equal(rotationNote(successor, new Map()), 'replaces an older key');
    assert.equal(rotationNote(key({}), both), null);
  });
});
