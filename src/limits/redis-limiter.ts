// The token bucket shared by every node: one atomic Lua script per take, with a failure mode for outages.
import type { RedisConnection, RedisFailureMode } from '../redis/redis-connection.js';
import { TokenBucketLimiter } from './memory-limiter.js';
import { decisionFor, LimiterUnavailableError, type RateLimitDecision, type RateLimiter, type RateLimitRule } from './rate-limiter.js';
import { TOKEN_BUCKET_SCRIPT, TOKEN_BUCKET_SHA } from './redis-token-bucket-script.js';

export interface RedisLimiterOptions {
  /** Prepended to every key; tests use a random one. Default `latchkey:`. */
  keyPrefix?: string;
  /** `closed`: takes reject with `LimiterUnavailableError` while Redis cannot answer; `open`: a local bucket decides. */
  failureMode: RedisFailureMode;
  /** The local limiter of `open` mode; a fresh one by default. */
  fallback?: TokenBucketLimiter;
}

/**
 * Same decisions as `TokenBucketLimiter`, on state in Redis (a hash per bucket under
 * `<prefix>rl:<bucketId>`). The script is loaded with SCRIPT LOAD whenever the connection comes up and
 * run with EVALSHA; a NOSCRIPT answer (Redis restarted or flushed its scripts) loads it again and retries.
 *
 * In `open` mode the local buckets only see this node's traffic, so while Redis is down a key may get
 * up to its limit on each node; when Redis is back the shared bucket resumes where it was.
 */
export class RedisTokenBucketLimiter implements RateLimiter {
  private readonly keyPrefix: string;
  private readonly failureMode: RedisFailureMode;
  private readonly fallback: TokenBucketLimiter;
  private loading: Promise<void> | undefined;
  private readonly unsubscribe: () => void;

  constructor(
    private readonly connection: RedisConnection,
    options: RedisLimiterOptions,
  ) {
    this.keyPrefix = `${options.keyPrefix ?? 'latchkey:'}rl:`;
    this.failureMode = options.failureMode;
    this.fallback = options.fallback ?? new TokenBucketLimiter();
    this.unsubscribe = connection.onStatusChange((up) => {
      if (up) this.loadScript().catch(() => undefined);
    });
    if (connection.isReady()) this.loadScript().catch(() => undefined);
  }

  take(bucketId: string, rule: RateLimitRule, nowMs: number, cost: 0 | 1 = 1): RateLimitDecision | Promise<RateLimitDecision> {
    // Down already: decide without building a failing command.
    if (!this.connection.isReady()) return this.undecided(bucketId, rule, nowMs, cost, undefined);
    return this.run(this.keyPrefix + bucketId, rule, cost).then(
      (reply) => decisionFor(reply.allowed, reply.tokens, rule, nowMs),
      (error: unknown) => this.undecided(bucketId, rule, nowMs, cost, error),
    );
  }

  async close(): Promise<void> {
    this.unsubscribe();
  }

  private async run(key: string, rule: RateLimitRule, cost: 0 | 1): Promise<{ allowed: boolean; tokens: number }> {
    const args = [key, rule.requestsPerMinute, rule.burst, cost] as const;
    let reply: unknown;
    try {
      reply = await this.connection.client.evalsha(TOKEN_BUCKET_SHA, 1, ...args);
    } catch (error) {
      if (!isNoScript(error)) throw error;
      await this.loadScript();
      reply = await this.connection.client.evalsha(TOKEN_BUCKET_SHA, 1, ...args);
    }
    return parseReply(reply);
  }

  /** One SCRIPT LOAD at a time, however many takes hit NOSCRIPT together. */
  private loadScript(): Promise<void> {
    this.loading ??= this.connection.client
      .script('LOAD', TOKEN_BUCKET_SCRIPT)
      .then(() => undefined)
      .finally(() => {
        this.loading = undefined;
      });
    return this.loading;
  }

  private undecided(bucketId: string, rule: RateLimitRule, nowMs: number, cost: 0 | 1, cause: unknown): RateLimitDecision | Promise<RateLimitDecision> {
    if (this.failureMode === 'open') return this.fallback.take(bucketId, rule, nowMs, cost);
    return Promise.reject(new LimiterUnavailableError('Redis cannot be reached to decide the rate limit', cause === undefined ? undefined : { cause }));
  }
}

function isNoScript(error: unknown): boolean {
  return error instanceof Error && error.message.startsWith('NOSCRIPT');
}

function parseReply(reply: unknown): { allowed: boolean; tokens: number } {
  if (Array.isArray(reply) && reply.length === 2) {
    const tokens = Number(reply[1]);
    if ((reply[0] === 0 || reply[0] === 1) && Number.isFinite(tokens)) return { allowed: reply[0] === 1, tokens };
  }
  throw new Error('unexpected reply from the token-bucket script');
}
