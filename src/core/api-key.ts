// The API key and tenant entities and the pure rules of a key's lifecycle.
import type { Environment } from './environments.js';

export const KEY_STATUSES = ['active', 'inactive', 'expired', 'revoked'] as const;
export type KeyStatus = (typeof KEY_STATUSES)[number];
export const TENANT_STATUSES = ['active', 'pending', 'suspended'] as const;
export type TenantStatus = (typeof TENANT_STATUSES)[number];

export interface RateLimit {
  requestsPerMinute: number;
  burst: number;
}

export interface ApiKey {
  id: string;
  tenantId: string;
  name: string;
  environment: Environment;
  digest: string;
  start: string;
  end: string;
  scopes: string[];
  rateLimit: RateLimit;
  allowedIps: string[];
  customerIds: string[];
  /** Stored ISO time, or `null` for a key that never expires. */
  expiresAt: string | null;
  /** The stored status; `effectiveStatus` adds expiry. */
  status: KeyStatus;
  createdAt: string;
  createdBy: string | null;
  updatedAt: string;
  revokedAt: string | null;
  lastUsedAt: string | null;
  lastUsedIp: string | null;
  rotatedFrom: string | null;
  rotatedTo: string | null;
  meta: Record<string, unknown>;
}

export interface Tenant {
  id: string;
  name: string;
  plan: string;
  status: TenantStatus;
  keyPrefix: string | null;
  createdAt: string;
  updatedAt: string;
}

/**
 * The status a client sees at `now`: a key past `expires_at` is expired unless revoked.
 * `now` must be in the stored form (`toStored`): the times are compared as strings, which is
 * only right for the fixed-width form with milliseconds.
 */
export function effectiveStatus(key: Pick<ApiKey, 'status' | 'expiresAt'>, now: string): KeyStatus {
  if (key.status === 'revoked') return 'revoked';
  if (key.expiresAt !== null && key.expiresAt <= now) return 'expired';
  return key.status;
}

/** Whether the key counts against the plan's live-key cap: neither revoked nor expired. */
export function isLive(key: Pick<ApiKey, 'status' | 'expiresAt'>, now: string): boolean {
  const status = effectiveStatus(key, now);
  return status === 'active' || status === 'inactive';
}

/** Seconds of a year, the default lifetime of a key. */
export const DEFAULT_KEY_LIFETIME_SECONDS = 365 * 24 * 3600;
