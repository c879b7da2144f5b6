// Redis for tests: the test URL (skipped when unreachable, failing under CI=true), a random key prefix
// per test, a capturing logger, and a TCP proxy that can take Redis away and bring it back.
import { randomBytes } from 'node:crypto';
import { createServer, type AddressInfo, type Server, type Socket, connect } from 'node:net';
import { Redis } from 'ioredis';
import { RedisConnection, type RedisConnectionOptions, type RedisLogger } from '../../src/redis/redis-connection.js';

export const TEST_REDIS_URL = process.env.LATCHKEY_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

export interface Cleanup {
  after(fn: () => unknown): void;
}

export interface Skippable extends Cleanup {
  skip(message?: string): void;
}

let reachable: Promise<boolean> | undefined;

async function ping(url: string): Promise<boolean> {
  const client = new Redis(url, { lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 0, retryStrategy: () => null, connectTimeout: 1000 });
  client.on('error', () => undefined);
  try {
    await client.connect();
    return (await client.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    client.disconnect();
  }
}

/**
 * Why Redis suites cannot run here, or `undefined` when they can. Under `CI=true` an unreachable
 * Redis is an error instead. For `describe(name, { skip: await redisSkipReason() }, ...)`.
 */
export async function redisSkipReason(): Promise<string | undefined> {
  reachable ??= ping(TEST_REDIS_URL);
  if (await reachable) return undefined;
  if (process.env.CI === 'true') throw new Error(`Redis unreachable at ${TEST_REDIS_URL}, and CI=true requires the Redis tests to run`);
  return `Redis unreachable at ${TEST_REDIS_URL}: Redis tests skipped (start Redis or set LATCHKEY_TEST_REDIS_URL)`;
}

/** The test Redis URL, or `undefined` after skipping `t` (one clear line) when Redis is unreachable. */
export async function redisUrlOrSkip(t: Skippable): Promise<string | undefined> {
  const reason = await redisSkipReason();
  if (reason === undefined) return TEST_REDIS_URL;
  t.skip(reason);
  return undefined;
}

/** A fresh key prefix; every key under it is deleted when the test ends. */
export function testKeyPrefix(t: Cleanup, url = TEST_REDIS_URL): string {
  const prefix = `latchkey-test:${randomBytes(6).toString('hex')}:`;
  t.after(() => deleteKeys(url, prefix));
  return prefix;
}

async function deleteKeys(url: string, prefix: string): Promise<void> {
  const client = new Redis(url, { maxRetriesPerRequest: 1 });
  try {
    let cursor = '0';
    do {
      const [next, keys] = await client.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
      if (keys.length > 0) await client.del(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    client.disconnect();
  }
}

export interface LogLine {
  level: 'warn' | 'info';
  msg: string;
  obj: object;
}

/** A `RedisLogger` that keeps what it is told. */
export class CapturingLogger implements RedisLogger {
  readonly lines: LogLine[] = [];
  warn(obj: object, msg: string): void {
    this.lines.push({ level: 'warn', msg, obj });
  }
  info(obj: object, msg: string): void {
    this.lines.push({ level: 'info', msg, obj });
  }
  messages(level?: LogLine['level']): string[] {
    return this.lines.filter((line) => level === undefined || line.level === level).map((line) => line.msg);
  }
}

/** A connection closed when the test ends; waits until it is ready unless `ready: false`. */
export async function openConnection(
  t: Cleanup,
  url: string,
  options: Partial<Omit<RedisConnectionOptions, 'url'>> & { ready?: boolean } = {},
): Promise<{ connection: RedisConnection; logger: CapturingLogger }> {
  const logger = options.logger instanceof CapturingLogger ? options.logger : new CapturingLogger();
  const connection = new RedisConnection({ failureMode: 'closed', ...options, url, logger });
  t.after(() => connection.close());
  if (options.ready !== false && !(await connection.waitUntilReady(5000))) throw new Error(`Redis at ${url} did not become ready`);
  return { connection, logger };
}

/** Resolves on the connection's next transition to `up` (true) or down (false). */
export function nextStatus(connection: RedisConnection, up: boolean): Promise<void> {
  return new Promise((resolve) => {
    const unsubscribe = connection.onStatusChange((now) => {
      if (now !== up) return;
      unsubscribe();
      resolve();
    });
  });
}

/**
 * A TCP proxy in front of Redis on a fixed local port. `stop()` drops every connection and refuses
 * new ones (Redis unreachable); `start()` listens again (Redis back); `hang()` keeps connections open
 * but forwards nothing more (a Redis that does not answer), until `resume()`; `slow(ms)` delays Redis's answers (a slow one);
 * `dropNextReply()` loses the next bytes Redis sends (one reply lost on a link that stays up).
 */
export class RedisProxy {
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();
  private hanging = false;
  private answerDelayMs = 0;
  private droppingReply = false;
  private port = 0;

  private constructor(
    private readonly targetHost: string,
    private readonly targetPort: number,
  ) {}

  static async start(t: Cleanup, targetUrl: string): Promise<RedisProxy> {
    const target = new URL(targetUrl);
    const proxy = new RedisProxy(target.hostname, Number(target.port || 6379));
    await proxy.start();
    t.after(() => proxy.stop());
    return proxy;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    this.hanging = false;
    const server = createServer((client) => this.pipe(client));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => resolve());
    });
    this.port = (server.address() as AddressInfo).port;
    this.server = server;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    for (const socket of this.sockets) socket.destroy();
    this.sockets.clear();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  hang(): void {
    this.hanging = true;
  }

  /** Forwards again on the connections a `hang()` kept: what was sent meanwhile is lost, as on a link that dropped it. */
  resume(): void {
    this.hanging = false;
  }

  slow(ms: number): void {
    this.answerDelayMs = ms;
  }

  dropNextReply(): void {
    this.droppingReply = true;
  }

  private pipe(client: Socket): void {
    const upstream = connect(this.targetPort, this.targetHost);
    for (const socket of [client, upstream]) {
      this.sockets.add(socket);
      socket.on('error', () => undefined);
      socket.on('close', () => {
        this.sockets.delete(socket);
        client.destroy();
        upstream.destroy();
      });
    }
    client.on('data', (chunk) => {
      if (!this.hanging) upstream.write(chunk);
    });
    upstream.on('data', (chunk) => {
      if (this.hanging) return;
      if (this.droppingReply) {
        this.droppingReply = false;
        return;
      }
      if (this.answerDelayMs === 0) client.write(chunk);
      else setTimeout(() => client.write(chunk), this.answerDelayMs);
    });
  }
}
