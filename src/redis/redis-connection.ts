// The node's Redis connection: fails fast while Redis is down, reconnects forever, and says so in the
// log once per outage.
import { Redis, type RedisOptions } from 'ioredis';

/** What a node does with requests Redis must decide while it is unreachable (LATCHKEY_REDIS_FAILURE). */
export type RedisFailureMode = 'closed' | 'open';

/** The logger the connection reports to; pino's `Logger` fits. */
export interface RedisLogger {
  warn(obj: object, msg: string): void;
  info(obj: object, msg: string): void;
}

export interface RedisConnectionOptions {
  url: string;
  failureMode: RedisFailureMode;
  logger: RedisLogger;
  /** A command unanswered this long fails, and is decided by the failure mode (a hung Redis). */
  commandTimeoutMs?: number;
  connectTimeoutMs?: number;
}

const MAX_RECONNECT_DELAY_MS = 1000;

const OUTAGE_MESSAGES: Record<RedisFailureMode, string> = {
  closed: 'Redis unreachable: requests needing it are refused with 503 (LATCHKEY_REDIS_FAILURE=closed)',
  open: 'Redis unreachable: requests needing it are decided with local limits (LATCHKEY_REDIS_FAILURE=open)',
};

type Health = 'connecting' | 'up' | 'down';

/**
 * Commands fail at once while the connection is down (no offline queue) and after `commandTimeoutMs`
 * when Redis hangs, so that no request waits on Redis; callers apply the failure mode.
 *
 * @example
 * const redis = new RedisConnection({ url, failureMode: 'closed', logger });
 * if (redis.isReady()) await redis.client.ping();
 */
export class RedisConnection {
  readonly client: Redis;
  readonly failureMode: RedisFailureMode;
  private health: Health = 'connecting';
  private closing = false;
  /** Set from dropping a connection that is out of step until the next one is up: one drop, one log line. */
  private replacing = false;
  /** Counts the connections made: a command's failure tells about the connection it was sent on, not a later one. */
  private connections = 0;
  private lastError: string | undefined;
  private readonly listeners = new Set<(up: boolean) => void>();
  private readonly duplicates = new Set<Redis>();
  /** host:port only: the URL may hold a password. */
  private readonly address: string;

  constructor(private readonly options: RedisConnectionOptions) {
    this.failureMode = options.failureMode;
    this.address = addressOf(options.url);
    this.client = new Redis(options.url, this.clientOptions());
    this.client.on('ready', () => this.markUp());
    this.client.on('error', (error: Error) => {
      this.lastError = error.message;
    });
    this.client.on('close', () => this.markDown());
  }

  /** True while commands can be sent; cheap enough for every request. */
  isReady(): boolean {
    return this.client.status === 'ready';
  }

  /**
   * True when Redis answers a PING within the command timeout: for readiness, where a server that keeps its
   * connection but answers nothing must count as down (`isReady` alone would say ready).
   */
  async answers(): Promise<boolean> {
    if (!this.isReady()) return false;
    const sentOn = this.generation;
    try {
      const reply = await this.client.ping();
      if (reply === 'PONG') return true;
      this.replace('a health check got the reply of another command', sentOn);
      return false;
    } catch (error) {
      this.noteFailure(error, sentOn);
      return false;
    }
  }

  /** The connection commands go out on now; read it before sending one, for `noteFailure` and `replace`. */
  get generation(): number {
    return this.connections;
  }

  /**
   * Every user of the connection hands it the errors of its commands. ioredis pairs replies with commands in the
   * order they were sent, and a command that timed out keeps its place: if its reply was lost (bytes dropped on a
   * link that stays up, a Redis wedged) every later command would get the reply of the one after it, for ever, each
   * request another's rate-limit decision. So a timeout replaces the connection, and a fresh one starts in step.
   */
  noteFailure(error: unknown, sentOn: number): void {
    if (error instanceof Error && /timed out/i.test(error.message)) this.replace('a command timed out', sentOn);
  }

  /**
   * Drops the connection for a fresh one (reconnecting takes over from there): its replies cannot be trusted. A
   * command of a connection already replaced says nothing about the current one, which is kept.
   */
  replace(reason: string, sentOn: number): void {
    if (this.closing || this.replacing || sentOn !== this.connections || !this.isReady()) return;
    this.replacing = true;
    this.options.logger.warn({ redis: this.address, reason }, 'Redis connection out of step: reconnecting');
    this.client.disconnect(true);
  }

  /** Calls `listener(true)` when Redis becomes reachable, `listener(false)` when it is lost. Returns the unsubscribe. */
  onStatusChange(listener: (up: boolean) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Resolves true once ready, false after `timeoutMs` (the timer does not hold the process). */
  waitUntilReady(timeoutMs: number): Promise<boolean> {
    if (this.isReady()) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        unsubscribe();
        resolve(false);
      }, timeoutMs).unref();
      const unsubscribe = this.onStatusChange((up) => {
        if (!up) return;
        clearTimeout(timer);
        unsubscribe();
        resolve(true);
      });
    });
  }

  /**
   * A second connection to the same Redis with the same options (subscriptions need their own);
   * closed with this one. Its errors are left to the caller, outages are logged here already.
   */
  duplicate(overrides: Partial<RedisOptions> = {}): Redis {
    const client = new Redis(this.options.url, { ...this.clientOptions(), ...overrides });
    this.duplicates.add(client);
    client.once('end', () => this.duplicates.delete(client));
    return client;
  }

  async close(): Promise<void> {
    this.closing = true;
    this.listeners.clear();
    await Promise.all([this.client, ...this.duplicates].map(quit));
  }

  private clientOptions(): RedisOptions {
    return {
      lazyConnect: false,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      connectTimeout: this.options.connectTimeoutMs ?? 2000,
      commandTimeout: this.options.commandTimeoutMs ?? 1000,
      // Commands of a dropped connection were already decided by the failure mode (and a take sent again would
      // take a second token): they are not sent again on the next one.
      autoResendUnfulfilledCommands: false,
      retryStrategy: (attempt: number) => Math.min(50 * 2 ** Math.min(attempt, 5), MAX_RECONNECT_DELAY_MS),
    };
  }

  private markUp(): void {
    this.replacing = false;
    this.connections++;
    const previous = this.health;
    this.health = 'up';
    this.lastError = undefined;
    if (previous === 'down') this.options.logger.info({ redis: this.address }, 'Redis reachable again');
    else this.options.logger.info({ redis: this.address }, 'Redis connected');
    this.notify(true);
  }

  private markDown(): void {
    if (this.closing || this.health === 'down') return;
    this.health = 'down';
    this.options.logger.warn({ redis: this.address, reason: this.lastError ?? 'connection closed' }, OUTAGE_MESSAGES[this.failureMode]);
    this.notify(false);
  }

  private notify(up: boolean): void {
    for (const listener of [...this.listeners]) listener(up);
  }
}

/** Closes a client and waits until its socket is gone, so that a closed node holds no handle. */
async function quit(client: Redis): Promise<void> {
  // Between reconnect attempts there is no socket: cancelling the next attempt is all there is to do.
  if (client.status === 'end' || client.status === 'reconnecting' || client.status === 'wait') {
    client.disconnect();
    return;
  }
  const ended = new Promise<void>((resolve) => {
    client.once('end', resolve);
    setTimeout(resolve, 2000).unref();
  });
  if (client.status === 'ready') await client.quit().catch(() => client.disconnect());
  else client.disconnect();
  await ended;
}

function addressOf(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.hostname}:${parsed.port || '6379'}`;
  } catch {
    return 'redis';
  }
}
