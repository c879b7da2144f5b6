import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { FieldError } from '../../src/core/errors.js';
import { type KeySettings, type KeySettingsInput, MAX_META_BYTES, resolveKeySettings } from '../../src/core/key-settings.js';
import { BUILT_IN_PLANS, type Plan } from '../../src/core/plans.js';

const NOW = new Date('2026-03-01T12:00:00.000Z');

function plan(name: string): Plan {
  const found = BUILT_IN_PLANS.find((p) => p.name === name);
  assert.ok(found, name);
  return found;
}

function settings(input: KeySettingsInput, planName = 'standard', current?: KeySettings): KeySettings {
  const result = resolveKeySettings(input, plan(planName), NOW, current);
  assert.ok('settings' in result, `expected settings, got ${JSON.stringify(result)}`);
  return result.settings;
}

function errors(input: KeySettingsInput, planName = 'standard', current?: KeySettings): FieldError[] {
  const result = resolveKeySettings(input, plan(planName), NOW, current);
  assert.ok('errors' in result, `expected errors, got ${JSON.stringify(result)}`);
  for (const error of result.errors) assert.ok(error.message.length > 0);
  return result.errors;
}

function fields(input: KeySettingsInput, planName = 'standard', current?: KeySettings): string[] {
  return errors(input, planName, current).map((e) => e.field);
}

describe('resolveKeySettings: a new key', () => {
  it("takes the plan's defaults: rpm, burst = rpm, expiry one year on, no scopes or limits", () => {
    assert.deepEqual(settings({ name: 'ci' }), {
      name: 'ci',
      scopes: [],
      rateLimit: { requestsPerMinute: 100, burst: 100 },
      allowedIps: [],
      customerIds: [],
      expiresAt: '2027-03-01T12:00:00.000Z',
      meta: {},
    });
    assert.deepEqual(settings({ name: 'ci' }, 'enterprise').rateLimit, { requestsPerMinute: 1000, burst: 1000 });
  });

  it('needs a name of 1-100 characters', () => {
    assert.deepEqual(fields({}), ['name']);
    assert.deepEqual(fields({ name: '' }), ['name']);
    assert.deepEqual(fields({ name: '   ' }), ['name']);
    assert.deepEqual(fields({ name: 'n'.repeat(101) }), ['name']);
    assert.equal(settings({ name: 'n'.repeat(100) }).name.length, 100);
    // Characters are code points: 100 emoji (200 UTF-16 units) fit, as the API schema's maxLength counts them.
    assert.equal(settings({ name: '\u{1f511}'.repeat(100) }).name, '\u{1f511}'.repeat(100));
    assert.deepEqual(fields({ name: '\u{1f511}'.repeat(101) }), ['name']);
    assert.deepEqual(settings({ name: 'k', customerIds: ['\u{1f511}'.repeat(100)] }).customerIds, ['\u{1f511}'.repeat(100)]);
  });

  it('sets burst to the rpm when only the rpm is given', () => {
    assert.deepEqual(settings({ name: 'k', rateLimit: { requestsPerMinute: 5 } }).rateLimit, { requestsPerMinute: 5, burst: 5 });
    assert.deepEqual(settings({ name: 'k', rateLimit: { requestsPerMinute: 60, burst: 10 } }).rateLimit, { requestsPerMinute: 60, burst: 10 });
    assert.deepEqual(settings({ name: 'k', rateLimit: { burst: 20 } }).rateLimit, { requestsPerMinute: 100, burst: 20 });
  });

  it("refuses an rpm above the plan's max, naming the field and the range", () => {
    const [error, ...more] = errors({ name: 'k', rateLimit: { requestsPerMinute: 1001 } });
    assert.deepEqual(more, [], 'the burst that follows the rpm is not reported again');
    assert.deepEqual(error, { field: 'rate_limit.requests_per_minute', message: 'must be 1-1000 on the standard plan' });
    assert.equal(settings({ name: 'k', rateLimit: { requestsPerMinute: 1000 } }).rateLimit.requestsPerMinute, 1000);
    assert.equal(settings({ name: 'k', rateLimit: { requestsPerMinute: 2000 } }, 'pro').rateLimit.requestsPerMinute, 2000);
    assert.deepEqual(fields({ name: 'k', rateLimit: { requestsPerMinute: 2001 } }, 'pro'), ['rate_limit.requests_per_minute']);
  });

  it('refuses an rpm that is not a whole number of at least 1', () => {
    for (const rpm of [0, -1, 1.5, Number.NaN]) {
      assert.deepEqual(fields({ name: 'k', rateLimit: { requestsPerMinute: rpm } }), ['rate_limit.requests_per_minute'], String(rpm));
    }
  });

  it("keeps the burst within 1 and the plan's max rpm", () => {
    assert.equal(settings({ name: 'k', rateLimit: { requestsPerMinute: 10, burst: 1 } }).rateLimit.burst, 1);
    assert.equal(settings({ name: 'k', rateLimit: { requestsPerMinute: 10, burst: 1000 } }).rateLimit.burst, 1000);
    for (const burst of [0, -5, 1001, 2.5]) {
      assert.deepEqual(fields({ name: 'k', rateLimit: { requestsPerMinute: 10, burst } }), ['rate_limit.burst'], String(burst));
    }
    assert.deepEqual(fields({ name: 'k', rateLimit: { requestsPerMinute: 5000, burst: 5000 } }), ['rate_limit.requests_per_minute', 'rate_limit.burst']);
  });

  it('refuses any rate limit on a plan without the M2M API', () => {
    assert.deepEqual(errors({ name: 'k', rateLimit: { requestsPerMinute: 10 } }, 'free'), [{ field: 'rate_limit', message: 'the free plan has no M2M API access' }]);
    assert.deepEqual(fields({ name: 'k', rateLimit: {} }, 'free'), ['rate_limit']);
    assert.equal(settings({ name: 'k' }, 'free').name, 'k');
  });

  it("keeps a key's limits above a lower plan's ceiling (a downgrade) unless a new limit is sent", () => {
    const big = settings({ name: 'big', rateLimit: { requestsPerMinute: 50_000, burst: 60_000 } }, 'enterprise');
    const renamed = settings({ name: 'big2' }, 'standard', big);
    assert.deepEqual(renamed.rateLimit, { requestsPerMinute: 50_000, burst: 60_000 });
    assert.equal(settings({ meta: { x: 1 } }, 'standard', big).name, 'big');
    assert.deepEqual(fields({ rateLimit: { requestsPerMinute: 2000 } }, 'standard', big), ['rate_limit.requests_per_minute']);
    assert.deepEqual(fields({ rateLimit: { burst: 2000 } }, 'standard', big), ['rate_limit.burst']);
    assert.deepEqual(settings({ rateLimit: { requestsPerMinute: 500 } }, 'standard', big).rateLimit, { requestsPerMinute: 500, burst: 60_000 }, 'a burst set apart is kept');
  });
});

describe('resolveKeySettings: expires_at', () => {
  it('accepts a future time with or without fractional seconds, and with an offset', () => {
    assert.equal(settings({ name: 'k', expiresAt: '2026-06-01T00:00:00Z' }).expiresAt, '2026-06-01T00:00:00.000Z');
    assert.equal(settings({ name: 'k', expiresAt: '2026-06-01T00:00:00.250Z' }).expiresAt, '2026-06-01T00:00:00.250Z');
    assert.equal(settings({ name: 'k', expiresAt: '2026-06-01T00:00:00.5Z' }).expiresAt, '2026-06-01T00:00:00.500Z');
    assert.equal(settings({ name: 'k', expiresAt: '2026-06-01T02:00:00+02:00' }).expiresAt, '2026-06-01T00:00:00.000Z');
  });

  it('refuses the past and now', () => {
    assert.deepEqual(errors({ name: 'k', expiresAt: '2026-03-01T11:59:59Z' }), [{ field: 'expires_at', message: 'must lie in the future' }]);
    assert.deepEqual(fields({ name: 'k', expiresAt: '2026-03-01T12:00:00Z' }), ['expires_at']);
    assert.equal(settings({ name: 'k', expiresAt: '2026-03-01T12:00:00.001Z' }).expiresAt, '2026-03-01T12:00:00.001Z');
  });

  it('refuses unparseable times and times without a zone', () => {
    for (const value of ['tomorrow', '2027-01-01', '2027-01-01T00:00:00', '2027-01-01 00:00:00Z', '2027-02-30T00:00:00Z', '2027-13-01T00:00:00Z', '']) {
      const [error, ...more] = errors({ name: 'k', expiresAt: value });
      assert.deepEqual(more, [], value);
      assert.equal(error?.field, 'expires_at', value);
      assert.match(error?.message ?? '', /ISO 8601/, value);
    }
  });

  it('allows null (never) only on plans with never-expiring keys', () => {
    assert.deepEqual(errors({ name: 'k', expiresAt: null }), [{ field: 'expires_at', message: 'keys must expire on the standard plan' }]);
    assert.equal(settings({ name: 'k', expiresAt: null }, 'pro').expiresAt, null);
    assert.equal(settings({ name: 'k', expiresAt: null }, 'enterprise').expiresAt, null);
  });
});

describe('resolveKeySettings: lists and meta', () => {
  it('accepts scopes like sites:read and refuses others, one error each', () => {
    assert.deepEqual(settings({ name: 'k', scopes: ['sites:read', 'customers:write', 'a_b-c:d9'] }).scopes, ['sites:read', 'customers:write', 'a_b-c:d9']);
    const bad = ['Sites:read', 'sites', 'sites:', ':read', 'sites:Read', 'sites:read:all', '1sites:read', 'sites :read'];
    const found = errors({ name: 'k', scopes: bad });
    assert.equal(found.length, bad.length);
    for (const [i, error] of found.entries()) {
      assert.equal(error.field, 'scopes');
      assert.ok(error.message.includes(`"${bad[i]}"`), error.message);
    }
  });

  it('removes duplicates from scopes, allowed_ips and customer_ids, keeping the first order', () => {
    const result = settings({ name: 'k', scopes: ['b:x', 'a:x', 'b:x'], allowedIps: ['10.0.0.0/8', '::1', '10.0.0.0/8'], customerIds: ['c2', 'c1', 'c2'] });
    assert.deepEqual(result.scopes, ['b:x', 'a:x']);
    assert.deepEqual(result.allowedIps, ['10.0.0.0/8', '::1']);
    assert.deepEqual(result.customerIds, ['c2', 'c1']);
  });

  it('takes up to 100 entries per list and refuses 101', () => {
    const hundred = (make: (i: number) => string) => Array.from({ length: 100 }, (_, i) => make(i));
    const scopes = hundred((i) => `r${i}:read`);
    const ips = hundred((i) => `10.0.${i}.0/24`);
    const customers = hundred((i) => `cus_${i}`);
    assert.equal(settings({ name: 'k', scopes, allowedIps: ips, customerIds: customers }).scopes.length, 100);
    assert.deepEqual(fields({ name: 'k', scopes: [...scopes, 'extra:read'] }), ['scopes']);
    assert.deepEqual(fields({ name: 'k', allowedIps: [...ips, '192.168.0.1'] }), ['allowed_ips']);
    assert.deepEqual(fields({ name: 'k', customerIds: [...customers, 'cus_x'] }), ['customer_ids']);
    // Duplicates do not count.
    assert.equal(settings({ name: 'k', scopes: [...scopes, scopes[0]!] }).scopes.length, 100);
  });

  it('refuses bad CIDRs with the reason, and empty or long customer ids', () => {
    const [error] = errors({ name: 'k', allowedIps: ['10.0.0.0/8', '10.0.0.0/33'] });
    assert.equal(error?.field, 'allowed_ips');
    assert.match(error?.message ?? '', /10\.0\.0\.0\/33/);
    assert.deepEqual(fields({ name: 'k', customerIds: [''] }), ['customer_ids']);
    assert.deepEqual(fields({ name: 'k', customerIds: ['c'.repeat(101)] }), ['customer_ids']);
  });

  it('takes meta up to 4096 bytes of JSON and refuses more', () => {
    assert.equal(MAX_META_BYTES, 4096);
    const fits = { note: 'x'.repeat(4096 - '{"note":""}'.length) };
    assert.deepEqual(settings({ name: 'k', meta: fits }).meta, fits);
    assert.deepEqual(errors({ name: 'k', meta: { note: `${fits.note}x` } }), [{ field: 'meta', message: 'must be at most 4096 bytes as JSON' }]);
    // Bytes, not characters: 2-byte characters count twice.
    assert.deepEqual(fields({ name: 'k', meta: { note: 'é'.repeat(2100) } }), ['meta']);
  });

  it('reports every bad field at once', () => {
    assert.deepEqual(fields({ name: '', scopes: ['bad'], allowedIps: ['abc'], expiresAt: 'soon' }), ['name', 'scopes', 'allowed_ips', 'expires_at']);
  });
});

describe('resolveKeySettings: an update over current settings', () => {
  const current: KeySettings = {
    name: 'billing sync',
    scopes: ['sites:read'],
    rateLimit: { requestsPerMinute: 100, burst: 100 },
    allowedIps: ['10.0.0.0/8'],
    customerIds: ['cus_1'],
    expiresAt: '2026-09-01T00:00:00.000Z',
    meta: { team: 'billing' },
  };

  it('keeps every setting the input leaves out', () => {
    assert.deepEqual(settings({}, 'standard', current), current);
    assert.deepEqual(settings({ name: 'renamed' }, 'standard', current), { ...current, name: 'renamed' });
  });

  it('replaces a list as a whole, and [] clears it', () => {
    assert.deepEqual(settings({ scopes: ['orders:read'], allowedIps: [], customerIds: [] }, 'standard', current), {
      ...current,
      scopes: ['orders:read'],
      allowedIps: [],
      customerIds: [],
    });
  });

  it('moves a default burst (equal to the rpm) along with a new rpm', () => {
    assert.deepEqual(settings({ rateLimit: { requestsPerMinute: 10 } }, 'standard', current).rateLimit, { requestsPerMinute: 10, burst: 10 });
  });

  it('keeps a burst the client set apart when only the rpm changes', () => {
    const custom = { ...current, rateLimit: { requestsPerMinute: 100, burst: 20 } };
    assert.deepEqual(settings({ rateLimit: { requestsPerMinute: 600 } }, 'standard', custom).rateLimit, { requestsPerMinute: 600, burst: 20 });
    assert.deepEqual(settings({ rateLimit: { burst: 50 } }, 'standard', custom).rateLimit, { requestsPerMinute: 100, burst: 50 });
    assert.deepEqual(settings({ rateLimit: { requestsPerMinute: 30, burst: 30 } }, 'standard', custom).rateLimit, { requestsPerMinute: 30, burst: 30 });
  });

  it('keeps the expiry unless given, and null clears it on a plan that allows it', () => {
    assert.equal(settings({}, 'pro', current).expiresAt, current.expiresAt);
    assert.equal(settings({ expiresAt: null }, 'pro', current).expiresAt, null);
    assert.deepEqual(fields({ expiresAt: null }, 'standard', current), ['expires_at']);
    assert.equal(settings({ expiresAt: '2026-12-24T18:00:00Z' }, 'standard', current).expiresAt, '2026-12-24T18:00:00.000Z');
  });

  it('replaces meta as a whole', () => {
    assert.deepEqual(settings({ meta: { owner: 'ops' } }, 'standard', current).meta, { owner: 'ops' });
    assert.deepEqual(settings({ meta: {} }, 'standard', current).meta, {});
  });
});
