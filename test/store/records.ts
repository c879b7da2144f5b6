// Records for store tests: a tenant, a key with a real secret, fixed times that sort as they read.
import type { ApiKey, Tenant } from '../../src/core/api-key.js';
import { sha256Hex } from '../../src/core/digest.js';
import type { Environment } from '../../src/core/environments.js';
import { newId } from '../../src/core/ids.js';
import { generateKey, keyHint } from '../../src/core/key-format.js';
import type { Kysely } from 'kysely';
import type { Database } from '../../src/store/schema.js';
import { TenantStore } from '../../src/store/tenant-store.js';

export const NOW = '2026-03-01T12:00:00.000Z';
export const EARLIER = '2026-03-01T11:00:00.000Z';
export const LATER = '2026-03-01T13:00:00.000Z';

/** `NOW` moved by `seconds` (negative for the past), in the stored form. */
export function at(seconds: number): string {
  return new Date(Date.parse(NOW) + seconds * 1000).toISOString();
}

export function tenantRecord(overrides: Partial<Tenant> = {}): Tenant {
  return { id: newId('ten'), name: 'Acme', plan: 'standard', status: 'active', keyPrefix: null, createdAt: EARLIER, updatedAt: EARLIER, ...overrides };
}

export async function insertTenant(db: Kysely<Database>, overrides: Partial<Tenant> = {}): Promise<Tenant> {
  const tenant = tenantRecord(overrides);
  await new TenantStore(db).insert(tenant);
  return tenant;
}

/** A key record and the secret it was made from (which a store must never keep). */
export function keyRecord(tenantId: string, overrides: Partial<ApiKey> = {}, environment: Environment = 'production'): { key: ApiKey; secret: string } {
  const secret = generateKey(overrides.environment ?? environment);
  const hint = keyHint(secret);
  const key: ApiKey = {
    id: newId('key'),
    tenantId,
    name: 'Billing sync',
    environment: overrides.environment ?? environment,
    digest: sha256Hex(secret),
    start: hint.start,
    end: hint.end,
    scopes: [],
    rateLimit: { requestsPerMinute: 100, burst: 100 },
    allowedIps: [],
    customerIds: [],
    expiresAt: LATER,
    status: 'active',
    createdAt: EARLIER,
    createdBy: null,
    updatedAt: EARLIER,
    revokedAt: null,
    lastUsedAt: null,
    lastUsedIp: null,
    rotatedFrom: null,
    rotatedTo: null,
    meta: {},
    ...overrides,
  };
  return { key, secret };
}
