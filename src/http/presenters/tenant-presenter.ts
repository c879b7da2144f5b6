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

export function presentMember(member: Member) {
  return {
    user_id: member.user.id,
    email: member.user.email,
    phone: member.user.phone,
    role: member.role,
    created_at: toWire(member.createdAt),
    updated_at: toWire(member.updatedAt),
  };
}

export function presentAuditEntry(entry: AuditEntry) {
  return { id: entry.id, at: toWire(entry.at), actor: entry.actor, action: entry.action, target: entry.target, ip: entry.ip, details: entry.details };
}
