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
  /** Numbers the takes: each reply must carry its own take's number. */
  private nonce = 0;

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
    const sentOn = this.connection.generation;
    return this.run(this.keyPrefix + bucketId, rule, cost, sentOn).then(
      (reply) => decisionFor(reply.allowed, reply.tokens, rule, nowMs),
      (error: unknown) => {
        this.connection.noteFailure(error, sentOn);
        return this.undecided(bucketId, rule, nowMs, cost, error);
      },
    );
  }

  async close(): Promise<void> {
    this.unsubscribe();
  }

  private async run(key: string, rule: RateLimitRule, cost: 0 | 1, sentOn: number): Promise<{ allowed: boolean; tokens: number }> {
    const nonce = String((this.nonce = (this.nonce + 1) % Number.MAX_SAFE_INTEGER));
    const args = [key, rule.requestsPerMinute, rule.burst, cost, nonce] as const;
    let reply: unknown;
    try {
      reply = await this.connection.client.evalsha(TOKEN_BUCKET_SHA, 1, ...args);
    } catch (error) {
      if (!isNoScript(error)) throw error;
      await this.loadScript();
      reply = await this.connection.client.evalsha(TOKEN_BUCKET_SHA, 1, ...args);
    }
    const parsed = parseReply(reply);
    if (parsed.nonce !== nonce) {
      // Another command's reply: the connection is out of step (see RedisConnection.noteFailure), and so is every
      // reply after this one until it is replaced.
      this.connection.replace("a rate-limit take got another command's reply", sentOn);
      throw new Error("the token-bucket script's reply belongs to another take");
    }
    return parsed;
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

function parseReply(reply: unknown): { allowed: boolean; tokens: number; nonce: unknown } {
  if (Array.isArray(reply) && reply.length === 3) {
    const tokens = Number(reply[1]);
    if ((reply[0] === 0 || reply[0] === 1) && Number.isFinite(tokens)) return { allowed: reply[0] === 1, tokens, nonce: reply[2] };
  }
  throw new Error('unexpected reply from the token-bucket script');
}
