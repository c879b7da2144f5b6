// Reading the key of an incoming request as Latchkey's M2M API does (CONTRACT.md section 3): never from the
// URL, from X-API-Key or Authorization: Bearer, and two different keys are a bad request, not a guess.
// It mirrors the server's src/verify/credential.ts (the SDK is a package of its own and imports nothing of
// src/); test/sdk/credential.test.ts holds the two to the same answers.

import { crc32 } from 'node:zlib';

export type HeaderValue = string | string[] | undefined;

export type CredentialResult =
  | { ok: true; secret: string }
  | { ok: false; code: 'api_key_in_query' | 'missing_api_key' | 'invalid_request' | 'malformed_api_key'; details?: string; fields?: FieldError[] };

/** A header of the request that is wrong, as the contract's `fields` names it. */
export interface FieldError {
  field: string;
  message: string;
}

const KEY_PARAM_NAMES = new Set(['api_key', 'apikey', 'x-api-key']);
/**
 * The shape of a key (any prefix, any environment tag). Anything else, or a wrong checksum, is refused as malformed
 * without a call to Latchkey, so made-up keys cost no round trip and are answered 401 even while Latchkey is down.
 */
const KEY_SHAPE = /^[a-z][a-z0-9]{1,11}_(?:live|test|dev)_[0-9A-Za-z]{38}$/;
const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const CHECKSUM_LENGTH = 6;

/** The key's last 6 characters are the CRC32 of all before them, in base62 (CONTRACT.md section 2). */
function checksumHolds(key: string): boolean {
  let rest = crc32(key.slice(0, -CHECKSUM_LENGTH));
  let expected = '';
  for (let i = 0; i < CHECKSUM_LENGTH; i++) {
    expected = BASE62[rest % 62] + expected;
    rest = Math.floor(rest / 62);
  }
  return key.endsWith(expected);
}
const KEY_INSIDE = /[a-z][a-z0-9]{1,11}_(?:live|test|dev)_[0-9A-Za-z]{38}/;

/** True when the query string of `url` names a key parameter or carries something shaped like a key anywhere in a name or value. */
export function hasKeyInQuery(url: string): boolean {
  const q = url.indexOf('?');
  if (q === -1) return false;
  for (const [name, value] of new URLSearchParams(url.slice(q + 1))) {
    if (KEY_PARAM_NAMES.has(name.toLowerCase()) || KEY_INSIDE.test(value) || KEY_INSIDE.test(name)) return true;
  }
  return false;
}

/**
 * Whether the header `name` (lower case) came more than once, from Node's `rawHeaders`. Node keeps only the first
 * Authorization of a request, so two bearer keys would otherwise be read as the first alone.
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

/** The key `url` and `headers` (names in lower case) carry, or why there is none to check. */
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
  if (secret === undefined) return { ok: false, code: 'missing_api_key' };
  return KEY_SHAPE.test(secret) && checksumHolds(secret) ? { ok: true, secret } : { ok: false, code: 'malformed_api_key' };
}
