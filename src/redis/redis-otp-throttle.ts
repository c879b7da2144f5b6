// OTP cooldowns and wrong-try counters in Redis, so that every node sees the same ones.
import { type CooldownClaim, MemoryOtpThrottle, type OtpThrottle, type TryCount } from '../limits/otp-throttle.js';
import { LimiterUnavailableError } from '../limits/rate-limiter.js';
import type { RedisConnection, RedisFailureMode } from './redis-connection.js';

export interface RedisOtpThrottleOptions {
  /** Prepended to every key; tests use a random one. Default `latchkey:`. */
  keyPrefix?: string;
  /** `closed`: reject with `LimiterUnavailableError` while Redis cannot answer; `open`: a local throttle decides. */
  failureMode: RedisFailureMode;
  /** The local throttle of `open` mode; a fresh one by default. */
  fallback?: OtpThrottle;
}

type Multi = ReturnType<RedisConnection['client']['multi']>;

/**
 * Keys: `<prefix>otp:cooldown:<scope>` (SET NX EX) and `<prefix>otp:tries:<challengeId>` (INCR with a
 * TTL), each pair of commands in one MULTI so that no key is left without its expiry. In `open` mode
 * an outage hands cooldowns and counts to a per-node throttle: they then hold per node, not across nodes.
 */
export class RedisOtpThrottle implements OtpThrottle {
  private readonly keyPrefix: string;
  private readonly fallback: OtpThrottle;

  constructor(
    private readonly connection: RedisConnection,
    private readonly options: RedisOtpThrottleOptions,
  ) {
    this.keyPrefix = `${options.keyPrefix ?? 'latchkey:'}otp:`;
    this.fallback = options.fallback ?? new MemoryOtpThrottle();
  }

  async claimCooldown(scope: string, seconds: number): Promise<CooldownClaim> {
    const key = `${this.keyPrefix}cooldown:${scope}`;
    const replies = await this.exec((multi) => multi.set(key, '1', 'EX', seconds, 'NX').pttl(key));
    if (replies === undefined) return this.fallback.claimCooldown(scope, seconds);
    const [set, pttl] = replies;
    if (set === 'OK') return { ok: true };
    // PTTL is -2 when the cooldown ended between the two commands (and -1 is never written here).
    const leftMs = typeof pttl === 'number' && pttl > 0 ? pttl : 1000;
    return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil(leftMs / 1000)) };
  }

  async releaseCooldown(scope: string): Promise<void> {
    const replies = await this.exec((multi) => multi.del(`${this.keyPrefix}cooldown:${scope}`));
    if (replies === undefined) await this.fallback.releaseCooldown(scope);
  }

  async incrementTries(challengeId: string, ttlSeconds: number): Promise<TryCount> {
    const key = `${this.keyPrefix}tries:${challengeId}`;
    // The window starts at the first try (SET NX), and INCR keeps it: later tries do not stretch it.
    const replies = await this.exec((multi) => multi.set(key, 0, 'EX', ttlSeconds, 'NX').incr(key).ttl(key));
    if (replies === undefined) return this.fallback.incrementTries(challengeId, ttlSeconds);
    const [, count, ttl] = replies;
    if (typeof count !== 'number') throw new LimiterUnavailableError('unexpected reply from Redis to INCR');
    return { count, resetInSeconds: typeof ttl === 'number' && ttl > 0 ? ttl : 1 };
  }

  /**
   * Runs the commands in one MULTI and returns each result. When Redis cannot answer: `undefined` in
   * `open` mode (the caller asks the fallback), `LimiterUnavailableError` in `closed` mode.
   */
  private async exec(build: (multi: Multi) => Multi): Promise<unknown[] | undefined> {
    let replies: [Error | null, unknown][] | null;
    const sentOn = this.connection.generation;
    try {
      if (!this.connection.isReady()) throw new Error('Redis is not connected');
      replies = await build(this.connection.client.multi()).exec();
      if (replies === null) throw new Error('the transaction was aborted');
    } catch (error) {
      this.connection.noteFailure(error, sentOn);
      if (this.options.failureMode === 'open') return undefined;
      throw new LimiterUnavailableError('Redis cannot be reached for the OTP throttle', { cause: error });
    }
    return replies.map(([error, value]) => {
      if (error) throw new LimiterUnavailableError('Redis refused an OTP throttle command', { cause: error });
      return value;
    });
  }
}
