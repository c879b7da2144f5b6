// The contract's error codes (CONTRACT.md section 3): one catalog, one error type.

export const errorCatalog = {
  api_key_in_query: { status: 400, details: 'API keys must not be sent in the URL; send the key in the X-API-Key header.' },
  invalid_request: { status: 400, details: 'The request is not valid; see `fields` for what to fix.' },
  missing_api_key: { status: 401, details: 'No API key was sent; send it in the X-API-Key header.' },
  malformed_api_key: { status: 401, details: 'The API key is malformed; check that it was copied whole.' },
  invalid_api_key: { status: 401, details: 'Invalid API key: no key matches it (a regenerated key has a new secret); check the key you send.' },
  expired_api_key: { status: 401, details: 'The API key has expired; create or rotate a key.' },
  revoked_api_key: { status: 401, details: 'The API key has been revoked; use another key.' },
  inactive_api_key: { status: 401, details: 'The API key is deactivated; activate it or use another key.' },
  unauthorized: { status: 401, details: 'Sign in, or send a valid root token as Authorization: Bearer <token>.' },
  wrong_environment: { status: 401, details: 'The API key belongs to another environment than the one this request is served in.' },
  tenant_not_active: { status: 403, details: 'The tenant is not active; contact the operator.' },
  plan_not_permitted: { status: 403, details: "The tenant's plan does not include this capability; upgrade the plan." },
  insufficient_scope: { status: 403, details: 'The API key lacks a required scope.' },
  ip_not_allowed: { status: 403, details: "The client IP address is not in the key's allowed IPs." },
  forbidden: { status: 403, details: 'You are not allowed to do this.' },
  step_up_required: { status: 403, details: 'Verify a one-time code (step-up) first; it is valid for 15 minutes.' },
  otp_invalid: { status: 401, details: 'The code is wrong; try again.' },
  otp_expired: { status: 401, details: 'The code has expired or was already used; request a new one.' },
  otp_locked: { status: 401, details: 'Too many wrong tries; request a new code.' },
  not_found: { status: 404, details: 'Not found; check the IDs in the URL.' },
  key_limit_reached: { status: 409, details: "The tenant's plan allows no more live keys; revoke a key or upgrade the plan." },
  conflict: { status: 409, details: 'The action does not fit the current state of the resource.' },
  payload_too_large: { status: 413, details: 'The request body is too large.' },
  unsupported_media_type: { status: 415, details: 'Send the body as JSON with Content-Type: application/json.' },
  rate_limited: { status: 429, details: 'Too many requests; retry after the number of seconds in Retry-After.' },
  unavailable: { status: 503, details: 'The service cannot decide the request right now; retry shortly.' },
} as const satisfies Record<string, { status: number; details: string }>;

export type ErrorCode = keyof typeof errorCatalog;

/** A field that failed validation, as reported in `fields` of an `invalid_request` body. */
export interface FieldError {
  field: string;
  message: string;
}

/**
 * An error the API answers with the contract's body. Thrown by services and
 * mapped once by the HTTP error handler.
 * @example throw new LatchkeyError('conflict', 'The key is revoked; a revoked key cannot be activated.')
 */
export class LatchkeyError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly details: string;
  readonly fields: FieldError[] | undefined;
  readonly headers: Record<string, string> | undefined;

  constructor(code: ErrorCode, details?: string, extra?: { fields?: FieldError[]; headers?: Record<string, string> }) {
    const entry = errorCatalog[code];
    super(details ?? entry.details);
    this.name = 'LatchkeyError';
    this.code = code;
    this.status = entry.status;
    this.details = details ?? entry.details;
    this.fields = extra?.fields;
    this.headers = extra?.headers;
  }
}

/** An `invalid_request` error naming one or more bad fields. */
export function invalidRequest(fields: FieldError[]): LatchkeyError {
  const names = fields.map((f) => `${f.field}: ${f.message}`).join('; ');
  return new LatchkeyError('invalid_request', `The request is not valid (${names}).`, { fields });
}

export function isErrorCode(value: string): value is ErrorCode {
  return Object.hasOwn(errorCatalog, value);
}
