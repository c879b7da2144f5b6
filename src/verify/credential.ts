// Step 1 of the hot path: refuse keys in the URL, then read the key from X-API-Key or Authorization: Bearer.
import { looksLikeKey } from '../core/key-format.js';

export type CredentialResult =
  | { ok: true; secret: string }
  | { ok: false; code: 'api_key_in_query' | 'missing_api_key' | 'invalid_request'; details?: string };

type HeaderValue = string | string[] | undefined;

const KEY_PARAM_NAMES = new Set(['api_key', 'apikey', 'x-api-key']);

/**
 * True when the query string of `url` names a key parameter or carries something shaped like a key:
 * as a value, with blanks around it, or on its own (`?lk_live_…`, a name with no value).
 */
export function hasKeyInQuery(url: string): boolean {
  const q = url.indexOf('?');
  if (q === -1) return false;
  for (const [name, value] of new URLSearchParams(url.slice(q + 1))) {
    if (KEY_PARAM_NAMES.has(name.toLowerCase()) || looksLikeKey(value.trim()) || looksLikeKey(name.trim())) return true;
  }
  return false;
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
  if (Array.isArray(header) || header?.includes(',')) return { ok: false, code: 'invalid_request', details: 'Send one key in one X-API-Key header, not several.' };
  const fromHeader = header?.trim() || undefined;
  const fromBearer = bearer(headers.authorization);
  if (fromHeader !== undefined && fromBearer !== undefined && fromHeader !== fromBearer) {
    return { ok: false, code: 'invalid_request', details: 'X-API-Key and Authorization: Bearer carry different keys; send one key.' };
  }
  const secret = fromHeader ?? fromBearer;
  return secret === undefined ? { ok: false, code: 'missing_api_key' } : { ok: true, secret };
}
