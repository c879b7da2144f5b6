// Management routes for a tenant's members (owners and admins change them; every member reads).
import { Type } from 'typebox';
import type { MemberService } from '../../manage/member-service.js';
import { presentMember } from '../presenters/tenant-presenter.js';
import type { Member } from '../../store/member-store.js';
import { actionContext, isOperator, principalOf } from '../principal.js';
import type { FastifyRequest } from 'fastify';
import { errorResponses, MemberParams, NoBody, pageOf, PageQuery, STRICT_QUERY, TenantParams } from '../schemas/common.js';
import { AddMemberBody, UpdateMemberBody } from '../schemas/tenant-schemas.js';
import type { TypedApp } from '../typed-app.js';

const tags = ['members'];
const MemberRef = Type.Ref('Member');
const writeErrors = errorResponses(400, 401, 403, 404, 409, 413, 415);

export function registerMemberRoutes(app: TypedApp, members: MemberService): void {
  /** A member as the caller may see them: a phone that is theirs beyond this tenant, whole only for operators and themselves. */
  function present(request: FastifyRequest, member: Member) {
    const principal = principalOf(request);
    const own = principal.kind === 'user' && principal.session.user.id === member.user.id;
    return presentMember(member, !members.phoneBeyondTenant(member) || own || isOperator(principal));
  }

  app.post('/v1/tenants/:tenantId/members', {
    config: { access: { allow: 'manager' } },
    schema: { tags, operationId: 'addMember', summary: 'Add a member by e-mail with a role', params: TenantParams, body: AddMemberBody, response: { 201: MemberRef, ...writeErrors } },
  }, async (request, reply) => {
    const member = await members.add(request.params.tenantId, request.body, actionContext(request));
    return reply.code(201).send(present(request, member));
  });

  app.get('/v1/tenants/:tenantId/members', {
    config: { access: { allow: 'reader' } },
    schema: { tags, operationId: 'listMembers', summary: 'List members in the order they joined', params: TenantParams, querystring: Type.Object(PageQuery, STRICT_QUERY), response: { 200: pageOf(MemberRef), ...errorResponses(400, 401, 404) } },
  }, async (request) => {
    const { limit = 50, cursor } = request.query;
    const page = await members.page(request.params.tenantId, { limit, cursor });
    return { data: page.data.map((member) => present(request, member)), next_cursor: page.nextCursor };
  });

  app.patch('/v1/tenants/:tenantId/members/:userId', {
    config: { access: { allow: 'manager' } },
    schema: { tags, operationId: 'updateMember', summary: "Change a member's role or phone", params: MemberParams, body: UpdateMemberBody, response: { 200: MemberRef, ...writeErrors } },
  }, async (request) => present(request, await members.update(request.params.tenantId, request.params.userId, request.body, actionContext(request))));

  app.delete('/v1/tenants/:tenantId/members/:userId', {
    config: { access: { allow: 'manager' } },
    schema: { tags, operationId: 'removeMember', summary: 'Remove a member', params: MemberParams, body: NoBody, response: { 204: Type.Null(), ...errorResponses(401, 403, 404, 409) } },
  }, async (request, reply) => {
    await members.remove(request.params.tenantId, request.params.userId, actionContext(request));
    return reply.code(204).send(null);
  });
}
