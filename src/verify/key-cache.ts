// The in-process cache of keys by digest (LRU + TTL), with negative entries and invalidation by key or tenant.
import { LRUCache } from 'lru-cache';
import type { ApiKey, Tenant } from '../core/api-key.js';
import { IpAllowList } from '../core/cidr.js';

/** A key as the verification path needs it: everything precomputed that a request would otherwise redo. */
export interface CachedKey {
  key: ApiKey;
  tenant: Tenant;
  allowList: IpAllowList;
  /** `expires_at` in epoch ms, `Infinity` for never. */
  expiresAtMs: number;
}

export interface KeyCacheOptions {
  maxKeys?: number;
  /** How long a found key is trusted without an invalidation: the safety net when a message is lost. */
  ttlMs?: number;
  maxUnknown?: number;
  unknownTtlMs?: number;
}

export function toCachedKey(key: ApiKey, tenant: Tenant): CachedKey {
  return { key, tenant, allowList: new IpAllowList(key.allowedIps), expiresAtMs: key.expiresAt === null ? Infinity : Date.parse(key.expiresAt) };
}

/**
 * Found keys and unknown digests live in two LRUs, so a flood of made-up keys
 * cannot push real keys out. `epoch` grows on every invalidation: a load that
 * started before one must not put what it read into the cache.
 */
export class KeyCache {
  private readonly found: LRUCache<string, CachedKey>;
  private readonly unknown: LRUCache<string, true>;
  private readonly digestByKeyId = new Map<string, string>();
  private epochValue = 0;

  constructor(options: KeyCacheOptions = {}) {
    this.found = new LRUCache<string, CachedKey>({
      max: options.maxKeys ?? 100_000,
      ttl: options.ttlMs ?? 60_000,
      ttlAutopurge: false,
      dispose: (entry, digest) => {
        if (this.digestByKeyId.get(entry.key.id) === digest) this.digestByKeyId.delete(entry.key.id);
      },
    });
    this.unknown = new LRUCache<string, true>({ max: options.maxUnknown ?? 10_000, ttl: options.unknownTtlMs ?? 30_000 });
  }

  get epoch(): number {
    return this.epochValue;
  }

  /** The cached key, `null` for a digest known to be unknown, `undefined` when not cached. */
  get(digest: string): CachedKey | null | undefined {
    const entry = this.found.get(digest);
    if (entry !== undefined) return entry;
    return this.unknown.get(digest) ? null : undefined;
  }

  /** Caches a load result unless an invalidation happened since `epoch` was read. */
  set(digest: string, entry: CachedKey | null, epoch: number): void {
    if (epoch !== this.epochValue) return;
    if (entry === null) {
      this.unknown.set(digest, true);
      return;
    }
    // A key has one secret: found under a new digest (regenerated, perhaps on another node), its old secret's
    // entry goes, or it would verify until its TTL, out of reach of an invalidation by key id.
    const previous = this.digestByKeyId.get(entry.key.id);
    if (previous !== undefined && previous !== digest) this.found.delete(previous);
    this.found.set(digest, entry);
    this.digestByKeyId.set(entry.key.id, digest);
  }

  invalidateKey(keyId: string, digest?: string): void {
    this.epochValue++;
    const cached = this.digestByKeyId.get(keyId);
    if (cached !== undefined) this.found.delete(cached);
    if (digest !== undefined) {
      this.found.delete(digest);
      this.unknown.delete(digest);
    }
  }

  invalidateTenant(tenantId: string): void {
    this.epochValue++;
    const digests: string[] = [];
    this.found.forEach((entry, digest) => {
      if (entry.key.tenantId === tenantId) digests.push(digest);
    });
    for (const digest of digests) this.found.delete(digest);
  }

  get size(): number {
    return this.found.size;
  }
}
