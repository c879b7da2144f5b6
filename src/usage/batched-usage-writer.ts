// Writes request logs, last-use stamps and per-minute usage counters in batches, off the request path.
import { setImmediate as nextTurn, setTimeout as sleep } from 'node:timers/promises';
import type { RequestLogMode } from '../core/request-log-mode.js';
import { OutageLog, type OutageLogger } from '../outage-log.js';
import type { UsageBatchStore } from './usage-batch-store.js';
import { UsageQueue, type UsageTally } from './usage-queue.js';
import type { RequestRecord, UsageRecorder } from './usage-recorder.js';

/** Raw records sorted per turn of the event loop during a flush (about a millisecond's work). */
const ABSORB_PER_TURN = 1000;
/**
 * While storage fails, the flush timer backs off, doubling up to this: each failed try re-sorts the whole queue
 * (counters included) on this thread, so a long outage must not be retried every second.
 */
const MAX_RETRY_INTERVAL_MS = 30_000;
/** Between tries to write what is left while closing. */
const CLOSE_RETRY_MS = 500;

export interface UsageWriterOptions {
  /** Time between flushes; last-used must show a use within 5 s. Default 1000. */
  flushIntervalMs?: number | undefined;
  /** Request-log rows per transaction. Default 500. */
  maxBatch?: number | undefined;
  /** Requests kept while storage is unreachable; past it the oldest request-log rows are dropped. Default 100 000. */
  maxQueue?: number | undefined;
  /** Called after each timed flush (the writer thread reports its queue with it). */
  onFlushed?: (() => void) | undefined;
  /** Which requests become request-log rows (LATCHKEY_REQUEST_LOG); every request is counted. Default `all`. */
  logMode?: RequestLogMode | undefined;
}

/** What a server's usage writer does, wherever it writes: the recorder port, plus flushing and its queue. */
export interface UsageWriter extends UsageRecorder {
  /** Requests waiting to be written. */
  readonly queueDepth: number;
  /** Usage counters and last uses waiting to be written (they grow while storage is down, whatever the log mode). */
  readonly countsWaiting: number;
  /** Request-log rows dropped since start because storage stayed unreachable. */
  readonly dropped: number;
  /** Starts the timed flushes. */
  start(): void;
  /** Writes everything recorded before the call. Never rejects. */
  flush(): Promise<void>;
  /**
   * Stops the timer and writes what is left, retrying for up to `retryForMs` while storage fails. True when all was
   * written; false when request logs or usage counts were left unwritten (they are lost with the process).
   */
  close(retryForMs?: number): Promise<boolean>;
}

/** Where the writer's outage lines go (on the writer thread, back to the server's logger). */
export type UsageWriterLogger = OutageLogger;

/**
 * The usage recorder of a server: `record` only queues; a timer flushes every second. Each flush writes in
 * one transaction per batch (request-log rows, counters added by upsert, last uses newest-wins), so a batch
 * is stored whole or not at all. When storage fails, the queue keeps the batch, one line is logged for the
 * outage, and the next tick retries it, under its id, before any other; nothing throws. The store skips a
 * batch whose id it holds: one whose COMMIT went in though the answer was lost is not counted twice.
 * @example
 * const writer = new BatchedUsageWriter(new KyselyUsageBatchStore(db), logger);
 * writer.start();
 * writer.record(entry);
 * await writer.close(); // final flush
 */
export class BatchedUsageWriter implements UsageWriter {
  private readonly queue: UsageQueue;
  private readonly flushIntervalMs: number;
  private readonly maxBatch: number;
  private timer: NodeJS.Timeout | undefined;
  private tail: Promise<void> = Promise.resolve();
  private readonly outage: OutageLog;
  private readonly onFlushed: (() => void) | undefined;
  private retryMs: number;

  constructor(private readonly store: UsageBatchStore, private readonly logger: UsageWriterLogger, options: UsageWriterOptions = {}) {
    this.flushIntervalMs = options.flushIntervalMs ?? 1000;
    this.retryMs = this.flushIntervalMs;
    this.maxBatch = options.maxBatch ?? 500;
    this.onFlushed = options.onFlushed;
    this.queue = new UsageQueue(options.maxQueue ?? 100_000, options.logMode);
    this.outage = new OutageLog(logger);
  }

  record(entry: RequestRecord): void {
    this.queue.push(entry);
  }

  /** Adds counters and last uses of requests sorted elsewhere, written with the next flush. */
  addTally(tally: UsageTally): void {
    this.queue.addTally(tally);
  }

  /** Requests waiting to be written. */
  get queueDepth(): number {
    return this.queue.depth;
  }

  get countsWaiting(): number {
    return this.queue.countsWaiting;
  }

  /** Request-log rows dropped since start because storage stayed unreachable. */
  get dropped(): number {
    return this.queue.dropped;
  }

  /** How long the timer waits before the next flush: the flush interval, or longer while storage fails. */
  get nextFlushInMs(): number {
    return this.outage.failing ? this.retryMs : this.flushIntervalMs;
  }

  start(): void {
    if (this.timer !== undefined) return;
    const tick = (): void => {
      void this.flush().then(() => {
        this.onFlushed?.();
        if (this.timer !== undefined) this.timer = setTimeout(tick, this.nextFlushInMs).unref();
      });
    };
    this.timer = setTimeout(tick, this.flushIntervalMs).unref();
  }

  /** Writes everything queued when it is called (after any flush already running). Never rejects. */
  flush(): Promise<void> {
    const run = this.tail.then(() => this.writeQueued()).catch((error: unknown) => {
      // Storage errors are handled inside; this is a bug, and must not stop later flushes.
      this.logger.warn({ err: error }, 'flushing request logs and usage failed unexpectedly');
    });
    this.tail = run;
    return run;
  }

  /**
   * Stops the timer and writes what is left. While storage fails, tries again every half second for up to
   * `retryForMs` (a database restarting under a stopping server comes back within seconds); what is still unwritten
   * then is lost, and logged as such.
   */
  async close(retryForMs = 0): Promise<boolean> {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    const giveUpAt = Date.now() + retryForMs;
    await this.flush();
    while (!this.queue.isEmpty && Date.now() + CLOSE_RETRY_MS <= giveUpAt) {
      await sleep(CLOSE_RETRY_MS);
      await this.flush();
    }
    const written = this.queue.isEmpty;
    if (!written) {
      this.logger.warn({ requests: this.queue.depth, counts: this.queue.countsWaiting }, 'storage unreachable at shutdown; queued request logs and usage counts were not written');
    }
    await this.store.close();
    return written;
  }

  private async writeQueued(): Promise<void> {
    // The records there now, not those arriving meanwhile: a flush under steady load still ends.
    for (let left = this.queue.unsorted; left > 0; left -= ABSORB_PER_TURN) {
      this.queue.absorb(Math.min(left, ABSORB_PER_TURN));
      if (left > ABSORB_PER_TURN) await nextTurn();
    }
    for (let batch = this.queue.take(this.maxBatch); batch !== undefined; batch = this.queue.take(this.maxBatch)) {
      try {
        await this.store.write(batch);
      } catch (error) {
        this.queue.keepForRetry(batch);
        this.retryMs = this.outage.failing ? Math.min(this.retryMs * 2, Math.max(MAX_RETRY_INTERVAL_MS, this.flushIntervalMs)) : this.flushIntervalMs;
        this.outage.failed({ err: error, queued: this.queue.depth }, 'writing request logs and usage failed; keeping them queued and retrying');
        return;
      }
      this.outage.recovered({ dropped: this.queue.dropped }, 'request logs and usage are written again');
      // A backlog is written a batch per turn of the event loop, so requests are served in between.
      await nextTurn();
    }
  }
}
