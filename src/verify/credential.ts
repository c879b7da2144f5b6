// Step 1 of the hot path: refuse keys in the URL, then read the key from X-API-Key or Authorization: Bearer.
import type { FieldError } from '../core/errors.js';
import { holdsKey } from '../core/key-shape.js';

export type CredentialResult =
  | { ok: true; secret: string }
  | { ok: false; code: 'api_key_in_query' | 'missing_api_key' | 'invalid_request'; details?: string; fields?: FieldError[] };

type HeaderValue = string | string[] | undefined;

const KEY_PARAM_NAMES = new Set(['api_key', 'apikey', 'x-api-key']);

/**
 * True when the query string of `url` names a key parameter or carries something shaped like a key anywhere in a
 * decoded name or value: on its own (`?lk_live_…`), as a value, or inside one (`?q=Bearer%20lk_live_…`,
 * `?ids=lk_live_…,2`), which a gateway would otherwise pass on to its upstream's access log.
 */
export function hasKeyInQuery(url: string): boolean {
  const q = url.indexOf('?');
  if (q === -1) return false;
  for (const [name, value] of new URLSearchParams(url.slice(q + 1))) {
    if (KEY_PARAM_NAMES.has(name.toLowerCase()) || holdsKey(value) || holdsKey(name)) return true;
  }
  return false;
}

/**
 * Whether the header `name` (lower case) came more than once. Node keeps only the first Authorization of a
 * request, so two bearer keys would otherwise be read as the first alone; `rawHeaders` still has both.
 */
export function sentTwice(rawHeaders: readonly string[], name: string): boolean {
  let seen = 0;
  for (let i = 0; i < rawHeaders.length; i += 2) {
    if (rawHeaders[i]!.length === name.length && rawHeaders[i]!.toLowerCase() === name && ++seen > 1) return true;
  }
  return false;
}

/** The answer to a request with two Authorization headers: which one is meant cannot be guessed. */
export const TWO_AUTHORIZATIONS = 'Send one Authorization header, not several.';

/** Two Authorization headers, as a refusal naming the header. */
export function twoAuthorizations(): Extract<CredentialResult, { ok: false }> {
  return { ok: false, code: 'invalid_request', details: TWO_AUTHORIZATIONS, fields: [{ field: 'authorization', message: 'was sent more than once; send one' }] };
}

function bearer(authorization: HeaderValue): string | undefined {
  if (typeof authorization !== 'string') return undefined;
  const space = authorization.indexOf(' ');
  if (space === -1 || authorization.slice(0, space).toLowerCase() !== 'bearer') return undefined;
  return authorization.slice(space + 1).trim() || undefined;
}

/**
 * The key a request carries. Both headers may be sent if they agree; two different keys,
 * or X-API-Key given twice, are a bad request rather than a guess.
 */
export function readCredential(url: string, headers: { 'x-api-key'?: HeaderValue; authorization?: HeaderValue }): CredentialResult {
  if (hasKeyInQuery(url)) return { ok: false, code: 'api_key_in_query' };
  const header = headers['x-api-key'];
  // Node joins a repeated X-API-Key into one value with commas, which no key holds.
  if (Array.isArray(header) || header?.includes(',')) {
    return { ok: false, code: 'invalid_request', details: 'Send one key in one X-API-Key header, not several.', fields: [{ field: 'x-api-key', message: 'was sent more than once, or holds several values; send one key' }] };
  }
  const fromHeader = header?.trim() || undefined;
  const fromBearer = bearer(headers.authorization);
  if (fromHeader !== undefined && fromBearer !== undefined && fromHeader !== fromBearer) {
    return {
      ok: false,
      code: 'invalid_request',
      details: 'X-API-Key and Authorization: Bearer carry different keys; send one key.',
      fields: [{ field: 'x-api-key', message: 'differs from the key in Authorization' }, { field: 'authorization', message: 'differs from the key in X-API-Key' }],
    };
  }
  const secret = fromHeader ?? fromBearer;
  return secret === undefined ? { ok: false, code: 'missing_api_key' } : { ok: true, secret };
}
