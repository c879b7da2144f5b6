import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { roleChangeWarning } from '../../../web/src/members/role-change.js';

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
