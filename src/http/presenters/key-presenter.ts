// The API key as clients see it: snake_case, effective status, wire times; never the digest.
import { type ApiKey, effectiveStatus } from '../../core/api-key.js';
import { toWire } from '../../core/time.js';

export function presentKey(key: ApiKey, now: string) {
  return {
    id: key.id,
    tenant_id: key.tenantId,
    name: key.name,
    environment: key.environment,
    scopes: key.scopes,
    rate_limit: { requests_per_minute: key.rateLimit.requestsPerMinute, burst: key.rateLimit.burst },
    allowed_ips: key.allowedIps,
    customer_ids: key.customerIds,
    expires_at: toWire(key.expiresAt),
    status: effectiveStatus(key, now),
    created_at: toWire(key.createdAt),
    created_by: key.createdBy,
    updated_at: toWire(key.updatedAt),
    revoked_at: toWire(key.revokedAt),
    last_used_at: toWire(key.lastUsedAt),
    last_used_ip: key.lastUsedIp,
    start: key.start,
    end: key.end,
    rotated_from: key.rotatedFrom,
    rotated_to: key.rotatedTo,
    meta: key.meta,
  };
}
