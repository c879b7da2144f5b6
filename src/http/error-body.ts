// The contract's error body and the headers that go with it; the only place such a body is built.
import { STATUS_CODES } from 'node:http';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { type ErrorCode, errorCatalog, type FieldError, LatchkeyError } from '../core/errors.js';
import { redactSecretsIn } from '../core/redaction.js';

export interface ErrorBody {
  error: string;
  code: ErrorCode;
  details: string;
  request_id: string;
  fields?: FieldError[];
}

const TOKEN_ERRORS: Partial<Record<ErrorCode, string>> = {
  malformed_api_key: 'invalid_token',
  invalid_api_key: 'invalid_token',
  expired_api_key: 'invalid_token',
  revoked_api_key: 'invalid_token',
  inactive_api_key: 'invalid_token',
  wrong_environment: 'invalid_token',
  unauthorized: 'invalid_token',
};

/**
 * The RFC 6750 challenge of a 401; no `error` attribute when no credential was sent at all (`missing_api_key`,
 * or `credentialSent` false).
 */
export function wwwAuthenticate(code: ErrorCode, credentialSent = true): string {
  const error = credentialSent ? TOKEN_ERRORS[code] : undefined;
  return error ? `Bearer realm="latchkey", error="${error}", error_description="${code}"` : 'Bearer realm="latchkey"';
}

/** The body of `error`; only the request's id is read, so an answer written straight to a socket uses it too. */
export function errorBody(request: Pick<FastifyRequest, 'id'>, error: LatchkeyError): ErrorBody {
  const body: ErrorBody = {
    error: STATUS_CODES[error.status] ?? 'Error',
    code: error.code,
    // An id is often repeated in `details` ("No key <id>"): a key pasted in its place must not come back whole.
    details: redactSecretsIn(error.details),
    request_id: request.id,
  };
  // A field is named by the request (a JSON property, say), so a pasted secret can be a field's name too.
  if (error.fields) body.fields = error.fields.map((f) => ({ field: redactSecretsIn(f.field), message: redactSecretsIn(f.message) }));
  return body;
}

/**
 * Seconds a `503` asks the client to wait (`Retry-After`): long enough for a reconnect to storage or Redis, short
 * enough that a client retrying as asked is not kept out long after they are back.
 */
export const UNAVAILABLE_RETRY_AFTER_SECONDS = 5;

/** Sends `error` in the contract's shape with its status and headers. */
export function sendError(request: FastifyRequest, reply: FastifyReply, error: LatchkeyError): FastifyReply {
  if (error.headers) reply.headers(error.headers);
  if (error.status === 503 && !reply.hasHeader('retry-after')) reply.header('retry-after', String(UNAVAILABLE_RETRY_AFTER_SECONDS));
  if (error.status === 401 && error.headers?.['www-authenticate'] === undefined) reply.header('www-authenticate', wwwAuthenticate(error.code));
  return reply.code(error.status).type('application/json; charset=utf-8').send(errorBody(request, error));
}

export { errorCatalog };
