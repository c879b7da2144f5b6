// The M2M API's own routes (CONTRACT.md section 4): the connectivity check and a health probe.
import { Type } from 'typebox';
import { toWire } from '../../core/time.js';
import type { Accepted, MachineAuth } from '../machine-auth.js';
import { errorResponses, MachineTenantParams } from '../schemas/common.js';
import type { TypedApp } from '../typed-app.js';

const tags = ['m2m'];
const security: { [name: string]: string[] }[] = [{ apiKey: [] }, { bearerKey: [] }];
const machineErrors = errorResponses(400, 401, 403, 404, 429, 503);

const LimitsBody = Type.Object({
  tenant_id: Type.String(),
  plan: Type.String(),
  environment: Type.String(),
  // A type list, not anyOf: the serializer then needs no schema validation per response (hot path).
  key: Type.Object({ id: Type.String(), name: Type.String(), scopes: Type.Array(Type.String()), expires_at: Type.Unsafe<string | null>({ type: ['string', 'null'], description: 'UTC ISO 8601, or null for never' }) }),
  rate_limit: Type.Object({ limit: Type.Integer(), remaining: Type.Integer(), reset: Type.Integer(), window: Type.Integer() }),
});

function limitsBody({ entry, rate }: Accepted) {
  const { key, tenant } = entry;
  return {
    tenant_id: tenant.id,
    plan: tenant.plan,
    environment: key.environment,
    key: { id: key.id, name: key.name, scopes: key.scopes, expires_at: toWire(key.expiresAt) },
    rate_limit: { limit: rate.limit, remaining: rate.remaining, reset: rate.resetAt, window: rate.windowSeconds },
  };
}

export function registerM2mRoutes(app: TypedApp, machine: MachineAuth): void {
  app.get('/api/v1/m2m/tenants/:tenantId/limits', {
    schema: { tags, security, operationId: 'getM2mLimits', summary: "Connectivity check: any valid key of the tenant; shows the key's limits", params: MachineTenantParams, response: { 200: LimitsBody, ...machineErrors } },
  }, (request, reply) => machine.answer(request, reply, { tenantId: request.params.tenantId }, limitsBody));

  app.get('/api/v1/m2m/health', {
    schema: { tags, security, operationId: 'getM2mHealth', summary: 'Health probe for any valid key', response: { 200: Type.Object({ status: Type.Literal('ok'), tenant_id: Type.String() }), ...machineErrors } },
  }, (request, reply) => machine.answer(request, reply, {}, (accepted) => ({ status: 'ok', tenant_id: accepted.entry.tenant.id })));
}
