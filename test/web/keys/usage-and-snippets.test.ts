import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { describeGrace, graceProblem, gracePeriodSeconds } from '../../../web/src/keys/grace-period.js';
import { connectivityCheck, keySnippets } from '../../../web/src/keys/snippets.js';
import { axisTicks, groupUsage, niceCeiling, outcomeOf } from '../../../web/src/keys/usage-series.js';
import { usageRange } from '../../../web/src/keys/usage-range.js';

describe('usage grouping', () => {
  it('stacks 401 codes, 403 codes, rate limits and the rest into their outcomes', () => {
    const [point] = groupUsage([{ start: '2026-06-01T10:00:00Z', counts: { valid: 12, invalid_api_key: 2, expired_api_key: 1, insufficient_scope: 3, ip_not_allowed: 1, rate_limited: 4, not_found: 5 } }]);
    assert.deepEqual(point?.byOutcome, { valid: 12, unauthorized: 3, forbidden: 4, rate_limited: 4, other: 5 });
    assert.equal(point?.total, 28);
  });

  it('keeps empty intervals as zeros', () => {
    assert.deepEqual(groupUsage([{ start: '2026-06-01T10:00:00Z', counts: {} }])[0]?.total, 0);
    assert.equal(outcomeOf('something_new'), 'other');
  });

  it('rounds the axis up to 1, 2 or 5 times a power of ten', () => {
    assert.deepEqual([0, 1, 3, 7, 12, 48, 51, 999].map(niceCeiling), [1, 1, 5, 10, 20, 50, 100, 1000]);
  });

  it('puts ticks only at whole request counts', () => {
    assert.deepEqual(axisTicks(niceCeiling(0)), [0, 1]);
    assert.deepEqual(axisTicks(5), [0, 5]);
    assert.deepEqual(axisTicks(2), [0, 1, 2]);
    assert.deepEqual(axisTicks(50), [0, 25, 50]);
  });

  it('asks for whole hours and days ending now', () => {
    const now = Date.parse('2026-06-01T12:34:56Z');
    assert.deepEqual(usageRange('hour', now), { from: '2026-05-31T13:00:00Z', to: '2026-06-01T12:34:56Z' });
    assert.deepEqual(usageRange('day', now), { from: '2026-05-26T00:00:00Z', to: '2026-06-01T12:34:56Z' });
  });
});

describe('snippets', () => {
  const url = 'http://127.0.0.1:8080/api/v1/m2m/tenants/ten_1/limits';
  const secret = 'lk_live_Secret';

  it('puts the secret in X-API-Key, never in the URL', () => {
    for (const snippet of keySnippets(url, secret)) {
      assert.match(snippet.code, /X-API-Key/);
      assert.ok(snippet.code.includes(secret), snippet.id);
      assert.ok(snippet.code.includes(url), snippet.id);
      assert.ok(!snippet.code.includes(`${url}?`), snippet.id);
    }
    assert.deepEqual(keySnippets(url, secret).map((s) => s.id), ['curl', 'javascript', 'python']);
  });

  it('gives the empty state a command with the key in an environment variable', () => {
    assert.equal(connectivityCheck(url), `curl -H "X-API-Key: $LATCHKEY_KEY" ${url}`);
  });
});

describe('grace period', () => {
  it('turns hours and minutes into seconds and refuses nonsense', () => {
    assert.equal(gracePeriodSeconds('2', '30'), 9000);
    assert.equal(gracePeriodSeconds('', ''), 0);
    assert.equal(gracePeriodSeconds('1.5', '0'), null);
    assert.equal(gracePeriodSeconds('1', '60'), null);
    assert.equal(gracePeriodSeconds('-1', '0'), null);
  });

  it('refuses more than a year, said in hours as the form asks', () => {
    assert.equal(graceProblem('8760', '0'), null);
    assert.equal(graceProblem('8760', '1'), 'A grace period can last at most one year (8760 hours).');
    assert.equal(graceProblem('9000', ''), 'A grace period can last at most one year (8760 hours).');
    assert.equal(graceProblem('1', '60'), 'Enter whole hours and 0-59 minutes.');
  });

  it('says in words what happens to the old key', () => {
    assert.equal(describeGrace(0), 'The old key stops at once.');
    assert.match(describeGrace(9000), /2 hours and 30 minutes/);
  });
});
