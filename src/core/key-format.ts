// The API key format of CONTRACT.md section 2: <prefix>_<envtag>_<32 random + 6 checksum base62>.
import { crc32 } from 'node:zlib';
import { encodeBase62, randomBase62 } from './base62.js';
import type { Environment } from './environments.js';

export const DEFAULT_KEY_PREFIX = 'lk';
const RANDOM_LENGTH = 32;
const CHECKSUM_LENGTH = 6;
const KEY_PATTERN = /^([a-z][a-z0-9]{1,11})_(live|test|dev)_([0-9A-Za-z]{38})$/;
export const KEY_PREFIX_PATTERN = /^[a-z][a-z0-9]{1,11}$/;

const envTags = { production: 'live', staging: 'test', development: 'dev' } as const satisfies Record<Environment, string>;
const envByTag: Record<string, Environment> = { live: 'production', test: 'staging', dev: 'development' };

export interface ParsedKey {
  prefix: string;
  environment: Environment;
}

function checksum(head: string): string {
  return encodeBase62(crc32(head), CHECKSUM_LENGTH);
}

/** A new secret for `environment`. The caller shows it once and stores only its digest. */
export function generateKey(environment: Environment, prefix: string = DEFAULT_KEY_PREFIX): string {
  const head = `${prefix}_${envTags[environment]}_${randomBase62(RANDOM_LENGTH)}`;
  return head + checksum(head);
}

/** True when `value` has the shape of a key (checksum not checked): used to refuse keys in URLs. */
export function looksLikeKey(value: string): boolean {
  return KEY_PATTERN.test(value);
}

const KEY_INSIDE = /[a-z][a-z0-9]{1,11}_(?:live|test|dev)_[0-9A-Za-z]{38}/;

/** True when something shaped like a key appears anywhere in `text` (a header value in any scheme, say). */
export function holdsKey(text: string): boolean {
  return KEY_INSIDE.test(text);
}
/**
 * A key's tag and body, whatever its prefix: `LK_live_…` or `x_live_…` is still the secret of `lk_live_…`. The tag in
 * any case, so that redaction errs on the side of hiding a key a client mangled.
 */
const KEY_BODY_ANYWHERE = /(live|test|dev)_[0-9A-Za-z]{38}/gi;
/** Every key has one of these; testing for it first costs 40 ns a path where the replace alone cost 400-600. */
const ENV_TAG = /(?:live|test|dev)_/i;
/** A run of text between the delimiters of a URL (or blanks): where one escaped key would sit whole. */
const ESCAPED_RUN = /[^/?#&=;,\s]*%[^/?#&=;,\s]*/g;
const PERCENT_ESCAPE = /%([0-9A-Fa-f]{2})/g;
/** Escapes decoded at most this many times over (`%255F` is `_` escaped twice). */
const MAX_UNESCAPES = 3;

/**
 * `text` with the body of anything shaped like a key replaced, for what is stored or logged about a request
 * (its path): `/v1/lk_live_<38 chars>` becomes `/v1/lk_live_[redacted]`. A key hidden behind percent-escapes
 * (`lk%5Flive%5F…`, one decode away from the secret) is found too: that part of the text is kept decoded and
 * redacted.
 */
export function redactKeysIn(text: string): string {
  const plain = text.includes('%') ? text.replace(ESCAPED_RUN, (run) => {
    const decoded = unescapeAscii(run);
    return ENV_TAG.test(decoded) && decoded.search(KEY_BODY_ANYWHERE) !== -1 ? decoded : run;
  }) : text;
  return ENV_TAG.test(plain) ? plain.replace(KEY_BODY_ANYWHERE, '$1_[redacted]') : plain;
}

/** `text` with its percent-escapes of ASCII characters decoded, repeatedly; never throws on a bad escape. */
function unescapeAscii(text: string): string {
  let current = text;
  for (let i = 0; i < MAX_UNESCAPES && current.includes('%'); i++) {
    const next = current.replace(PERCENT_ESCAPE, (escape, hex: string) => {
      const code = Number.parseInt(hex, 16);
      return code < 0x80 ? String.fromCharCode(code) : escape;
    });
    if (next === current) break;
    current = next;
  }
  return current;
}

/** The prefix and environment of a well-formed key with a right checksum, else `undefined`. No I/O. */
export function parseKey(value: string): ParsedKey | undefined {
  const match = KEY_PATTERN.exec(value);
  if (!match) return undefined;
  const [, prefix, tag, body] = match as unknown as [string, string, string, string];
  const head = value.slice(0, value.length - CHECKSUM_LENGTH);
  if (checksum(head) !== body.slice(RANDOM_LENGTH)) return undefined;
  return { prefix, environment: envByTag[tag]! };
}

/** The display hint kept in storage: `start` is prefix, tag and 4 body chars; `end` the last 4. */
export function keyHint(secret: string): { start: string; end: string } {
  const bodyStart = secret.lastIndexOf('_') + 1;
  return { start: secret.slice(0, bodyStart + 4), end: secret.slice(-4) };
}
