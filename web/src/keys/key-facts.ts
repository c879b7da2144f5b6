// What the key list says about a key beyond its fields: expiring soon, possibly orphaned, scope summary, hint, rotation.
import type { ApiKey } from '../api/types.js';
import { exactTime } from '../components/time-format.js';

const DAY_MS = 24 * 3600 * 1000;
export const EXPIRY_WARNING_DAYS = 14;
export const ORPHAN_DAYS = 30;

/** Active or inactive: a key that still works or may again, and so the only kind whose secret and settings can change. */
export function isLive(key: Pick<ApiKey, 'status'>): boolean {
  return key.status === 'active' || key.status === 'inactive';
}

/** A live key whose expiry falls within the next 14 days. */
export function expiresSoon(key: ApiKey, now: number): boolean {
  if (!isLive(key) || key.expires_at === null) return false;
  const left = Date.parse(key.expires_at) - now;
  return left > 0 && left <= EXPIRY_WARNING_DAYS * DAY_MS;
}

/** A live key not used (or, if never used, created) for 30 days or more: maybe nobody needs it any more. */
export function possiblyOrphaned(key: ApiKey, now: number): boolean {
  if (!isLive(key)) return false;
  const since = Date.parse(key.last_used_at ?? key.created_at);
  return now - since >= ORPHAN_DAYS * DAY_MS;
}

/** "sites:read, sites:write +2 more", or "no scopes". */
export function scopesSummary(scopes: readonly string[], shown = 2): string {
  if (scopes.length === 0) return 'no scopes';
  const head = scopes.slice(0, shown).join(', ');
  return scopes.length > shown ? `${head} +${scopes.length - shown} more` : head;
}

/** The display hint of a key's secret: `lk_live_AbCd…wXyZ`. */
export function keyHint(key: Pick<ApiKey, 'start' | 'end'>): string {
  return `${key.start}…${key.end}`;
}

/** A key by name and hint, `prod-order-bot (lk_live_AbCd…wXyZ)`: a rotated key and its successor share the name. */
export function keyLabel(key: Pick<ApiKey, 'name' | 'start' | 'end'>): string {
  return `${key.name} (${keyHint(key)})`;
}

/**
 * How a key stands to its rotation, told by the other key's hint (a rotated key and its successor share the name):
 * `rotated → lk_live_AbCd…wXyZ, works until 2026-06-02 12:00:00 UTC` on the old key, `replaces lk_live_…` on the
 * new one. `others` holds the keys at hand; one not among them is "a new key" / "an older key". Null when not rotated.
 *
 * @example
 * rotationNote(oldKey, new Map([[newKey.id, newKey]])); // 'rotated → lk_live_EfGh…sTuV, works until revoked'
 */
export function rotationNote(key: ApiKey, others: ReadonlyMap<string, Pick<ApiKey, 'start' | 'end'>>): string | null {
  if (key.rotated_to) {
    const successor = others.get(key.rotated_to);
    const rotated = `rotated → ${successor ? keyHint(successor) : 'a new key'}`;
    if (!isLive(key)) return rotated;
    return `${rotated}, works until ${key.expires_at === null ? 'revoked' : exactTime(key.expires_at)}`;
  }
  if (key.rotated_from) {
    const predecessor = others.get(key.rotated_from);
    return `replaces ${predecessor ? keyHint(predecessor) : 'an older key'}`;
  }
  return null;
}

/** The connectivity-check URL of a tenant (CONTRACT section 4). */
export function limitsUrl(publicUrl: string, tenantId: string): string {
  return `${publicUrl.replace(/\/+$/, '')}/api/v1/m2m/tenants/${encodeURIComponent(tenantId)}/limits`;
}
