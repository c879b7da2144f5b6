// Deletes request logs and usage counters older than the retention period, hourly, in small batches.
import { setImmediate as yieldToOthers } from 'node:timers/promises';
import type { Kysely } from 'kysely';
import { toStored } from '../core/time.js';
import type { Clock } from '../manage/context.js';
import { RequestLogStore } from '../store/request-log-store.js';
import type { Database } from '../store/schema.js';
import { UsageStore } from '../store/usage-store.js';

export interface PruneResult {
  requestLogs: number;
  usageCounters: number;
  batchIds: number;
}

const DAY_MS = 24 * 3600 * 1000;
/**
 * How long the id of a written usage batch is kept. A batch is retried within seconds of storage coming back,
 * so a day covers any outage but one of a single node that lasts longer (its retry may then count twice).
 */
const BATCH_ID_KEEP_MS = DAY_MS;

/**
 * Deletes request-log rows that arrived before `olderThan`, tenant by tenant, counters of minutes before it,
 * and ids of usage batches written before `batchIdsBefore`, `batchSize` rows per statement, so that the usage
 * writer's transactions interleave instead of waiting for one long delete.
 */
export async function pruneRequestLogs(db: Kysely<Database>, olderThan: Date, batchSize = 1000, batchIdsBefore = olderThan): Promise<PruneResult> {
  const before = toStored(olderThan);
  const logs = new RequestLogStore(db);
  const usage = new UsageStore(db);
  let requestLogs = 0;
  for (let tenant = await logs.nextTenant(null); tenant !== undefined; tenant = await logs.nextTenant(tenant)) {
    const tenantId = tenant;
    requestLogs += await inBatches(() => logs.pruneBatch(tenantId, before, batchSize), batchSize);
  }
  const usageCounters = await inBatches(() => usage.pruneBatch(before, batchSize), batchSize);
  const idsBefore = toStored(batchIdsBefore);
  const batchIds = await inBatches(() => usage.pruneBatchIds(idsBefore, batchSize), batchSize);
  return { requestLogs, usageCounters, batchIds };
}

/** Repeats a batch delete until one deletes less than a full batch; returns the total. */
async function inBatches(deleteBatch: () => Promise<number>, batchSize: number): Promise<number> {
  let total = 0;
  for (;;) {
    const deleted = await deleteBatch();
    total += deleted;
    if (deleted < batchSize) return total;
    await yieldToOthers();
  }
}

export interface RetentionOptions {
  /** `config.requestLogRetentionDays`. */
  retentionDays: number;
  clock: Clock;
  /** Default one hour. */
  intervalMs?: number;
  batchSize?: number;
}

export interface RetentionLogger {
  warn(obj: object, msg: string): void;
}

/**
 * The hourly retention run of a server. Every node may run it: the deletes of two nodes only overlap.
 * @example
 * const retention = new RetentionJob(db, logger, { retentionDays: config.requestLogRetentionDays, clock });
 * retention.start();   // first run now, then hourly
 * retention.stop();
 */
export class RetentionJob {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<PruneResult | undefined> | undefined;

  constructor(private readonly db: Kysely<Database>, private readonly logger: RetentionLogger, private readonly options: RetentionOptions) {}

  start(): void {
    if (this.timer !== undefined) return;
    this.timer = setInterval(() => void this.run(), this.options.intervalMs ?? 3600_000).unref();
    void this.run();
  }

  /** Stops the hourly runs; resolves when a run under way has finished. */
  async stop(): Promise<void> {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }

  /** One run now (skipped while one is under way); failures are logged and retried at the next run. */
  run(): Promise<PruneResult | undefined> {
    this.running ??= this.prune().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  private async prune(): Promise<PruneResult | undefined> {
    const now = this.options.clock.now().getTime();
    const olderThan = new Date(now - this.options.retentionDays * DAY_MS);
    try {
      return await pruneRequestLogs(this.db, olderThan, this.options.batchSize, new Date(now - BATCH_ID_KEEP_MS));
    } catch (error) {
      this.logger.warn({ err: error }, 'deleting old request logs failed; retrying at the next hourly run');
      return undefined;
    }
  }
}
