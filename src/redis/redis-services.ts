// Everything a node shares through Redis, built from one URL: for the composition root when LATCHKEY_REDIS_URL is set.
import { RedisTokenBucketLimiter } from '../limits/redis-limiter.js';
import { RedisChangeBus } from './redis-change-bus.js';
import { RedisConnection, type RedisFailureMode, type RedisLogger } from './redis-connection.js';
import { RedisOtpThrottle } from './redis-otp-throttle.js';

export interface RedisServicesOptions {
  url: string;
  failureMode: RedisFailureMode;
  logger: RedisLogger;
  /** Default `latchkey:`; nodes that share state must use the same one. */
  keyPrefix?: string;
}

export interface RedisServices {
  connection: RedisConnection;
  limiter: RedisTokenBucketLimiter;
  changeBus: RedisChangeBus;
  otpThrottle: RedisOtpThrottle;
  close(): Promise<void>;
}

/**
 * Connects at once but does not wait: until Redis answers, the failure mode decides, as in any outage.
 *
 * @example
 * const redis = buildRedisServices({ url, failureMode: config.redisFailure, logger });
 * void redis.changeBus.subscribe({ onChange: (c) => changes.apply(c), onResync: () => void changes.resync() });
 */
export function buildRedisServices(options: RedisServicesOptions): RedisServices {
  const connection = new RedisConnection({ url: options.url, failureMode: options.failureMode, logger: options.logger });
  const { failureMode, keyPrefix, logger } = options;
  const limiter = new RedisTokenBucketLimiter(connection, { failureMode, keyPrefix });
  const changeBus = new RedisChangeBus(connection, { logger, keyPrefix });
  const otpThrottle = new RedisOtpThrottle(connection, { failureMode, keyPrefix });
  return {
    connection,
    limiter,
    changeBus,
    otpThrottle,
    async close() {
      await limiter.close();
      await changeBus.close();
      await connection.close();
    },
  };
}
