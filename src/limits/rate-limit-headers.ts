// The rate-limit headers of every authenticated M2M answer: X-RateLimit-* (the contract) and the IETF
// fields of draft-ietf-httpapi-ratelimit-headers-11 (May 2026): RateLimit-Policy and RateLimit, each a
// Structured Field list of one item named by a String, with integer parameters.
import type { RateLimitDecision } from './rate-limiter.js';

/** The one quota policy of a key's token bucket, as it is named in RateLimit-Policy and RateLimit. */
export const RATE_LIMIT_POLICY_NAME = 'default';

/**
 * The headers for `decision`. `q` is the bucket capacity and `w` the seconds to refill it from empty.
 * `t` is the draft's effective window, the seconds within which the client can use no more than `r`:
 * for a token bucket that is the time until the next whole token, not until the bucket is full
 * (more than `r` requests fit before then, as tokens keep coming in).
 *
 * @example
 * reply.headers(rateLimitHeaders(decision));
 * // X-RateLimit-Limit: 5, X-RateLimit-Remaining: 0, ..., RateLimit: "default";r=0;t=12, Retry-After: 12
 */
export function rateLimitHeaders(decision: RateLimitDecision): Record<string, string> {
  const headers: Record<string, string> = {
    'X-RateLimit-Limit': String(decision.limit),
    'X-RateLimit-Remaining': String(decision.remaining),
    'X-RateLimit-Reset': String(decision.resetAt),
    'X-RateLimit-Window': String(decision.windowSeconds),
    'RateLimit-Policy': `"${RATE_LIMIT_POLICY_NAME}";q=${decision.limit};w=${decision.windowSeconds}`,
    RateLimit: `"${RATE_LIMIT_POLICY_NAME}";r=${decision.remaining};t=${decision.nextTokenSeconds}`,
  };
  if (!decision.allowed) headers['Retry-After'] = String(decision.retryAfterSeconds);
  return headers;
}
