// The OTP throttle port (send cooldowns, wrong-try counters) and its in-memory version for a single node.

export type CooldownClaim = { ok: true } | { ok: false; retryAfterSeconds: number };

export interface TryCount {
  count: number;
  resetInSeconds: number;
}

/**
 * Shared by every node when Redis is configured (`RedisOtpThrottle`). The Redis version rejects with
 * `LimiterUnavailableError` when Redis cannot answer; callers answer 503 then.
 */
export interface OtpThrottle {
  /**
   * Starts a cooldown of `seconds` for `scope` unless one is running. `scope` is already a digest
   * (of address and purpose), never a raw address, since it becomes a key name.
   */
  claimCooldown(scope: string, seconds: number): Promise<CooldownClaim>;
  /** Ends a cooldown early, e.g. when sending the code failed and the user should be able to retry. */
  releaseCooldown(scope: string): Promise<void>;
  /**
   * Counts one more try under `challengeId` (a challenge, or a subject's hour); the count lives `ttlSeconds` from
   * the first try, whatever comes after. Returns the count, and the whole seconds (>= 1) until it starts again.
   */
  incrementTries(challengeId: string, ttlSeconds: number): Promise<TryCount>;
}

/**
 * Entries expire on their own clock and are dropped oldest first as new ones are written; past
 * `maxEntries` the oldest go even if running, so a flood of distinct addresses cannot grow memory
 * without bound (the cost: such a flood can cut a cooldown short).
 */
export class MemoryOtpThrottle implements OtpThrottle {
  private readonly cooldowns: ExpiringMap<true>;
  private readonly tries: ExpiringMap<number>;

  constructor(
    private readonly now: () => number = Date.now,
    maxEntries = 200_000,
  ) {
    this.cooldowns = new ExpiringMap(maxEntries);
    this.tries = new ExpiringMap(maxEntries);
  }

  claimCooldown(scope: string, seconds: number): Promise<CooldownClaim> {
    const now = this.now();
    const running = this.cooldowns.get(scope, now);
    if (running !== undefined) {
      return Promise.resolve({ ok: false, retryAfterSeconds: Math.max(1, Math.ceil((running.expiresAtMs - now) / 1000)) });
    }
    this.cooldowns.set(scope, true, now + seconds * 1000, now);
    return Promise.resolve({ ok: true });
  }

  releaseCooldown(scope: string): Promise<void> {
    this.cooldowns.delete(scope);
    return Promise.resolve();
  }

  incrementTries(challengeId: string, ttlSeconds: number): Promise<TryCount> {
    const now = this.now();
    const running = this.tries.get(challengeId, now);
    const count = (running?.value ?? 0) + 1;
    const expiresAtMs = running?.expiresAtMs ?? now + ttlSeconds * 1000;
    this.tries.set(challengeId, count, expiresAtMs, now);
    return Promise.resolve({ count, resetInSeconds: Math.max(1, Math.ceil((expiresAtMs - now) / 1000)) });
  }
}

/**
 * A Map whose entries expire, pruned oldest write first through a queue of writes. (Walking the Map
 * from its front instead would slow down as deletions leave holes there that V8 skips one by one.)
 */
class ExpiringMap<V> {
  private readonly entries = new Map<string, { value: V; expiresAtMs: number }>();
  /** Every write in order; a record is stale once its key was written again or deleted. */
  private writes: { key: string; expiresAtMs: number }[] = [];
  private head = 0;

  constructor(private readonly maxEntries: number) {}

  get(key: string, now: number): { value: V; expiresAtMs: number } | undefined {
    const entry = this.entries.get(key);
    return entry !== undefined && entry.expiresAtMs > now ? entry : undefined;
  }

  set(key: string, value: V, expiresAtMs: number, now: number): void {
    this.entries.delete(key);
    this.prune(now);
    this.entries.set(key, { value, expiresAtMs });
    this.writes.push({ key, expiresAtMs });
  }

  delete(key: string): void {
    this.entries.delete(key);
  }

  /** Drops expired entries from the oldest write on, and the oldest live ones beyond `maxEntries - 1`. */
  private prune(now: number): void {
    const writes = this.writes;
    while (this.head < writes.length) {
      const write = writes[this.head]!;
      const entry = this.entries.get(write.key);
      const current = entry !== undefined && entry.expiresAtMs === write.expiresAtMs;
      if (current && write.expiresAtMs > now && this.entries.size < this.maxEntries) break;
      if (current) this.entries.delete(write.key);
      this.head++;
    }
    if (this.head > 1024 && this.head * 2 > writes.length) {
      this.writes = writes.slice(this.head);
      this.head = 0;
    }
  }
}
