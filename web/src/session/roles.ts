// What a signed-in person may do in a tenant: their membership role, operators acting as owner everywhere.
import type { Me, Role } from '../api/types.js';

export function roleIn(me: Me, tenantId: string): Role | null {
  if (me.operator) return 'owner';
  return me.memberships.find((m) => m.tenant_id === tenantId)?.role ?? null;
}

/** Owners and admins create and change keys and members; developers and viewers only read. */
export function canManage(role: Role | null): boolean {
  return role === 'owner' || role === 'admin';
}

/**
 * The tenant to show: the one in the address if allowed, else the last one used, else the first the person has
 * used (`joined`), else the first available. Opening a tenant joins it, and a joined tenant's audit log gets the
 * person's sign-ins: a tenant that only added the address is never opened unasked while another will do.
 */
export function chooseTenant(available: readonly string[], requested: string | null, remembered: string | null, operator: boolean, joined: readonly string[] = []): string | null {
  if (requested !== null && (operator || available.includes(requested))) return requested;
  // An operator's list is only the newest tenants: one remembered from further back is theirs too.
  if (remembered !== null && (operator || available.includes(remembered))) return remembered;
  return available.find((id) => joined.includes(id)) ?? available[0] ?? null;
}
