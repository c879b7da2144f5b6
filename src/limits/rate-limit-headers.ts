// The rate-limit headers of every authenticated M2M answer: X-RateLimit-* (the contract) and the IETF
// fields of draft-ietf-httpapi-ratelimit-headers-11 (May 2026): RateLimit-Policy and RateLimit, each a
// Structured Field list of one item named by a String, with integer parameters.
import type { RateLimitDecision } from './rate-limiter.js';

/** The one quota policy of a key's token bucket, as it is named in RateLimit-Policy and RateLimit. */
export const RATE_LIMIT_POLICY_NAME = 'default';

/**
 * The headers for `decision`, named in lower case as they go on the wire: Fastify lowercases every name it
 * is given, and a name already in lower case costs no new string on each of the six calls per request.
 * `q` is the bucket capacity and `w` the seconds to refill it from empty. `t` is the draft's effective
 * window, the seconds within which the client can use no more than `r`: for a token bucket that is the
 * time until the next whole token, not until the bucket is full (more than `r` requests fit before then,
 * as tokens keep coming in).
 *
 * @example
 * reply.headers(rateLimitHeaders(decision));
 * // x-ratelimit-limit: 5, x-ratelimit-remaining: 0, ..., ratelimit: "default";r=0;t=12, retry-after: 12
 */
export function rateLimitHeaders(decision: RateLimitDecision): Record<string, string> {
  const headers: Record<string, string> = {
    'x-ratelimit-limit': String(decision.limit),
    'x-ratelimit-remaining': String(decision.remaining),
    'x-ratelimit-reset': String(decision.resetAt),
    'x-ratelimit-window': String(decision.windowSeconds),
    'ratelimit-policy': `"${RATE_LIMIT_POLICY_NAME}";q=${decision.limit};w=${decision.windowSeconds}`,
    ratelimit: `"${RATE_LIMIT_POLICY_NAME}";r=${decision.remaining};t=${decision.nextTokenSeconds}`,
  };
  if (!decision.allowed) headers['retry-after'] = String(decision.retryAfterSeconds);
  return headers;
}
