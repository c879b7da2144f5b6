// Tenants, members and audit entries as clients see them.
import type { Tenant } from '../../core/api-key.js';
import { toWire } from '../../core/time.js';
import type { AuditEntry } from '../../store/audit-store.js';
import type { Member } from '../../store/member-store.js';

export function presentTenant(tenant: Tenant) {
  return {
    id: tenant.id,
    name: tenant.name,
    plan: tenant.plan,
    status: tenant.status,
    key_prefix: tenant.keyPrefix,
    created_at: toWire(tenant.createdAt),
    updated_at: toWire(tenant.updatedAt),
  };
}

/**
 * `fullPhone` false: the phone shows only its last two digits. A person's phone is theirs across tenants; a tenant
 * they share with others sees that one is set, not the number (operators and the person see it whole).
 */
export function presentMember(member: Member, fullPhone = true) {
  const phone = member.user.phone;
  return {
    user_id: member.user.id,
    email: member.user.email,
    phone: phone === null || fullPhone ? phone : `••••••${phone.slice(-2)}`,
    role: member.role,
    created_at: toWire(member.createdAt),
    updated_at: toWire(member.updatedAt),
    joined_at: member.joinedAt === null ? null : toWire(member.joinedAt),
  };
}

export function presentAuditEntry(entry: AuditEntry) {
  return { id: entry.id, at: toWire(entry.at), actor: entry.actor, action: entry.action, target: entry.target, ip: entry.ip, details: entry.details };
}
