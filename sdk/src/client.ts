// The client of Latchkey's verify API (POST /v1/keys/verify): one call per request to check, nothing cached,
// so a revoked key is refused at once and every call spends a token of the key's rate limit, as on the M2M API.

export type Environment = 'production' | 'staging' | 'development';

export interface LatchkeyClientOptions {
  /** A Latchkey node (or the load balancer in front of several), e.g. `http://127.0.0.1:8080`. */
  url: string;
  /** An operator root token: the verify API takes no other credential. */
  token: string;
  /** How long a verification may take before it counts as unavailable. Default 2000 ms. */
  timeoutMs?: number;
}

/** What to check, as the M2M API checks it; ids of any length are fine (they are only compared). */
export interface VerifyRequest {
  key: string;
  /** Scopes the request needs; each must be among the key's. */
  scopes?: readonly string[] | undefined;
  /** The caller's address; without it a key with `allowed_ips` is refused (fail closed). */
  ip?: string | undefined;
  /** The tenant the request is for (a path parameter, say): another tenant's key is `404 not_found`. */
  tenantId?: string | undefined;
  /** The customer the request is for: outside the key's `customer_ids` (when set) it is `404 not_found`. */
  customerId?: string | undefined;
  /** Where the request is served; without it, the Latchkey node's own LATCHKEY_ENVIRONMENT. */
  environment?: Environment | undefined;
  /** The checked request's method and path (no query string): Latchkey's request log shows them, not the verify call. */
  method?: string | undefined;
  path?: string | undefined;
}

export interface RateLimit {
  limit: number;
  remaining: number;
  /** Unix seconds when the bucket is full again. */
  reset: number;
  /** Seconds to refill the bucket from empty. */
  window: number;
}

/** Latchkey's decision; for a refusal, what the M2M API would have answered. */
export interface VerifyResult {
  valid: boolean;
  /** `valid` or the contract's error code. */
  code: string;
  /** 200, or the status of `code`. */
  status: number;
  /** For a refusal, the sentence for the error body's `details`. */
  details: string | null;
  keyId: string | null;
  tenantId: string | null;
  environment: Environment | null;
  scopes: string[];
  expiresAt: string | null;
  rateLimit: RateLimit | null;
  /** For `rate_limited`, the seconds of Retry-After. */
  retryAfter: number | null;
  /** Latchkey's id of this verification, as in its request log. */
  requestId: string | null;
}

/**
 * Latchkey could not decide: unreachable, too slow, answered 5xx (or 408/429 from a proxy in between), or with
 * something that is not a verification. Requests are then refused with 503.
 */
export class LatchkeyUnavailableError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'LatchkeyUnavailableError';
  }
}

/**
 * Latchkey refused the verify call itself (a wrong token, a requirement it cannot take): a mistake in the
 * service's set-up, not in the request being checked, so middleware hands it to the framework's error path.
 */
export class LatchkeySetupError extends Error {
  /**
   * Named so that no framework takes them for the status of its own answer (Express and Fastify read an error's
   * `status`/`statusCode`): the request being checked did nothing wrong, so its answer is a 500.
   */
  constructor(
    message: string,
    readonly verifyStatus: number,
    readonly verifyCode: string,
  ) {
    super(message);
    this.name = 'LatchkeySetupError';
  }
}

/** Longest id the verify API takes; a longer one is cut to it, which no stored id can equal either. */
const MAX_ID_LENGTH = 1000;
/**
 * Sent for an id that cannot be sent as it is (it holds NUL, which Latchkey's storage cannot hold, so no stored
 * id has one): longer than any stored tenant or customer id, so it equals none of them either.
 */
const MATCHES_NO_ID = '-'.repeat(MAX_ID_LENGTH);
/** Longest path the verify API logs. */
const MAX_PATH_LENGTH = 2048;
/** Half of a UTF-16 surrogate pair, alone: not text JSON parsers take (Latchkey refuses it), so no stored id has one. */
const LONE_SURROGATE = /\p{Cs}/u;
/** The most of an answer read: a verification is under 2 KiB; past this, what answers is not Latchkey. */
const MAX_ANSWER_BYTES = 64 * 1024;
/** The longest `timeoutMs` a timer takes. */
const MAX_TIMEOUT_MS = 2_147_483_647;

interface WireResult {
  valid: boolean;
  code: string;
  status: number;
  details: string | null;
  key_id: string | null;
  tenant_id: string | null;
  environment: Environment | null;
  scopes: string[];
  expires_at: string | null;
  rate_limit: RateLimit | null;
  retry_after: number | null;
}

/**
 * @example
 * const latchkey = new LatchkeyClient({ url: 'http://127.0.0.1:8080', token: process.env.LATCHKEY_ROOT_TOKEN! });
 * const result = await latchkey.verify({ key, scopes: ['orders:read'], ip: '203.0.113.7' });
 * if (!result.valid) console.log(result.status, result.code); // 403 insufficient_scope
 */
export class LatchkeyClient {
  private readonly endpoint: string;
  private readonly authorization: string;
  private readonly timeoutMs: number;

  constructor(options: LatchkeyClientOptions) {
    const base = new URL(options.url);
    if (base.username || base.password) throw new TypeError('LatchkeyClient: the url must not carry a user or password; pass the token as `token`');
    if (!options.token) throw new TypeError('LatchkeyClient: `token` (an operator root token) is required');
    this.endpoint = new URL('v1/keys/verify', base.href.endsWith('/') ? base : `${base.href}/`).href;
    this.authorization = `Bearer ${options.token}`;
    const timeoutMs = options.timeoutMs ?? 2000;
    // Checked here: a NaN (`Number(process.env.UNSET)`) would otherwise fail every call as an outage.
    if (!Number.isInteger(timeoutMs) || timeoutMs < 1 || timeoutMs > MAX_TIMEOUT_MS) {
      throw new TypeError(`LatchkeyClient: \`timeoutMs\` must be a whole number of milliseconds from 1 to ${MAX_TIMEOUT_MS}`);
    }
    this.timeoutMs = timeoutMs;
  }

  /** Decides `request`; throws `LatchkeyUnavailableError` or `LatchkeySetupError` when Latchkey cannot. */
  async verify(request: VerifyRequest): Promise<VerifyResult> {
    // Outside the `try` below: only a failure of the exchange itself means that Latchkey could not be reached.
    const body = JSON.stringify(wireRequest(request));
    let response: Response;
    let text: string;
    try {
      response = await fetch(this.endpoint, {
        method: 'POST',
        headers: { authorization: this.authorization, 'content-type': 'application/json' },
        body,
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      text = await readAnswer(response);
    } catch (error) {
      if (error instanceof LatchkeyUnavailableError) throw error;
      const timedOut = error instanceof Error && error.name === 'TimeoutError';
      throw new LatchkeyUnavailableError(timedOut ? `Latchkey did not answer within ${this.timeoutMs} ms` : 'Latchkey could not be reached', { cause: error });
    }
    if (response.status === 200) {
      const wire = parse(text);
      // Anything else (a proxy's stub page, an older Latchkey without `status`) must not let a request through.
      if (!isVerification(wire)) throw new LatchkeyUnavailableError('Latchkey answered the verify call with a body that is not a verification of this version');
      return fromWire(wire, response.headers.get('x-request-id'));
    }
    const code = errorCode(text);
    // 5xx, and a proxy in between timing out or shedding load: Latchkey could not decide now, which retrying may fix.
    if (response.status >= 500 || response.status === 408 || response.status === 429) throw new LatchkeyUnavailableError(`Latchkey could not decide (${response.status} ${code ?? 'no error code'})`);
    // Not Latchkey's own refusal (a load balancer's 404 page during a deploy, say): no answer from Latchkey yet.
    if (code === undefined) throw new LatchkeyUnavailableError(`the verify call was answered ${response.status} without an error of Latchkey's (a proxy or load balancer in between?)`);
    throw new LatchkeySetupError(`Latchkey refused the verify call: ${response.status} ${code}${response.status === 401 ? ' (check the operator token)' : ''}`, response.status, code);
  }
}

function wireRequest(request: VerifyRequest): Record<string, unknown> {
  const body: Record<string, unknown> = { key: request.key };
  if (request.scopes !== undefined && request.scopes.length > 0) body.scopes = request.scopes;
  if (request.ip !== undefined) body.ip = request.ip;
  if (request.tenantId !== undefined) body.tenant_id = sendableId(request.tenantId);
  if (request.customerId !== undefined) body.customer_id = sendableId(request.customerId);
  if (request.environment !== undefined) body.environment = request.environment;
  if (request.path?.startsWith('/')) {
    body.path = request.path.slice(0, MAX_PATH_LENGTH);
    if (request.method !== undefined && /^[A-Za-z]{1,16}$/.test(request.method)) body.method = request.method;
  }
  return body;
}

/**
 * An id as the verify API takes it. Read from each request, it is whatever the service's parser made of it: a
 * number is sent as its digits; what cannot be an id (null, a list, an object; text with NUL or a lone surrogate)
 * is sent as an id that equals none, so the request is refused as for another tenant's or customer's id.
 */
function sendableId(id: unknown): string {
  const text = typeof id === 'number' && Number.isFinite(id) ? String(id) : id;
  if (typeof text !== 'string' || text.includes('\u0000')) return MATCHES_NO_ID;
  const cut = text.slice(0, MAX_ID_LENGTH);
  return LONE_SURROGATE.test(cut) ? MATCHES_NO_ID : cut;
}

/** The answer's text, up to `MAX_ANSWER_BYTES`: a larger one is no answer of Latchkey's, and is not read on. */
async function readAnswer(response: Response): Promise<string> {
  const tooLarge = () => new LatchkeyUnavailableError(`the verify call's answer is over ${MAX_ANSWER_BYTES} bytes, which no answer of Latchkey's is`);
  if (Number(response.headers.get('content-length')) > MAX_ANSWER_BYTES) {
    await response.body?.cancel().catch(() => undefined);
    throw tooLarge();
  }
  if (response.body === null) return '';
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = response.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > MAX_ANSWER_BYTES) {
      await reader.cancel().catch(() => undefined);
      throw tooLarge();
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function parse(text: string): WireResult | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null ? (value as WireResult) : undefined;
  } catch {
    return undefined;
  }
}

function isVerification(wire: WireResult | undefined): wire is WireResult {
  if (wire === undefined || typeof wire.code !== 'string' || !Array.isArray(wire.scopes)) return false;
  if (wire.retry_after !== null && !(Number.isInteger(wire.retry_after) && wire.retry_after > 0)) return false;
  if (wire.valid === true) return wire.status === 200 && typeof wire.key_id === 'string' && typeof wire.tenant_id === 'string' && typeof wire.environment === 'string';
  return wire.valid === false && Number.isInteger(wire.status) && wire.status >= 400 && wire.status <= 599 && (wire.details === null || typeof wire.details === 'string');
}

/** The `code` of Latchkey's error body, if `text` is one. */
function errorCode(text: string): string | undefined {
  const body = parse(text) as { code?: unknown } | undefined;
  return typeof body?.code === 'string' ? body.code : undefined;
}

function fromWire(wire: WireResult, requestId: string | null): VerifyResult {
  return {
    valid: wire.valid,
    code: wire.code,
    status: wire.status,
    details: wire.details,
    keyId: wire.key_id,
    tenantId: wire.tenant_id,
    environment: wire.environment,
    scopes: wire.scopes,
    expiresAt: wire.expires_at,
    rateLimit: wire.rate_limit,
    retryAfter: wire.retry_after,
    requestId,
  };
}
