// The outcome of a verification: data, not an exception; only the HTTP edge turns it into a response.
import type { ErrorCode, FieldError } from '../core/errors.js';
import type { RateLimitDecision } from '../limits/rate-limiter.js';
import type { CachedKey } from './key-cache.js';

/** The codes a verification can fail with, in the contract's order of checks. */
export const VERIFY_FAILURE_CODES = [
  'api_key_in_query', 'invalid_request', 'missing_api_key', 'malformed_api_key', 'invalid_api_key',
  'revoked_api_key', 'inactive_api_key', 'expired_api_key', 'wrong_environment', 'tenant_not_active',
  'plan_not_permitted', 'ip_not_allowed', 'not_found', 'insufficient_scope', 'rate_limited', 'unavailable',
] as const satisfies readonly ErrorCode[];

export type VerifyFailureCode = (typeof VERIFY_FAILURE_CODES)[number];

export type Verdict =
  | { ok: true; code: 'valid'; entry: CachedKey; rate: RateLimitDecision }
  | { ok: false; code: VerifyFailureCode; details?: string; fields?: FieldError[]; entry?: CachedKey; rate?: RateLimitDecision };
