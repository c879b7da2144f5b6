// Management routes for tenants (operators create and change them; members read theirs).
import { Type } from 'typebox';
import type { TenantService } from '../../manage/tenant-service.js';
import { presentTenant } from '../presenters/tenant-presenter.js';
import { actionContext, isOperator, principalOf } from '../principal.js';
import { errorResponses, pageOf, TenantParams } from '../schemas/common.js';
import { CreateTenantBody, TenantListQuery, UpdateTenantBody } from '../schemas/tenant-schemas.js';
import type { TypedApp } from '../typed-app.js';

const tags = ['tenants'];
const TenantRef = Type.Ref('Tenant');

export function registerTenantRoutes(app: TypedApp, tenants: TenantService): void {
  app.post('/v1/tenants', {
    config: { access: { allow: 'operator' } },
    schema: { tags, operationId: 'createTenant', summary: 'Create a tenant (defaults: plan standard, status active)', body: CreateTenantBody, response: { 201: TenantRef, ...errorResponses(400, 401, 403, 413, 415) } },
  }, async (request, reply) => {
    const { name, plan, status, key_prefix } = request.body;
    const tenant = await tenants.create({ name, plan, status, keyPrefix: key_prefix }, actionContext(request));
    return reply.code(201).send(presentTenant(tenant));
  });

  app.get('/v1/tenants', {
    config: { access: { allow: 'signed-in' } },
    schema: { tags, operationId: 'listTenants', summary: 'List tenants, newest first: all for operators, their own for members', querystring: TenantListQuery, response: { 200: pageOf(TenantRef), ...errorResponses(400, 401) } },
  }, async (request) => {
    const principal = principalOf(request);
    const ids = principal.kind === 'user' && !isOperator(principal) ? [...principal.session.roles.keys()] : undefined;
    const { search, limit = 50, cursor } = request.query;
    const page = await tenants.list({ limit, cursor }, { ids, search });
    return { data: page.data.map(presentTenant), next_cursor: page.nextCursor };
  });

  app.get('/v1/tenants/:tenantId', {
    config: { access: { allow: 'reader' } },
    schema: { tags, operationId: 'getTenant', summary: 'Get a tenant', params: TenantParams, response: { 200: TenantRef, ...errorResponses(401, 404) } },
  }, async (request) => presentTenant(await tenants.get(request.params.tenantId)));

  app.patch('/v1/tenants/:tenantId', {
    config: { access: { allow: 'operator' } },
    schema: { tags, operationId: 'updateTenant', summary: 'Change name, plan, status or key prefix (operator)', params: TenantParams, body: UpdateTenantBody, response: { 200: TenantRef, ...errorResponses(400, 401, 403, 404, 413, 415) } },
  }, async (request) => {
    const { name, plan, status, key_prefix } = request.body;
    return presentTenant(await tenants.update(request.params.tenantId, { name, plan, status, keyPrefix: key_prefix }, actionContext(request)));
  });
}
