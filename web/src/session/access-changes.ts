// What changed in a person's tenants and roles between two reads of `GET /v1/auth/me`, in words.
import type { Me, Role } from '../api/types.js';
import { canManage } from './roles.js';

/**
 * One sentence per tenant the person left, joined or got a new role in; empty when nothing changed. Operators
 * act as owner everywhere, so their memberships change nothing they can do.
 *
 * @example
 * accessChanges(before, after); // ["Your role in Acme Logistics is now viewer: you can look, but no longer change keys or members."]
 */
export function accessChanges(before: Me, after: Me): string[] {
  if (before.operator || after.operator) return [];
  const was = new Map(before.memberships.map((m) => [m.tenant_id, m]));
  const now = new Map(after.memberships.map((m) => [m.tenant_id, m]));
  const changes: string[] = [];
  for (const old of before.memberships) {
    const current = now.get(old.tenant_id);
    if (current === undefined) changes.push(`You are no longer a member of ${old.tenant_name}.`);
    else if (current.role !== old.role) changes.push(`Your role in ${current.tenant_name} is now ${current.role}${rightsOf(current.role, old.role)}.`);
  }
  for (const added of after.memberships) {
    if (!was.has(added.tenant_id)) changes.push(`You were added to ${added.tenant_name} as ${added.role}.`);
  }
  return changes;
}

function rightsOf(role: Role, previous: Role): string {
  if (canManage(role) === canManage(previous)) return '';
  return canManage(role) ? ': you can now change keys and members' : ': you can look, but no longer change keys or members';
}
