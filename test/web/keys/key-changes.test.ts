import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ApiKey } from '../../../web/src/api/types.js';
import { changedOnBothSides, changedSettings, keyChangedMeanwhileNotice, rebaseDraft } from '../../../web/src/keys/key-changes.js';
import { draftOfKey } from '../../../web/src/keys/key-draft.js';

const NOW = Date.parse('2026-06-01T12:00:00Z');
const existing: ApiKey = {
  id: 'key_1', tenant_id: 'ten_1', name: 'prod-order-bot', environment: 'production', scopes: ['sites:read'], rate_limit: { requests_per_minute: 100, burst: 300 },
  allowed_ips: ['10.0.0.0/8'], customer_ids: ['cus_1'], expires_at: '2027-01-01T00:00:00Z', status: 'active', created_at: '2026-01-01T00:00:00Z', created_by: null,
  updated_at: '2026-01-01T00:00:00Z', revoked_at: null, last_used_at: null, last_used_ip: null, start: 'lk_live_AbCd', end: 'wXyZ', rotated_from: null, rotated_to: null,
  meta: { team: 'billing' },
};

describe('changedSettings', () => {
  it('sends only what was edited, so a change made elsewhere to the other fields survives', () => {
    assert.deepEqual(changedSettings({ ...draftOfKey(existing), name: 'prod-order-bot-2' }, existing, NOW), { name: 'prod-order-bot-2' });
    assert.deepEqual(changedSettings(draftOfKey(existing), existing, NOW), {}, 'nothing edited: nothing to send');
  });

  it('compares normalised values: a trimmed name, lists in any order, meta in any layout', () => {
    const two = { ...existing, scopes: ['sites:read', 'orders:read'], allowed_ips: ['10.0.0.0/8', '192.0.2.1'], meta: { team: 'billing', tier: 1 } };
    const retyped = {
      ...draftOfKey(two),
      name: ' prod-order-bot ',
      scopes: ['orders:read', 'sites:read'],
      allowedIps: '192.0.2.1, 10.0.0.0/8\n',
      meta: '{"tier": 1,\n "team": "billing"}',
    };
    assert.deepEqual(changedSettings(retyped, two, NOW), {});
    assert.deepEqual(changedSettings({ ...retyped, allowedIps: '' }, two, NOW), { allowed_ips: [] }, 'emptied: the key works from any IP, as asked');
  });

  it('never sends a field left as it was filled, even one the form would normalise', () => {
    const odd = { ...existing, name: 'spaced name ', customer_ids: ['acme corp'] };
    assert.deepEqual(changedSettings(draftOfKey(odd), odd, NOW), {});
  });

  it('leaves rate limit and expiry out of an edit that did not change them, so a custom burst survives', () => {
    const body = changedSettings({ ...draftOfKey(existing), name: 'prod-order-bot-2' }, existing, NOW);
    assert.equal(body.rate_limit, undefined);
    assert.equal('expires_at' in body, false);
  });

  it('sends the new rate limit when it changed, and a changed or emptied burst', () => {
    assert.deepEqual(changedSettings({ ...draftOfKey(existing), rpm: '120' }, existing, NOW), { rate_limit: { requests_per_minute: 120 } });
    assert.equal(draftOfKey(existing).burst, '300');
    assert.equal(draftOfKey({ ...existing, rate_limit: { requests_per_minute: 100, burst: 100 } }).burst, '', 'a burst that follows the rate is left empty');
    assert.deepEqual(changedSettings({ ...draftOfKey(existing), burst: '500' }, existing, NOW).rate_limit, { burst: 500 });
    assert.deepEqual(changedSettings({ ...draftOfKey(existing), burst: '' }, existing, NOW).rate_limit, { burst: 100 }, 'emptied: it follows the rate again');
    assert.deepEqual(changedSettings({ ...draftOfKey(existing), rpm: '200', burst: '' }, existing, NOW).rate_limit, { requests_per_minute: 200, burst: 200 });
  });

  it('sends a new expiry, and none for "keep"', () => {
    assert.deepEqual(changedSettings({ ...draftOfKey(existing), expiry: 'never' }, existing, NOW), { expires_at: null });
  });
});

describe('rebaseDraft', () => {
  it("shows the key's new values in fields not edited, and keeps the edited ones", () => {
    const elsewhere = { ...existing, scopes: ['orders:read'], allowed_ips: ['10.1.0.0/16'], rate_limit: { requests_per_minute: 66, burst: 66 } };
    const draft = rebaseDraft({ ...draftOfKey(existing), name: 'renamed', typedScope: 'x:y' }, existing, elsewhere);
    assert.deepEqual(draft, { ...draftOfKey(elsewhere), name: 'renamed', typedScope: 'x:y' });
    assert.deepEqual(changedSettings(draft, elsewhere, NOW), { name: 'renamed' });
  });
});

describe('a key changed elsewhere while its settings were edited', () => {
  const mine = { ...draftOfKey(existing), allowedIps: '10.0.0.0/8\n192.0.2.0/24', name: 'renamed' };

  it('keeps both changes of a list: their entries with the additions and removals made here', () => {
    const theirs = { ...existing, allowed_ips: ['10.0.0.0/8', '198.51.100.7'], customer_ids: ['cus_2'] };
    const draft = rebaseDraft({ ...mine, customerIds: 'cus_1\ncus_3' }, existing, theirs);
    assert.equal(draft.allowedIps, '10.0.0.0/8\n198.51.100.7\n192.0.2.0/24');
    assert.equal(draft.customerIds, 'cus_2\ncus_3', 'their cus_2 instead of cus_1, and the cus_3 added here');
    assert.equal(draft.name, 'renamed');
    assert.deepEqual(changedSettings(draft, theirs, NOW), { name: 'renamed', allowed_ips: ['10.0.0.0/8', '198.51.100.7', '192.0.2.0/24'], customer_ids: ['cus_2', 'cus_3'] });

    const removedHere = rebaseDraft({ ...draftOfKey(existing), allowedIps: '' }, existing, theirs);
    assert.equal(removedHere.allowedIps, '198.51.100.7', 'the entry removed here stays removed; theirs is kept');
    const onlyHere = rebaseDraft({ ...draftOfKey(existing), allowedIps: '192.0.2.0/24, 10.0.0.0/8' }, existing, { ...existing, name: 'x' });
    assert.equal(onlyHere.allowedIps, '192.0.2.0/24, 10.0.0.0/8', 'a list not changed elsewhere keeps what was typed');
  });

  it('names the fields both changed, compared as settings, and no field changed on one side only', () => {
    assert.deepEqual(changedOnBothSides(mine, existing, { ...existing, allowed_ips: ['10.0.0.0/8', '198.51.100.7'] }), ['allowedIps']);
    assert.deepEqual(changedOnBothSides(mine, existing, { ...existing, scopes: ['orders:read'], rate_limit: { requests_per_minute: 66, burst: 66 } }), []);
    assert.deepEqual(changedOnBothSides(mine, existing, { ...existing, name: 'theirs', allowed_ips: [] }), ['name', 'allowedIps']);
    const retyped = { ...draftOfKey(existing), allowedIps: ' 10.0.0.0/8 ,', meta: '{ "team":"billing" }' };
    assert.deepEqual(changedOnBothSides(retyped, existing, { ...existing, allowed_ips: [], meta: {} }), [], 'retyped the same: no edit');
  });

  it('says that nothing was saved and that the form shows their changes with the edits kept, naming fields both changed', () => {
    const [first, both, ...rest] = keyChangedMeanwhileNotice(['allowedIps', 'name']);
    assert.match(first ?? '', /^Someone else changed this key while you were editing, so nothing was saved\. The form now shows their changes; your edits are kept\. Check them and save again\.$/);
    assert.equal(both, 'Both of you changed: Allowed IPs and CIDRs (their entries with your additions and removals), Name (your value, which replaces theirs when you save).');
    assert.deepEqual(rest, []);
    assert.equal(keyChangedMeanwhileNotice([]).length, 1, 'no field named when none was changed on both sides');
  });
});
