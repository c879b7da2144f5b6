// The audit log of a tenant: who changed what, when, from where.
import { Type } from 'typebox';
import type { AuditStore } from '../../store/audit-store.js';
import { presentAuditEntry } from '../presenters/tenant-presenter.js';
import { errorResponses, PageQuery, pageOf, TenantParams } from '../schemas/common.js';
import type { TypedApp } from '../typed-app.js';

export function registerAuditRoutes(app: TypedApp, audit: AuditStore): void {
  app.get('/v1/tenants/:tenantId/audit-log', {
    config: { access: { allow: 'reader' } },
    schema: {
      tags: ['audit'],
      summary: 'Audit entries, newest first',
      params: TenantParams,
      querystring: Type.Object({ ...PageQuery, action: Type.Optional(Type.String({ maxLength: 40 })) }),
      response: { 200: pageOf(Type.Ref('AuditEntry')), ...errorResponses(400, 401, 404) },
    },
  }, async (request) => {
    const { limit = 50, cursor, action } = request.query;
    const page = await audit.list(request.params.tenantId, { limit, cursor }, { action });
    return { data: page.data.map(presentAuditEntry), next_cursor: page.nextCursor };
  });
}
