// What a tenant's plan says about creating keys, before anyone fills in the form.
import type { Plan } from '../api/types.js';

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
