import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Me } from '../../../web/src/api/types.js';
import { canManage, chooseTenant, roleIn } from '../../../web/src/session/roles.js';

const member: Me = {
  user: { id: 'usr_1', email: 'a@b.c', phone: null }, operator: false, csrf_token: 't', step_up_until: null,
  memberships: [{ tenant_id: 'ten_1', tenant_name: 'One', role: 'developer', joined: true }, { tenant_id: 'ten_2', tenant_name: 'Two', role: 'admin', joined: true }],
};

describe('roles', () => {
  it('reads the role of a membership; operators act as owner everywhere', () => {
    assert.equal(roleIn(member, 'ten_1'), 'developer');
    assert.equal(roleIn(member, 'ten_3'), null);
    assert.equal(roleIn({ ...member, operator: true, memberships: [] }, 'ten_3'), 'owner');
  });

  it('lets only owners and admins manage', () => {
    assert.deepEqual((['owner', 'admin', 'developer', 'viewer', null] as const).map(canManage), [true, true, false, false, false]);
  });

  it('chooses the tenant from the address, then the remembered one, then the first', () => {
    assert.equal(chooseTenant(['ten_1', 'ten_2'], 'ten_2', 'ten_1', false), 'ten_2');
    assert.equal(chooseTenant(['ten_1', 'ten_2'], 'ten_9', 'ten_2', false), 'ten_2');
    assert.equal(chooseTenant(['ten_1', 'ten_2'], null, 'ten_9', false), 'ten_1');
    assert.equal(chooseTenant([], 'ten_9', null, true), 'ten_9');
    assert.equal(chooseTenant([], null, null, false), null);
  });

  it('gives an operator the remembered tenant even when it is not among the newest listed', () => {
    assert.equal(chooseTenant(['ten_new1', 'ten_new2'], null, 'ten_old', true), 'ten_old');
    assert.equal(chooseTenant(['ten_new1', 'ten_new2'], null, 'ten_old', false), 'ten_new1', 'a member’s list is whole');
  });

  it('opens unasked a tenant the person has used before one that only added their address', () => {
    assert.equal(chooseTenant(['ten_added', 'ten_own'], null, null, false, ['ten_own']), 'ten_own');
    assert.equal(chooseTenant(['ten_added', 'ten_own'], null, 'ten_added', false, ['ten_own']), 'ten_added', 'one they chose before');
    assert.equal(chooseTenant(['ten_added', 'ten_own'], 'ten_added', null, false, ['ten_own']), 'ten_added', 'one they asked for');
    assert.equal(chooseTenant(['ten_new'], null, null, false, []), 'ten_new', 'a new member opens their one tenant');
  });
});
