// Cache invalidation across nodes: key and tenant changes over Redis pub/sub.
import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { CacheChange, ChangeBus } from '../verify/change-propagation.js';
import type { RedisConnection, RedisLogger } from './redis-connection.js';

export interface RedisChangeBusOptions {
  /** Prepended to the channel name; tests use a random one. Default `latchkey:`. */
  keyPrefix?: string;
  logger: RedisLogger;
}

export interface ChangeHandlers {
  /** A change published by another node. */
  onChange(change: CacheChange): void;
  /**
   * The subscription is back after the subscriber connection was lost: messages may have been
   * missed meanwhile, so the caller drops its whole cache.
   */
  onResync(): void;
}

interface Message extends CacheChange {
  /** The publishing bus, so a node skips its own changes (it applied them before publishing). */
  origin: string;
}

/**
 * Publishes on the node's main connection (failing at once while Redis is down: the change feed is
 * the fallback) and listens on a connection of its own, which it subscribes again itself after each
 * reconnect, so that it knows when to call `onResync`.
 */
export class RedisChangeBus implements ChangeBus {
  readonly channel: string;
  private readonly origin = randomUUID();
  private subscriber: Redis | undefined;

  constructor(
    private readonly connection: RedisConnection,
    private readonly options: RedisChangeBusOptions,
  ) {
    this.channel = `${options.keyPrefix ?? 'latchkey:'}changes`;
  }

  async publish(change: CacheChange): Promise<void> {
    const message: Message = { kind: change.kind, id: change.id, origin: this.origin };
    const sentOn = this.connection.generation;
    await this.connection.client.publish(this.channel, JSON.stringify(message)).catch((error: unknown) => {
      this.connection.noteFailure(error, sentOn);
      throw error;
    });
  }

  /**
   * Starts listening. Resolves once the first subscription is in place (serve need not wait for it;
   * tests do); until then and during outages, changes reach this node through the change feed.
   */
  subscribe(handlers: ChangeHandlers): Promise<void> {
    if (this.subscriber) throw new Error('RedisChangeBus.subscribe was already called');
    const subscriber = this.connection.duplicate({ autoResubscribe: false });
    this.subscriber = subscriber;
    // Outages are logged once by the main connection; the subscriber's own errors would only repeat them.
    subscriber.on('error', () => undefined);
    subscriber.on('message', (channel: string, text: string) => {
      if (channel === this.channel) this.receive(text, handlers);
    });
    return new Promise((resolve) => {
      let subscribedBefore = false;
      const attempt = (): void => {
        subscriber.subscribe(this.channel).then(
          () => {
            if (subscribedBefore) handlers.onResync();
            subscribedBefore = true;
            resolve();
          },
          (error: unknown) => {
            this.options.logger.warn({ err: error }, 'subscribing to cache invalidations failed; retrying');
            // A lost connection retries on its next 'ready'; a refused or timed-out SUBSCRIBE retries here.
            setTimeout(() => {
              if (subscriber.status === 'ready') attempt();
            }, 1000).unref();
          },
        );
      };
      subscriber.on('ready', attempt);
    });
  }

  /** Stops listening (the node's connection also closes the subscriber when it closes). */
  async close(): Promise<void> {
    const subscriber = this.subscriber;
    this.subscriber = undefined;
    if (subscriber === undefined || subscriber.status === 'end') return;
    await subscriber.quit().catch(() => subscriber.disconnect());
  }

  private receive(text: string, handlers: ChangeHandlers): void {
    const message = parseMessage(text);
    if (message === undefined) {
      this.options.logger.warn({ channel: this.channel }, 'ignored a malformed cache invalidation message');
      return;
    }
    if (message.origin === this.origin) return;
    try {
      handlers.onChange({ kind: message.kind, id: message.id });
    } catch (error) {
      this.options.logger.warn({ err: error }, 'applying a cache invalidation failed');
    }
  }
}

function parseMessage(text: string): Message | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const { kind, id, origin } = value as Record<string, unknown>;
  if ((kind !== 'key' && kind !== 'tenant') || typeof id !== 'string' || typeof origin !== 'string') return undefined;
  return { kind, id, origin };
}
