// What each middleware does, apart from its framework: read the key, ask Latchkey, and turn the decision into
// the rate-limit headers and, for a refusal, the status, headers and body the M2M API would answer.
import { randomUUID } from 'node:crypto';
import { STATUS_CODES } from 'node:http';
import { isIP } from 'node:net';
import { type Environment, type LatchkeyClient, LatchkeyUnavailableError, type RateLimit, type VerifyResult } from './client.js';
import { type CredentialResult, type FieldError, type HeaderValue, readCredential, sentTwice, twoAuthorizations } from './credential.js';

/** The key a request passed with; middleware puts it on the request (`req.latchkey`, `c.get('latchkey')`). */
export interface KeyIdentity {
  keyId: string;
  tenantId: string;
  environment: Environment;
  scopes: string[];
  expiresAt: string | null;
  rateLimit: RateLimit | null;
  /** Latchkey's id of the verification, as in its request log. */
  requestId: string | null;
}

/** What a route needs of the key; the same for every request of the route, or read from it. */
export interface Requirement {
  scopes?: readonly string[] | undefined;
  tenantId?: string | undefined;
  customerId?: string | undefined;
  environment?: Environment | undefined;
}

/** The parts of an incoming request the guard reads; header names in lower case. */
export interface GuardedRequest {
  method: string;
  /** The path and query string as the client sent them (a whole URL will do). */
  url: string;
  headers: { 'x-api-key'?: HeaderValue; authorization?: HeaderValue };
  /**
   * The header lines as received (Node's `rawHeaders`), where the framework has them: Node keeps only the first of
   * two Authorization headers in `headers`, and two are refused, as the M2M API refuses them.
   */
  rawHeaders?: readonly string[] | undefined;
  /** The client's address as the framework resolved it (behind a proxy, per its trust settings). */
  ip: string | undefined;
}

/** The contract's error body; `fields` names the headers of an `invalid_request`. */
export interface ErrorBody {
  error: string;
  code: string;
  details: string;
  request_id: string;
  fields?: FieldError[];
}

/** A request answered here, not passed on: with the error, when Latchkey could not decide. */
export interface Refusal {
  ok: false;
  status: number;
  headers: Record<string, string>;
  body: ErrorBody;
  cause?: LatchkeyUnavailableError;
}

export type Decision = { ok: true; identity: KeyIdentity; headers: Record<string, string> } | Refusal;

/** Seconds a `503` asks the client to wait, as Latchkey's own 503s do. */
const UNAVAILABLE_RETRY_AFTER = '5';

/** The refusals decided here, before or instead of a call to Latchkey, with the contract's statuses and words. */
const LOCAL_REFUSALS = {
  api_key_in_query: { status: 400, details: 'API keys must not be sent in the URL; send the key in the X-API-Key header.' },
  invalid_request: { status: 400, details: 'The request is not valid.' },
  missing_api_key: { status: 401, details: 'No API key was sent; send it in the X-API-Key header.' },
  malformed_api_key: { status: 401, details: 'The API key is malformed; check that it was copied whole.' },
  unavailable: { status: 503, details: 'The service cannot decide the request right now; retry shortly.' },
} as const;

/**
 * Decides one request. Throws only `LatchkeySetupError` (the service's set-up is wrong: a bad token, say);
 * Latchkey being unreachable is a `503 unavailable` refusal with the error as `cause`.
 */
export async function decide(client: LatchkeyClient, request: GuardedRequest, requirement: Requirement): Promise<Decision> {
  const credential: CredentialResult = request.headers.authorization !== undefined && request.rawHeaders !== undefined && sentTwice(request.rawHeaders, 'authorization')
    ? twoAuthorizations()
    : readCredential(request.url, request.headers);
  if (!credential.ok) {
    const local = LOCAL_REFUSALS[credential.code];
    return refusal(local.status, credential.code, credential.details ?? local.details, null, {}, credential.fields);
  }
  let result: VerifyResult;
  try {
    result = await client.verify({ key: credential.secret, ip: addressOf(request.ip), method: request.method, path: pathOf(request.url), ...requirement });
  } catch (error) {
    if (!(error instanceof LatchkeyUnavailableError)) throw error;
    const decision = refusal(LOCAL_REFUSALS.unavailable.status, 'unavailable', LOCAL_REFUSALS.unavailable.details, null, { 'retry-after': UNAVAILABLE_RETRY_AFTER });
    return { ...decision, cause: error };
  }
  const headers = result.rateLimit ? rateLimitHeaders(result.rateLimit) : {};
  if (result.valid) return { ok: true, identity: identityOf(result), headers };
  if (result.retryAfter !== null) headers['retry-after'] = String(result.retryAfter);
  return refusal(result.status, result.code, result.details ?? STATUS_CODES[result.status] ?? result.code, result.requestId, headers);
}

/** What a middleware takes: the client, what the route needs (fixed, or read from each request), and the outage report. */
export interface GuardOptions<Req> {
  client: LatchkeyClient;
  /** Scopes every request of the route needs. */
  scopes?: readonly string[] | undefined;
  /** The tenant a request is for, e.g. `(req) => req.params.tenantId`: another tenant's key is `404 not_found`. */
  tenantId?: ((request: Req) => string | undefined) | undefined;
  /** The customer a request is for: outside the key's `customer_ids` (when set) it is `404 not_found`. */
  customerId?: ((request: Req) => string | undefined) | undefined;
  /** Where the service runs; default the Latchkey node's LATCHKEY_ENVIRONMENT. */
  environment?: Environment | undefined;
  /** Called when Latchkey cannot decide and a request is answered 503; default one warning line per 10 s. */
  onUnavailable?: ((error: LatchkeyUnavailableError, request: Req) => void) | undefined;
}

/** What `request` must meet, by the route's options. */
export function requirementOf<Req>(options: GuardOptions<Req>, request: Req): Requirement {
  return {
    scopes: options.scopes,
    tenantId: options.tenantId?.(request),
    customerId: options.customerId?.(request),
    environment: options.environment,
  };
}

/** Time between two default outage warnings of one client. */
const OUTAGE_WARNING_EVERY_MS = 10_000;
/**
 * When each client's last default outage warning was written. Kept per client, not per middleware: a service
 * makes one middleware per route from one client, and an outage hits them all at once. Weak, so that a client
 * dropped by the service is not kept alive here; beside the client, so that the throttle is no part of its API.
 */
const lastOutageWarningAt = new WeakMap<LatchkeyClient, number>();

/**
 * The default outage report: `write` gets one line, then none for 10 s from any middleware made with the same
 * `client`, so that an outage under load does not flood the service's log.
 */
export function throttledOutageReport<Req>(client: LatchkeyClient, write: (message: string, request: Req) => void): (error: LatchkeyUnavailableError, request: Req) => void {
  return (error, request) => {
    const now = Date.now();
    if (now - (lastOutageWarningAt.get(client) ?? -Infinity) < OUTAGE_WARNING_EVERY_MS) return;
    lastOutageWarningAt.set(client, now);
    write(`latchkey: ${error.message}; requests are answered 503 unavailable until it answers`, request);
  };
}

function refusal(status: number, code: string, details: string, latchkeyRequestId: string | null, headers: Record<string, string>, fields?: FieldError[]): Refusal {
  const requestId = latchkeyRequestId ?? `req_${randomUUID().replaceAll('-', '')}`;
  headers['x-request-id'] = requestId;
  if (status === 401) {
    // RFC 6750: no `error` attribute when no credential was sent at all.
    headers['www-authenticate'] = code === 'missing_api_key' ? 'Bearer realm="latchkey"' : `Bearer realm="latchkey", error="invalid_token", error_description="${code}"`;
  }
  return { ok: false, status, headers, body: { error: STATUS_CODES[status] ?? 'Error', code, details, request_id: requestId, ...(fields ? { fields } : {}) } };
}

function rateLimitHeaders(rate: RateLimit): Record<string, string> {
  return {
    'x-ratelimit-limit': String(rate.limit),
    'x-ratelimit-remaining': String(rate.remaining),
    'x-ratelimit-reset': String(rate.reset),
    'x-ratelimit-window': String(rate.window),
  };
}

/** The path of `url` (a path and query, or a whole URL), for Latchkey's request log. */
function pathOf(url: string): string {
  const start = url.startsWith('/') ? 0 : url.indexOf('/', url.indexOf('//') + 2);
  if (start === -1) return '/';
  const end = url.indexOf('?', start);
  return url.slice(start, end === -1 ? undefined : end);
}

/** The address as the verify API takes it: IPv4-mapped IPv6 as IPv4, no zone; anything else is no address. */
function addressOf(ip: string | undefined): string | undefined {
  if (ip === undefined) return undefined;
  const unzoned = ip.split('%', 1)[0] ?? '';
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(unzoned);
  const address = mapped?.[1] ?? unzoned;
  return isIP(address) === 0 ? undefined : address;
}

/** Only for a valid result, which the client has checked holds the key's id, tenant and environment. */
function identityOf(result: VerifyResult): KeyIdentity {
  return {
    keyId: result.keyId as string,
    tenantId: result.tenantId as string,
    environment: result.environment as Environment,
    scopes: result.scopes,
    expiresAt: result.expiresAt,
    rateLimit: result.rateLimit,
    requestId: result.requestId,
  };
}
