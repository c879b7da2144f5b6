// Carries key and tenant changes to every cache: this process at once, other nodes by Redis pub/sub
// (when configured) and by the change feed table, which also reaches servers from CLI processes.
import type { Kysely } from 'kysely';
import { newId } from '../core/ids.js';
import type { ChangeFeedStore } from '../store/change-feed-store.js';
import type { Database } from '../store/schema.js';
import { OutageLog, type OutageLogger } from '../outage-log.js';
import type { KeyCache } from './key-cache.js';

export interface CacheChange {
  kind: 'key' | 'tenant';
  id: string;
}

/** Fans a change out to other nodes at once (Redis pub/sub). */
export interface ChangeBus {
  publish(change: CacheChange): Promise<void>;
}

const FEED_OVERLAP_MS = 5_000;
const FEED_KEEP_MS = 3_600_000;

/** A change to store and announce; for a key, `digest` is its secret's digest before the change. */
export interface StoredChange extends CacheChange {
  digest?: string | undefined;
}

/** Serves the management services as their `ChangeNotifier`, and applies other nodes' changes to the cache. */
export class ChangePropagation {
  /** The newest feed row seen, in the database's clock; read from the database on the first poll. */
  private feedCursor: string | undefined;
  private readonly seen = new Map<string, number>();
  private timer: NodeJS.Timeout | undefined;
  private lastPrune = 0;
  private readonly outage: OutageLog;
  /** The poll running or last run: polls take turns, so one out of turn (`resync`) never overlaps the ticking one. */
  private polling: Promise<void> = Promise.resolve();

  constructor(
    private readonly cache: KeyCache,
    private readonly feed: ChangeFeedStore,
    private readonly bus: ChangeBus | undefined,
    private readonly logger: OutageLogger,
    private readonly now: () => number = Date.now,
  ) {
    this.outage = new OutageLog(logger);
  }

  async writeFeedRow(db: Kysely<Database>, change: StoredChange): Promise<void> {
    const id = newId('chg');
    const at = await this.feed.in(db).append({ id, kind: change.kind, targetId: change.id });
    // This node announces its own changes: its feed reads skip the row.
    this.seen.set(id, Date.parse(at));
  }

  async announce(change: StoredChange): Promise<void> {
    if (change.kind === 'key') this.cache.invalidateKey(change.id, change.digest);
    else this.cache.invalidateTenant(change.id);
    // A lost publish only delays other nodes until their next read of the feed, where the change's row is.
    if (this.bus) {
      await this.bus.publish({ kind: change.kind, id: change.id }).catch((error: unknown) => this.logger.warn({ err: error }, 'publishing a cache invalidation failed; other nodes will read it from the change feed'));
    }
  }

  /** Applies a change heard from another node. */
  apply(change: CacheChange): void {
    if (change.kind === 'key') this.cache.invalidateKey(change.id);
    else this.cache.invalidateTenant(change.id);
  }

  /** Reads the change feed every `intervalMs`; the poll never keeps the process alive. */
  startPolling(intervalMs = 1000): void {
    const tick = (): void => {
      void this.pollInTurn().finally(() => {
        if (this.timer !== undefined) this.timer = setTimeout(tick, intervalMs).unref();
      });
    };
    this.timer = setTimeout(tick, intervalMs).unref();
  }

  /**
   * Pub/sub was away and its messages may be lost: reads the feed now rather than at the next tick. The feed holds
   * every change of the last hour, so the cache stays: dropping it made every node of a deployment miss on every key
   * at once after a Redis blip, a burst of storage reads as large as the set of keys in use.
   */
  resync(): Promise<void> {
    return this.pollInTurn();
  }

  private pollInTurn(): Promise<void> {
    this.polling = this.polling.then(() => this.pollLoggingOutages());
    return this.polling;
  }

  /** `poll`, never rejecting: a failure is logged once per outage (not once a second), and so is the recovery. */
  async pollLoggingOutages(): Promise<void> {
    try {
      await this.poll();
    } catch (error) {
      this.outage.failed({ err: error }, 'reading the change feed failed; retrying every poll until it works');
      return;
    }
    this.outage.recovered({}, 'reading the change feed works again');
  }

  stopPolling(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  }

  /**
   * One pass over the feed. Rows are stamped by the database's clock and re-read with an overlap, so that a row
   * committed after a later-stamped one (a longer transaction) is not passed over.
   */
  async poll(): Promise<void> {
    const now = this.now();
    let cursor = this.feedCursor ?? (await this.feed.now());
    const from = new Date(Date.parse(cursor) - FEED_OVERLAP_MS).toISOString();
    for (const change of await this.feed.since(from)) {
      // Past this node's own changes too: else, on a single node, every poll re-read the last hour of the feed.
      if (change.at > cursor) cursor = change.at;
      if (this.seen.has(change.id)) continue;
      this.seen.set(change.id, Date.parse(change.at));
      this.apply({ kind: change.kind, id: change.targetId });
    }
    this.feedCursor = cursor;
    const forgetBefore = Date.parse(cursor) - 2 * FEED_OVERLAP_MS;
    for (const [id, at] of this.seen) if (at < forgetBefore) this.seen.delete(id);
    if (now - this.lastPrune > 600_000) {
      this.lastPrune = now;
      await this.feed.pruneBefore(new Date(now - FEED_KEEP_MS).toISOString());
    }
  }
}
