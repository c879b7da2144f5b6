// What a tenant's plan and status say about its keys, before anyone fills in the form.
import type { Plan, Tenant } from '../api/types.js';

/**
 * Why no key can be created on this plan, or null. A plan without M2M API access takes no rate limit, and a key
 * on it could not call the API anyway. While the plan is unknown (still loading) nothing is claimed: the server decides.
 *
 * @example
 * createKeyBlocked(freePlan); // "The free plan has no M2M API access, so …"
 */
export function createKeyBlocked(plan: Plan | null): string | null {
  if (plan === null || plan.m2m_api) return null;
  return `The ${plan.name} plan has no M2M API access, so keys cannot be created: they could not call the API. An operator can move this tenant to a plan with API access.`;
}

/**
 * Why every key of the tenant is refused now, or null while it is active (or not read yet). Keys can still be
 * created and changed: they work once an operator makes the tenant active.
 *
 * @example
 * keysRefused(suspendedTenant); // "Acme is suspended: every one of its keys is refused …"
 */
export function keysRefused(tenant: Tenant | null): string | null {
  if (tenant === null || tenant.status === 'active') return null;
  return `${tenant.name} is ${tenant.status}: every one of its keys is refused with 403 tenant_not_active until an operator makes the tenant active. Keys can still be created and changed meanwhile.`;
}
