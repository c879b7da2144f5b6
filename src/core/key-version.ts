// A key's version, sent as its ETag and checked against If-Match: optimistic concurrency for key changes.
import { hash } from 'node:crypto';
import type { ApiKey } from './api-key.js';

/**
 * The strong entity tag of a key's managed state: every change made through the API or the CLI (settings, status,
 * secret, rotation) gives a new one, since each also moves `updatedAt`; traffic does not (`lastUsedAt`,
 * `lastUsedIp`), so a save is not refused because the key was used meanwhile.
 * @example keyVersion(key) // '"5Jz0vQkq3i1tM2yYc8b7hA"'
 */
export function keyVersion(key: ApiKey): string {
  const state = [
    key.id, key.updatedAt, key.status, key.revokedAt, key.name, key.scopes, key.rateLimit.requestsPerMinute, key.rateLimit.burst,
    key.allowedIps, key.customerIds, key.expiresAt, key.meta, key.digest, key.rotatedTo,
  ];
  return `"${hash('sha256', JSON.stringify(state), 'base64url').slice(0, 22)}"`;
}
