// Writes audit entries for the services; one place that stamps id and time.
import { newId } from '../core/ids.js';
import { toStored } from '../core/time.js';
import type { Kysely } from 'kysely';
import { type AuditAction, AuditStore } from '../store/audit-store.js';
import type { Database } from '../store/schema.js';
import type { ActionContext, Clock } from './context.js';

export class AuditLog {
  constructor(private readonly store: AuditStore, private readonly clock: Clock) {}

  /** This log writing through `db`: a change's transaction, so that its entry commits with it. */
  in(db: Kysely<Database>): AuditLog {
    return new AuditLog(new AuditStore(db), this.clock);
  }

  async record(
    ctx: ActionContext,
    tenantId: string | null,
    action: AuditAction,
    target: { type: string; id: string },
    details: Record<string, unknown> = {},
    /** When it happened, if not now (stored form). */
    at: string = toStored(this.clock.now()),
  ): Promise<void> {
    await this.store.insert({ id: newId('aud'), tenantId, at, actor: ctx.actor, action, target, ip: ctx.ip, details });
  }
}
