import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Member } from '../../../web/src/api/types.js';
import { ownerLock, roleChangeWarning } from '../../../web/src/members/role-change.js';

describe('role change warnings', () => {
  it('warns before a change that gives or takes the right to change keys and members', () => {
    assert.match(roleChangeWarning('viewer', 'owner', false) ?? '', /^As owner they will be able to create, change and revoke keys/);
    assert.match(roleChangeWarning('owner', 'developer', true) ?? '', /^You will no longer be able to change keys or members here/);
    assert.match(roleChangeWarning('admin', 'viewer', false) ?? '', /^As viewer they will only be able to look/);
  });

  it('says nothing where the rights stay the same', () => {
    assert.equal(roleChangeWarning('owner', 'admin', true), null);
    assert.equal(roleChangeWarning('developer', 'viewer', false), null);
  });
});

describe('ownerLock', () => {
  const member = (email: string, role: Member['role']): Member =>
    ({ user_id: `usr_${email}`, email, role, phone: null, created_at: '2026-01-01T00:00:00Z', updated_at: '2026-01-01T00:00:00Z', joined_at: null });
  const olivia = member('olivia@acme.example', 'owner');
  const adam = member('adam@acme.example', 'admin');

  it('locks the last owner, as the server would refuse with 409', () => {
    assert.equal(ownerLock(olivia, [olivia, adam], true, 'owner'), 'The only owner: make someone else owner first.');
    assert.equal(ownerLock(adam, [olivia, adam], true, 'owner'), null);
  });

  it('does not call one owner the last when more members lie on other pages', () => {
    assert.equal(ownerLock(olivia, [olivia, adam], false, 'owner'), null);
  });

  it("locks every owner for an admin, whom the server refuses an owner's change (403)", () => {
    const otto = member('otto@acme.example', 'owner');
    assert.equal(ownerLock(olivia, [olivia, otto, adam], true, 'admin'), 'Only an owner can change or remove an owner.');
    assert.equal(ownerLock(olivia, [olivia, otto, adam], true, 'owner'), null);
  });

  it('tells an admin of the last owner only what an admin can know: owners change owners', () => {
    assert.equal(ownerLock(olivia, [olivia, adam], true, 'admin'), 'Only an owner can change or remove an owner.');
  });
});
