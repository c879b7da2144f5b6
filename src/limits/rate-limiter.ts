// The rate-limit port: a token bucket per key, in memory or in Redis, and the decision both report.

export interface RateLimitRule {
  requestsPerMinute: number;
  burst: number;
}

export interface RateLimitDecision {
  allowed: boolean;
  /** Bucket capacity (`burst`): X-RateLimit-Limit. */
  limit: number;
  /** Whole tokens left after this take, >= 0. */
  remaining: number;
  /** Unix seconds when the bucket is full again: X-RateLimit-Reset. */
  resetAt: number;
  /** Seconds to refill from empty, `ceil(burst * 60 / requestsPerMinute)`: X-RateLimit-Window. */
  windowSeconds: number;
  /** When denied: whole seconds until one token is back, at least 1; else 0. */
  retryAfterSeconds: number;
  /**
   * Whole seconds (>= 1) until one more whole token is back: within that time the client can use no
   * more than `remaining`. The `t` of the IETF `RateLimit` field; equals `retryAfterSeconds` on a deny.
   */
  nextTokenSeconds: number;
}

export interface RateLimiter {
  /**
   * Takes `cost` tokens (default 1) from `bucketId`. Synchronous in memory (the hot path), a promise for
   * Redis. A cost of 0 only reads the bucket: the headers of a request refused before the rate limit.
   */
  take(bucketId: string, rule: RateLimitRule, nowMs: number, cost?: 0 | 1): RateLimitDecision | Promise<RateLimitDecision>;
  close?(): Promise<void>;
}

/** The limiter cannot decide (Redis down, fail-closed): the request answers 503. */
export class LimiterUnavailableError extends Error {
  override name = 'LimiterUnavailableError';
}

/**
 * The decision for a bucket holding `tokens` (fractional) after a take, or a refused take, at `nowMs`.
 * Durations are computed as `tokens * 60 / rpm` rather than `tokens / (rpm / 60)`: with 5 rpm the
 * latter makes one token 12.000000000000002 s, which would round up to a Retry-After of 13.
 */
export function decisionFor(allowed: boolean, tokens: number, rule: RateLimitRule, nowMs: number): RateLimitDecision {
  const rpm = rule.requestsPerMinute;
  const whole = Math.floor(tokens);
  const nextTokenSeconds = Math.max(1, ceilSeconds(((whole + 1 - tokens) * 60) / rpm));
  return {
    allowed,
    limit: rule.burst,
    remaining: whole > 0 ? whole : 0,
    resetAt: ceilSeconds(nowMs / 1000 + ((rule.burst - tokens) * 60) / rpm),
    windowSeconds: ceilSeconds((rule.burst * 60) / rpm),
    retryAfterSeconds: allowed ? 0 : nextTokenSeconds,
    nextTokenSeconds,
  };
}

/** Rounds up to whole seconds, ignoring the last microsecond: float noise must not add a second. */
function ceilSeconds(seconds: number): number {
  return Math.ceil(seconds - 1e-6);
}
