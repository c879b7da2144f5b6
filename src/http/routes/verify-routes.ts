// POST /v1/keys/verify: the verification pipeline as an API, for services that check keys in their own code.
import { Type } from 'typebox';
import { errorCatalog, LatchkeyError } from '../../core/errors.js';
import { redactSecretsIn } from '../../core/redaction.js';
import { toWire } from '../../core/time.js';
import type { UsageRecorder } from '../../usage/usage-recorder.js';
import type { EnvironmentResolver } from '../../verify/environment-resolver.js';
import type { KeyVerifier } from '../../verify/key-verifier.js';
import type { Verdict } from '../../verify/verdict.js';
import { errorResponses, NullableString, NullableTimestamp } from '../schemas/common.js';
import { Environment } from '../schemas/key-schemas.js';
import type { TypedApp } from '../typed-app.js';

const VerifyBody = Type.Object(
  {
    // What the checked request's header held, as it came: blank is decided as no key, anything else not a key as
    // malformed, as the M2M API answers them. Bounded by what a header can hold.
    key: Type.String({ maxLength: 16_384, description: "the key the checked request carried (X-API-Key or Bearer), as it came; blank is `missing_api_key`" }),
    environment: Type.Optional(Environment),
    scopes: Type.Optional(Type.Array(Type.String({ maxLength: 100 }), { maxItems: 100 })),
    ip: Type.Optional(Type.Union([Type.String({ format: 'ipv4' }), Type.String({ format: 'ipv6' })], { description: "the caller's address; without it a key with allowed_ips fails (fail closed)" })),
    // Only compared, so taken as they come (empty too, which matches nothing), up to a bound.
    tenant_id: Type.Optional(Type.String({ maxLength: 1000 })),
    customer_id: Type.Optional(Type.String({ maxLength: 1000 })),
    method: Type.Optional(Type.String({ pattern: '^[A-Za-z]{1,16}$', description: "the checked request's method, for the request log (with `path`)" })),
    path: Type.Optional(Type.String({ pattern: '^/', maxLength: 2048, description: "the checked request's path, logged in place of /v1/keys/verify (query string dropped, keys redacted)" })),
  },
  { additionalProperties: false },
);

interface RateLimitWire {
  limit: number;
  remaining: number;
  reset: number;
  window: number;
}

const VerifyResult = Type.Object({
  valid: Type.Boolean(),
  code: Type.String({ description: '`valid` or the error code the request would get' }),
  status: Type.Integer({ description: 'the HTTP status the M2M API would answer: 200, or the status of `code`' }),
  details: Type.Unsafe<string | null>({ type: ['string', 'null'], description: 'for a refusal, the sentence the M2M API would answer in `details`; null when valid' }),
  key_id: NullableString,
  tenant_id: NullableString,
  environment: NullableString,
  scopes: Type.Array(Type.String()),
  expires_at: NullableTimestamp,
  // Type lists, not anyOf (see NullableString): this answer is written once per request a service checks.
  rate_limit: Type.Unsafe<RateLimitWire | null>({
    type: ['object', 'null'],
    properties: { limit: { type: 'integer' }, remaining: { type: 'integer' }, reset: { type: 'integer' }, window: { type: 'integer' } },
    required: ['limit', 'remaining', 'reset', 'window'],
  }),
  retry_after: Type.Unsafe<number | null>({ type: ['integer', 'null'], minimum: 1, description: 'for `rate_limited`, the whole seconds of Retry-After; else null' }),
});

export function registerVerifyRoutes(app: TypedApp, verifier: KeyVerifier, environments: EnvironmentResolver, usage: UsageRecorder): void {
  app.post('/v1/keys/verify', {
    config: { access: { allow: 'operator', verifyTokens: true } },
    schema: {
      tags: ['verify'],
      operationId: 'verifyKey',
      summary: 'Verify a key as the M2M API would; counts against its rate limit',
      body: VerifyBody,
      response: { 200: VerifyResult, ...errorResponses(400, 401, 403, 413, 415, 503) },
    },
  }, async (request, reply) => {
    const body = request.body;
    /** Unknown keys are recorded too: the writer skips them, the metrics count them. */
    const record = (verdict: Pick<Verdict, 'code' | 'entry'>, status: number, answered: number) => {
      const key = verdict.entry?.key;
      const latencyMs = Math.round(reply.elapsedTime * 100) / 100;
      usage.record({
        id: request.id, at: Date.now() - Math.round(latencyMs), tenantId: key?.tenantId ?? null, keyId: key?.id ?? null,
        // A service that says which request it checks gets that request in the log, with the status it answers.
        ...(body.path === undefined
          ? { method: request.method, path: '/v1/keys/verify', status: answered }
          : { method: (body.method ?? 'GET').toUpperCase(), path: body.path, status }),
        code: verdict.code, latencyMs, ip: body.ip ?? null,
        environment: key?.environment ?? environments.resolve(undefined),
      });
    };
    let verdict: Verdict;
    const secret = body.key.trim();
    try {
      verdict = secret === '' ? { ok: false, code: 'missing_api_key' } : await verifier.verify({
        secret,
        environment: body.environment ?? environments.resolve(undefined),
        ip: body.ip ?? null,
        tenantId: body.tenant_id,
        customerId: body.customer_id,
        scopes: body.scopes,
        nowMs: Date.now(),
      });
    } catch (error) {
      // Storage out of reach on a cache miss: counted, so that the metrics' `unavailable` series shows the outage.
      record({ code: 'unavailable' }, 503, 503);
      throw error;
    }
    if (verdict.code === 'unavailable') {
      record(verdict, 503, 503);
      throw new LatchkeyError('unavailable', verdict.details);
    }
    const key = verdict.entry?.key;
    const status = verdict.ok ? 200 : errorCatalog[verdict.code].status;
    record(verdict, status, 200);
    return {
      valid: verdict.ok,
      code: verdict.code,
      status,
      // A sentence may name what the caller sent (a scope): a key pasted there must not come back whole.
      details: verdict.ok ? null : redactSecretsIn(verdict.details ?? errorCatalog[verdict.code].details),
      key_id: key?.id ?? null,
      tenant_id: key?.tenantId ?? null,
      environment: key?.environment ?? null,
      scopes: key?.scopes ?? [],
      expires_at: key ? toWire(key.expiresAt) : null,
      rate_limit: verdict.rate
        ? { limit: verdict.rate.limit, remaining: verdict.rate.remaining, reset: verdict.rate.resetAt, window: verdict.rate.windowSeconds }
        : null,
      retry_after: verdict.code === 'rate_limited' && verdict.rate ? verdict.rate.retryAfterSeconds : null,
    };
  });
}
