// Where the usage writer's batches go: one transaction per batch (request-log rows, counters, last uses).
import type { Kysely } from 'kysely';
import { toStored } from '../core/time.js';
import { RequestLogStore } from '../store/request-log-store.js';
import type { Database } from '../store/schema.js';
import { UsageStore } from '../store/usage-store.js';
import type { UsageBatch } from './usage-queue.js';

export interface UsageBatchStore {
  /** Stores the batch whole or not at all; rejects when storage fails (the writer then keeps the batch). */
  write(batch: UsageBatch): Promise<void>;
  close(): Promise<void>;
}

/**
 * Writes through the given Kysely connection, in this thread (PostgreSQL: the pool does the waiting), and
 * records each batch's id with it, so that a retry of a batch already written is skipped.
 */
export class KyselyUsageBatchStore implements UsageBatchStore {
  constructor(private readonly db: Kysely<Database>) {}

  async write(batch: UsageBatch): Promise<void> {
    await this.db.transaction().execute(async (tx) => {
      const usage = new UsageStore(tx);
      // Taken first, in the same transaction: a batch already in (its COMMIT's answer was lost) adds nothing.
      if (!(await usage.claimBatch(batch.id, toStored(new Date())))) return;
      await new RequestLogStore(tx).insert(batch.logs);
      await usage.addCounts(batch.counts);
      await usage.stampLastUse(batch.lastUses);
    });
  }

  async close(): Promise<void> {}
}
