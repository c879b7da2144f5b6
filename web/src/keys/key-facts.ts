// What the key list says about a key beyond its fields: expiring soon, possibly orphaned, scope summary, hint.
import type { ApiKey } from '../api/types.js';

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

/** The connectivity-check URL of a tenant (CONTRACT section 4). */
export function limitsUrl(publicUrl: string, tenantId: string): string {
  return `${publicUrl.replace(/\/+$/, '')}/api/v1/m2m/tenants/${encodeURIComponent(tenantId)}/limits`;
}
