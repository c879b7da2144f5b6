import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Me } from '../../../web/src/api/types.js';
import { accessChanges } from '../../../web/src/session/access-changes.js';

const before: Me = {
  user: { id: 'usr_1', email: 'a@b.c', phone: null }, operator: false, csrf_token: 't', step_up_until: null,
  memberships: [{ tenant_id: 'ten_1', tenant_name: 'Acme', role: 'owner', joined: true }, { tenant_id: 'ten_2', tenant_name: 'Beta', role: 'admin', joined: true }],
};

describe('access changes', () => {
  it('says nothing when the tenants and roles are the same', () => {
    assert.deepEqual(accessChanges(before, { ...before, csrf_token: 'new' }), []);
  });

  it('names a lost tenant, a new one and a new role, and what the role may do', () => {
    const after: Me = {
      ...before,
      memberships: [{ tenant_id: 'ten_1', tenant_name: 'Acme', role: 'viewer', joined: true }, { tenant_id: 'ten_3', tenant_name: 'Gamma', role: 'developer', joined: true }],
    };
    assert.deepEqual(accessChanges(before, after), [
      'Your role in Acme is now viewer: you can look, but no longer change keys or members.',
      'You are no longer a member of Beta.',
      'You were added to Gamma as developer.',
    ]);
    assert.deepEqual(accessChanges(before, { ...before, memberships: [{ tenant_id: 'ten_1', tenant_name: 'Acme', role: 'admin', joined: true }, before.memberships[1]!] }), [
      'Your role in Acme is now admin.',
    ]);
  });

  it('says nothing to operators, who act as owner everywhere', () => {
    assert.deepEqual(accessChanges({ ...before, operator: true }, { ...before, operator: true, memberships: [] }), []);
  });
});
