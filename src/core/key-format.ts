// The API key format of CONTRACT.md section 2: <prefix>_<envtag>_<32 random + 6 checksum base62>.
import { crc32 } from 'node:zlib';
import { encodeBase62, randomBase62 } from './base62.js';
import type { Environment } from './environments.js';
import { KEY_PATTERN } from './key-shape.js';

export const DEFAULT_KEY_PREFIX = 'lk';
const RANDOM_LENGTH = 32;
const CHECKSUM_LENGTH = 6;
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
