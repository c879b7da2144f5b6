import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { auditDetailsText, creatorLabel, emailsInEntries, partyLabel } from '../../../web/src/members/people.js';

const emails = new Map([['usr_olivia', 'olivia@acme.example']]);

describe('people in words', () => {
  it('names a member by e-mail and keeps the id in the title', () => {
    assert.deepEqual(partyLabel({ type: 'user', id: 'usr_olivia' }, emails), { text: 'olivia@acme.example', title: 'user usr_olivia' });
    assert.deepEqual(partyLabel({ type: 'user', id: 'usr_gone' }, emails), { text: 'user usr_gone', title: undefined }, 'an unknown person keeps the id');
  });

  it('says that a user missing from the whole members list is no member now, and finds removed members in entries', () => {
    assert.deepEqual(partyLabel({ type: 'user', id: 'usr_gone' }, emails, true), {
      text: 'former member or operator (usr_gone)',
      title: 'user usr_gone, not a member of this tenant now',
    });
    const removed = { target: { type: 'user', id: 'usr_gone' }, details: { email: 'gone@acme.example', role: 'developer' } };
    const keyEntry = { target: { type: 'key', id: 'key_1' }, details: { email: 'not-a-person' } };
    assert.deepEqual([...emailsInEntries([removed, keyEntry])], [['usr_gone', 'gone@acme.example']]);
  });

  it('names an operator by what acted for it', () => {
    assert.equal(partyLabel({ type: 'operator', id: 'env' }, emails).text, 'operator (root token env)');
    assert.equal(partyLabel({ type: 'operator', id: 'cli' }, emails).text, 'operator (CLI)');
    assert.equal(partyLabel({ type: 'operator', id: 'rtk_1' }, emails).text, 'operator (root token rtk_1)');
    assert.equal(partyLabel({ type: 'system', id: null }, emails).text, 'system');
    assert.equal(partyLabel({ type: 'key', id: 'key_1' }, emails).text, 'key key_1');
  });

  it("reads a key's created_by", () => {
    assert.deepEqual(creatorLabel('user:usr_olivia', emails), { text: 'olivia@acme.example', title: 'user usr_olivia' });
    assert.equal(creatorLabel('operator:cli', emails).text, 'operator (CLI)');
    assert.equal(creatorLabel('system', emails).text, 'system');
  });

  it('says audit details as text, not JSON', () => {
    assert.deepEqual(auditDetailsText({}), []);
    assert.deepEqual(auditDetailsText({ fields: ['name', 'scopes'], role: { from: 'viewer', to: 'owner' }, grace_period_seconds: null }), [
      'fields: name, scopes',
      'role: viewer → owner',
      'grace period: until revoked',
    ]);
  });

  it('tells a rotation without a grace period from one of 0 seconds', () => {
    assert.deepEqual(auditDetailsText({ grace_period_seconds: null }), ['grace period: until revoked']);
    assert.deepEqual(auditDetailsText({ grace_period_seconds: 0 }), ['grace period: 0 s (at once)']);
  });

  it("says durations in hours and minutes and a key's id by its name where known", () => {
    const names = new Map([['key_new', 'prod-order-bot']]);
    assert.deepEqual(auditDetailsText({ rotated_to: 'key_new', grace_period_seconds: 9000 }, names), ['rotated to: prod-order-bot', 'grace period: 2 hours 30 minutes']);
    assert.deepEqual(auditDetailsText({ rotated_to: 'key_gone', grace_period_seconds: 86_460 }, names), ['rotated to: key_gone', 'grace period: 1 day 1 minute']);
  });
});
