import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Plan } from '../../../web/src/api/types.js';
import { customDateProblem, expiresAtFor } from '../../../web/src/keys/expiry.js';
import { draftProblems, newKeyDraft, settingsOfDraft, visibleProblems } from '../../../web/src/keys/key-draft.js';

const NOW = Date.parse('2026-06-01T12:00:00Z');
const standard: Plan = { name: 'standard', m2m_api: true, default_rpm: 100, max_rpm: 1000, max_live_keys: 10, never_expiring_keys: false, max_key_lifetime_days: null };
const pro: Plan = { ...standard, name: 'pro', max_rpm: 2000, never_expiring_keys: true, max_key_lifetime_days: null };

describe('expiry choices', () => {
  it('turns presets into times from now, never into null and keep into nothing', () => {
    assert.equal(expiresAtFor('30d', '', NOW), '2026-07-01T12:00:00Z');
    assert.equal(expiresAtFor('1y', '', NOW), '2027-06-01T12:00:00Z');
    assert.equal(expiresAtFor('never', '', NOW), null);
    assert.equal(expiresAtFor('keep', '', NOW), undefined);
    assert.equal(expiresAtFor('custom', '2026-12-24', NOW), '2026-12-24T23:59:59Z');
  });

  it('wants a custom date that has not passed', () => {
    assert.equal(customDateProblem('2026-06-01', NOW), null);
    assert.match(customDateProblem('2026-05-31', NOW) ?? '', /future/);
    assert.match(customDateProblem('', NOW) ?? '', /Pick a date/);
  });
});

describe('a plan that bounds how long a key lives', () => {
  const bounded: Plan = { ...standard, name: 'partner', max_key_lifetime_days: 90 };

  it('starts a new draft at the longest preset within the bound, and refuses a later expiry as the server would', () => {
    assert.equal(newKeyDraft(bounded).expiry, '90d');
    assert.equal(newKeyDraft({ ...bounded, max_key_lifetime_days: 45 }).expiry, '30d');
    assert.equal(newKeyDraft(standard).expiry, '1y');
    const draft = { ...newKeyDraft(bounded), name: 'bot' };
    assert.deepEqual(draftProblems(draft, bounded, NOW), {});
    assert.equal(draftProblems({ ...draft, expiry: '1y' }, bounded, NOW).expiry, 'The partner plan allows keys to live at most 90 days.');
    assert.equal(draftProblems({ ...draft, expiry: 'custom', customDate: '2026-08-29' }, bounded, NOW).customDate, undefined, 'within 90 days');
    assert.equal(draftProblems({ ...draft, expiry: 'custom', customDate: '2026-09-30' }, bounded, NOW).customDate, 'The partner plan allows keys to live at most 90 days.');
  });
});

describe('draftProblems', () => {
  it('starts a new draft at the plan default rate limit and a one-year expiry', () => {
    const draft = newKeyDraft(pro);
    assert.equal(draft.rpm, '100');
    assert.equal(draft.expiry, '1y');
  });

  it('names each bad field', () => {
    const draft = { ...newKeyDraft(standard), name: '', scopes: ['Sites'], rpm: '5000', allowedIps: '10.0.0.0/8 300.1.1.1', expiry: 'never' as const, meta: '[1]' };
    const problems = draftProblems(draft, standard, NOW);
    assert.deepEqual(Object.keys(problems).sort(), ['allowedIps', 'expiry', 'meta', 'name', 'rpm', 'scopes']);
    assert.match(problems.allowedIps ?? '', /300\.1\.1\.1/);
    assert.doesNotMatch(problems.allowedIps ?? '', /10\.0\.0\.0/);
  });

  it("checks the server's list, customer-ID and meta limits, every problem at once", () => {
    const ips = Array.from({ length: 101 }, (_, i) => `10.0.${Math.floor(i / 256)}.${i % 256}`).join('\n');
    const draft = {
      ...newKeyDraft(standard),
      name: 'prod-order-bot',
      allowedIps: `${ips}\n300.1.1.1`,
      customerIds: ['c'.repeat(101), 'cust_2', 'd'.repeat(120)].join('\n'),
      meta: JSON.stringify({ note: 'é'.repeat(2100) }),
    };
    const problems = draftProblems(draft, standard, NOW);
    assert.equal(problems.allowedIps, 'Not an IP address or CIDR: 300.1.1.1. Use at most 100 IP addresses or CIDRs; there are 102.');
    assert.equal(problems.customerIds, 'A customer ID may have at most 100 characters: entry 1 has 101, entry 3 has 120.');
    assert.equal(problems.meta, 'Meta may be at most 4096 bytes as JSON; this is 4211.', 'bytes of UTF-8, as the server counts');
    const many = Array.from({ length: 101 }, (_, i) => `cust_${i}`).join(',');
    assert.equal(draftProblems({ ...draft, customerIds: many }, standard, NOW).customerIds, 'Use at most 100 customer IDs; there are 101.');
    const fine = draftProblems({ ...draft, allowedIps: '10.0.0.1', customerIds: 'c'.repeat(100), meta: '{}' }, standard, NOW);
    assert.deepEqual(fine, {});
  });

  it('allows never-expiring keys only where the plan does', () => {
    const draft = { ...newKeyDraft(pro), name: 'prod-order-bot', expiry: 'never' as const };
    assert.deepEqual(draftProblems(draft, pro, NOW), {});
    assert.ok(draftProblems(draft, standard, NOW).expiry);
  });

  it('leaves the rate limit to the server on a plan without M2M access (ceiling 0)', () => {
    const free: Plan = { name: 'free', m2m_api: false, default_rpm: 0, max_rpm: 0, max_live_keys: 0, never_expiring_keys: false, max_key_lifetime_days: null };
    const draft = { ...newKeyDraft(free), name: 'prod-order-bot' };
    assert.equal(draft.rpm, '100');
    assert.equal(draftProblems(draft, free, NOW).rpm, undefined);
  });

  it('stops a submit while a scope is typed in "Other scope" but not added, and says so only after the attempt', () => {
    const draft = { ...newKeyDraft(pro), name: 'prod-order-bot', typedScope: ' orders:read ' };
    const problems = draftProblems(draft, pro, NOW);
    assert.equal(problems.typedScope, 'Add or clear the scope you typed.');
    assert.equal(visibleProblems(problems, draft, false).typedScope, undefined, 'not while the user may still click Add scope');
    assert.equal(visibleProblems(problems, draft, true).typedScope, 'Add or clear the scope you typed.');
    const malformed = { ...draft, typedScope: 'Orders' };
    assert.match(visibleProblems(draftProblems(malformed, pro, NOW), malformed, false).typedScope ?? '', /resource:action/, 'a malformed one is named at once');
    assert.deepEqual(draftProblems({ ...draft, typedScope: '  ' }, pro, NOW), {});
  });

  it('hides the empty-name problem until the user tries to submit', () => {
    const draft = newKeyDraft(standard);
    const problems = draftProblems(draft, standard, NOW);
    assert.equal(visibleProblems(problems, draft, false).name, undefined);
    assert.ok(visibleProblems(problems, draft, true).name);
  });
});

describe('settingsOfDraft', () => {
  it('builds the create body from what was typed', () => {
    const draft = { ...newKeyDraft(pro), name: ' prod-order-bot ', scopes: ['sites:read'], rpm: '250', allowedIps: '10.0.0.0/8,\n192.0.2.1', expiry: '90d' as const };
    assert.deepEqual(settingsOfDraft(draft, NOW), {
      name: 'prod-order-bot', scopes: ['sites:read'], allowed_ips: ['10.0.0.0/8', '192.0.2.1'], customer_ids: [], meta: {},
      rate_limit: { requests_per_minute: 250 }, expires_at: '2026-08-30T12:00:00Z',
    });
  });

  it('sends a typed burst with the rate limit', () => {
    assert.deepEqual(settingsOfDraft({ ...newKeyDraft(pro), name: 'k', rpm: '60', burst: '10' }, NOW).rate_limit, { requests_per_minute: 60, burst: 10 });
    assert.deepEqual(settingsOfDraft({ ...newKeyDraft(pro), name: 'k', rpm: '60' }, NOW).rate_limit, { requests_per_minute: 60 });
  });

  it('checks a typed burst against the plan', () => {
    assert.equal(draftProblems({ ...newKeyDraft(standard), name: 'k', burst: '' }, standard, NOW).burst, undefined);
    assert.match(draftProblems({ ...newKeyDraft(standard), name: 'k', burst: '5000' }, standard, NOW).burst ?? '', /at most 1000/);
    assert.ok(draftProblems({ ...newKeyDraft(standard), name: 'k', burst: '0' }, standard, NOW).burst);
  });
});
