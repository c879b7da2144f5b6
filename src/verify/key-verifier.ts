// The verification pipeline: secret -> verdict, checks in the contract's order, cache first, storage on a miss.
import type { ApiKey, Tenant } from '../core/api-key.js';
import { sha256Hex } from '../core/digest.js';
import type { Environment } from '../core/environments.js';
import { parseKey } from '../core/key-format.js';
import type { PlanCatalog } from '../core/plans.js';
import { missingScope } from '../core/scopes.js';
import { LimiterUnavailableError, type RateLimitDecision, type RateLimiter } from '../limits/rate-limiter.js';
import { type CachedKey, type KeyCache, toCachedKey } from './key-cache.js';
import type { Verdict } from './verdict.js';

/** Longest possible key: a 12-character prefix, tag, and 38-character body. */
const MAX_KEY_LENGTH = 56;
const ROTATED_AWAY = 'The API key was rotated and its grace period has ended; use the key that replaced it.';

/** What the verifier reads on a cache miss; the key store implements it. */
export interface KeyLookup {
  findByDigest(digest: string): Promise<{ key: ApiKey; tenant: Tenant } | undefined>;
}

export interface VerifyRequest {
  secret: string;
  environment: Environment;
  /** The client address; `null` fails every key that has `allowed_ips`. */
  ip: string | null;
  /** The tenant the request addresses (path parameter); another tenant's key gets `not_found`. */
  tenantId?: string | undefined;
  /** The customer the request addresses; must be in the key's `customer_ids` when it has any. */
  customerId?: string | undefined;
  scopes?: readonly string[] | undefined;
  nowMs: number;
}

/** Plain counters read by the metrics collector; no cost on the hot path beyond an increment. */
export interface VerifierCounters {
  cacheHits: number;
  cacheMisses: number;
}

export class KeyVerifier {
  readonly counters: VerifierCounters = { cacheHits: 0, cacheMisses: 0 };
  private readonly loading = new Map<string, Promise<CachedKey | null>>();

  constructor(
    private readonly cache: KeyCache,
    private readonly lookup: KeyLookup,
    private readonly plans: PlanCatalog,
    private readonly limiter: RateLimiter,
  ) {}

  /**
   * Decides a request. Synchronous for a cached key with the in-memory limiter (the common case),
   * a promise when storage or Redis must be asked.
   */
  verify(request: VerifyRequest): Verdict | Promise<Verdict> {
    const secret = request.secret;
    if (secret.length > MAX_KEY_LENGTH) return { ok: false, code: 'malformed_api_key' };
    const digest = sha256Hex(secret);
    const cached = this.cache.get(digest);
    // A found key was issued here, so its format is known to be right: the checksum is only
    // computed for digests the cache does not know as valid.
    if (cached) {
      this.counters.cacheHits++;
      return this.decide(cached, request);
    }
    if (!parseKey(secret)) return { ok: false, code: 'malformed_api_key' };
    if (cached === null) {
      this.counters.cacheHits++;
      return this.decide(null, request);
    }
    this.counters.cacheMisses++;
    return this.load(digest).then((entry) => this.decide(entry, request));
  }

  private load(digest: string): Promise<CachedKey | null> {
    const pending = this.loading.get(digest);
    if (pending) return pending;
    const epoch = this.cache.epoch;
    const promise = this.lookup
      .findByDigest(digest)
      .then((found) => {
        const entry = found ? toCachedKey(found.key, found.tenant) : null;
        this.cache.set(digest, entry, epoch);
        return entry;
      })
      .finally(() => this.loading.delete(digest));
    this.loading.set(digest, promise);
    return promise;
  }

  private decide(entry: CachedKey | null, request: VerifyRequest): Verdict | Promise<Verdict> {
    if (entry === null) return { ok: false, code: 'invalid_api_key' };
    const { key, tenant } = entry;
    if (key.status === 'revoked') return { ok: false, code: 'revoked_api_key', entry };
    if (key.status === 'expired' || entry.expiresAtMs <= request.nowMs) {
      // A rotated key's holder is told where to go: its successor (shown to whoever rotated it), not a new key.
      return key.rotatedTo === null ? { ok: false, code: 'expired_api_key', entry } : { ok: false, code: 'expired_api_key', entry, details: ROTATED_AWAY };
    }
    if (key.status === 'inactive') return { ok: false, code: 'inactive_api_key', entry };
    if (key.environment !== request.environment) {
      return { ok: false, code: 'wrong_environment', entry, details: `This is a ${key.environment} key; this endpoint serves ${request.environment}.` };
    }
    const refused = this.refusal(entry, request);
    if (refused !== undefined) return this.withLimits(refused, entry, request.nowMs);
    let taken: RateLimitDecision | Promise<RateLimitDecision>;
    try {
      taken = this.limiter.take(key.id, key.rateLimit, request.nowMs);
    } catch (error) {
      return limiterFailure(error, entry);
    }
    if (taken instanceof Promise) return taken.then((rate) => rated(entry, rate), (error: unknown) => limiterFailure(error, entry));
    return rated(entry, taken);
  }

  /** The checks after the key itself is found good: a key of this tenant may still not make this request. */
  private refusal(entry: CachedKey, request: VerifyRequest): Extract<Verdict, { ok: false }> | undefined {
    const { key, tenant } = entry;
    if (tenant.status !== 'active') return { ok: false, code: 'tenant_not_active', entry, details: `The tenant is ${tenant.status}; contact the operator.` };
    const plan = this.plans.get(tenant.plan);
    if (!plan?.m2mApi) return { ok: false, code: 'plan_not_permitted', entry, details: `The ${tenant.plan} plan has no M2M API access; upgrade the plan.` };
    if (!entry.allowList.allows(request.ip ?? undefined)) return { ok: false, code: 'ip_not_allowed', entry };
    if (request.tenantId !== undefined && request.tenantId !== key.tenantId) return { ok: false, code: 'not_found', entry };
    if (request.customerId !== undefined && key.customerIds.length > 0 && !key.customerIds.includes(request.customerId)) {
      return { ok: false, code: 'not_found', entry };
    }
    if (request.scopes !== undefined && request.scopes.length > 0) {
      const missing = missingScope(key.scopes, request.scopes);
      if (missing !== undefined) return { ok: false, code: 'insufficient_scope', entry, details: `The API key lacks the scope ${missing}.` };
    }
    return undefined;
  }

  /**
   * An authenticated request refused before the rate limit still gets the rate-limit headers
   * (CONTRACT section 4): the bucket is read, not taken from. When it cannot be read, the refusal goes without.
   */
  private withLimits(refused: Extract<Verdict, { ok: false }>, entry: CachedKey, nowMs: number): Verdict | Promise<Verdict> {
    let read: RateLimitDecision | Promise<RateLimitDecision>;
    try {
      read = this.limiter.take(entry.key.id, entry.key.rateLimit, nowMs, 0);
    } catch {
      return refused;
    }
    if (read instanceof Promise) return read.then((rate) => ({ ...refused, rate }), () => refused);
    return { ...refused, rate: read };
  }
}

function rated(entry: CachedKey, rate: RateLimitDecision): Verdict {
  return rate.allowed ? { ok: true, code: 'valid', entry, rate } : { ok: false, code: 'rate_limited', entry, rate };
}

function limiterFailure(error: unknown, entry: CachedKey): Verdict {
  if (error instanceof LimiterUnavailableError) return { ok: false, code: 'unavailable', entry, details: 'The rate limiter cannot be reached; retry shortly.' };
  throw error;
}
