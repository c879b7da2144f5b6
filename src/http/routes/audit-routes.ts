// The audit log of a tenant: who changed what, when, from where.
import { Type } from 'typebox';
import { AUDIT_ACTIONS, type AuditStore } from '../../store/audit-store.js';
import { presentAuditEntry } from '../presenters/tenant-presenter.js';
import { errorResponses, Literals, pageOf, PageQuery, STRICT_QUERY, TenantParams } from '../schemas/common.js';
import { storedTimeRange } from '../time-range.js';
import type { TypedApp } from '../typed-app.js';

export function registerAuditRoutes(app: TypedApp, audit: AuditStore): void {
  app.get('/v1/tenants/:tenantId/audit-log', {
    config: { access: { allow: 'reader' } },
    schema: {
      tags: ['audit'],
      operationId: 'listAuditEntries',
      summary: 'Audit entries, newest first',
      params: TenantParams,
      querystring: Type.Object({
        ...PageQuery,
        action: Type.Optional(Literals(AUDIT_ACTIONS, { description: 'only entries of this action' })),
        from: Type.Optional(Type.String({ format: 'date-time', description: 'entries at or after this time' })),
        to: Type.Optional(Type.String({ format: 'date-time', description: 'entries at or before this time' })),
      }, STRICT_QUERY),
      response: { 200: pageOf(Type.Ref('AuditEntry')), ...errorResponses(400, 401, 404) },
    },
  }, async (request) => {
    const { limit = 50, cursor, action, from, to } = request.query;
    const page = await audit.list(request.params.tenantId, { limit, cursor }, { action, ...storedTimeRange(from, to) });
    return { data: page.data.map(presentAuditEntry), next_cursor: page.nextCursor };
  });
}
