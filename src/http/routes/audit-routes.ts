// The audit log of a tenant: who changed what, when, from where.
import { Type } from 'typebox';
import type { Clock } from '../../manage/context.js';
import { AUDIT_ACTIONS, type AuditStore } from '../../store/audit-store.js';
import { ExportFile, ExportFormatQuery, sendListExport } from '../list-export.js';
import { presentAuditEntry } from '../presenters/tenant-presenter.js';
import { errorResponses, Literals, pageOf, PageQuery, STRICT_QUERY, TenantParams } from '../schemas/common.js';
import { storedTimeRange } from '../time-range.js';
import type { TypedApp } from '../typed-app.js';

const AuditFilters = {
  action: Type.Optional(Literals(AUDIT_ACTIONS, { description: 'only entries of this action' })),
  from: Type.Optional(Type.String({ format: 'date-time', description: 'entries at or after this time' })),
  to: Type.Optional(Type.String({ format: 'date-time', description: 'entries at or before this time' })),
};

type PresentedAuditEntry = ReturnType<typeof presentAuditEntry>;
/** The export's columns: the list's fields, with the actor and target spread out and the details as JSON. */
const AUDIT_COLUMNS = [
  ['id', (entry: PresentedAuditEntry) => entry.id],
  ['at', (entry: PresentedAuditEntry) => entry.at],
  ['actor_type', (entry: PresentedAuditEntry) => entry.actor.type],
  ['actor_id', (entry: PresentedAuditEntry) => entry.actor.id],
  ['action', (entry: PresentedAuditEntry) => entry.action],
  ['target_type', (entry: PresentedAuditEntry) => entry.target.type],
  ['target_id', (entry: PresentedAuditEntry) => entry.target.id],
  ['ip', (entry: PresentedAuditEntry) => entry.ip],
  ['details', (entry: PresentedAuditEntry) => JSON.stringify(entry.details)],
] as const;

export function registerAuditRoutes(app: TypedApp, audit: AuditStore, clock: Clock): void {
  app.get('/v1/tenants/:tenantId/audit-log', {
    config: { access: { allow: 'reader' } },
    schema: {
      tags: ['audit'],
      operationId: 'listAuditEntries',
      summary: 'Audit entries, newest first',
      params: TenantParams,
      querystring: Type.Object({ ...PageQuery, ...AuditFilters }, STRICT_QUERY),
      response: { 200: pageOf(Type.Ref('AuditEntry')), ...errorResponses(400, 401, 404) },
    },
  }, async (request) => {
    const { limit = 50, cursor, action, from, to } = request.query;
    const page = await audit.list(request.params.tenantId, { limit, cursor }, { action, ...storedTimeRange(from, to) });
    return { data: page.data.map(presentAuditEntry), next_cursor: page.nextCursor };
  });

  app.get('/v1/tenants/:tenantId/audit-log/export', {
    config: { access: { allow: 'reader' } },
    schema: {
      tags: ['audit'],
      operationId: 'exportAuditEntries',
      summary: 'Every audit entry the filters match, newest first, as one CSV or NDJSON file',
      params: TenantParams,
      querystring: Type.Object({ ...AuditFilters, format: ExportFormatQuery }, STRICT_QUERY),
      response: { 200: ExportFile, ...errorResponses(400, 401, 404) },
    },
  }, async (request, reply) => {
    const { tenantId } = request.params;
    const { action, from, to, format = 'csv' } = request.query;
    const filter = { action, ...storedTimeRange(from, to) };
    return sendListExport(reply, {
      name: `audit-log-${tenantId}-${clock.now().toISOString().slice(0, 10)}`,
      format,
      read: (cursor, limit) => audit.list(tenantId, { limit, cursor }, filter),
      present: presentAuditEntry,
      columns: AUDIT_COLUMNS,
    });
  });
}
