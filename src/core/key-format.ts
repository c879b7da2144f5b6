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
