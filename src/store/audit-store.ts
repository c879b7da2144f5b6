// The audit log: who changed what, when, from where.
import type { Kysely, Selectable } from 'kysely';
import { decodeCursor, type Page, type PageRequest, toPage } from './pagination.js';
import type { AuditLogTable, Database } from './schema.js';

/** Every action an audit entry can record (CONTRACT.md section 2). */
export const AUDIT_ACTIONS = [
  'tenant.created', 'tenant.updated',
  'member.added', 'member.updated', 'member.removed',
  'key.created', 'key.updated', 'key.deactivated', 'key.activated', 'key.revoked',
  'key.regenerated', 'key.rotated', 'key.expired',
  'auth.signed_in', 'auth.otp_failed', 'auth.step_up', 'auth.signed_out',
] as const;

export type AuditAction = (typeof AUDIT_ACTIONS)[number];

/** What a list of audit entries may be narrowed to; a time range is of stored times, either end open. */
export interface AuditFilter {
  action?: AuditAction | undefined;
  from?: string | undefined;
  to?: string | undefined;
}

export type ActorType = 'operator' | 'user' | 'system';

export interface Actor {
  type: ActorType;
  id: string | null;
}

export interface AuditEntry {
  id: string;
  tenantId: string | null;
  at: string;
  actor: Actor;
  action: AuditAction;
  target: { type: string; id: string };
  ip: string | null;
  details: Record<string, unknown>;
}

function toEntry(row: Selectable<AuditLogTable>): AuditEntry {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    at: row.at,
    actor: { type: row.actor_type as ActorType, id: row.actor_id },
    action: row.action as AuditAction,
    target: { type: row.target_type, id: row.target_id },
    ip: row.ip,
    details: JSON.parse(row.details) as Record<string, unknown>,
  };
}

export class AuditStore {
  constructor(private readonly db: Kysely<Database>) {}

  async insert(entry: AuditEntry): Promise<void> {
    await this.db
      .insertInto('audit_log')
      .values({
        id: entry.id,
        tenant_id: entry.tenantId,
        at: entry.at,
        actor_type: entry.actor.type,
        actor_id: entry.actor.id,
        action: entry.action,
        target_type: entry.target.type,
        target_id: entry.target.id,
        ip: entry.ip,
        details: JSON.stringify(entry.details),
      })
      .execute();
  }

  async list(tenantId: string, page: PageRequest, filter: AuditFilter = {}): Promise<Page<AuditEntry>> {
    let query = this.db.selectFrom('audit_log').selectAll().where('tenant_id', '=', tenantId);
    if (filter.action) query = query.where('action', '=', filter.action);
    if (filter.from !== undefined) query = query.where('at', '>=', filter.from);
    if (filter.to !== undefined) query = query.where('at', '<=', filter.to);
    if (page.cursor) {
      const c = decodeCursor(page.cursor, 'aud');
      query = query.where((eb) => eb.or([eb('at', '<', c.at), eb.and([eb('at', '=', c.at), eb('id', '<', c.id)])]));
    }
    const rows = await query.orderBy('at', 'desc').orderBy('id', 'desc').limit(page.limit + 1).execute();
    return toPage(rows, page.limit, (r) => ({ at: r.at, id: r.id }), toEntry);
  }
}
