// Where the usage writer's batches go: one transaction per batch (request-log rows, counters, last uses).
import type { Kysely } from 'kysely';
import { RequestLogStore } from '../store/request-log-store.js';
import type { Database } from '../store/schema.js';
import { UsageStore } from '../store/usage-store.js';
import type { UsageBatch } from './usage-queue.js';

export interface UsageBatchStore {
  /** Stores the batch whole or not at all; rejects when storage fails (the writer then keeps the batch). */
  write(batch: UsageBatch): Promise<void>;
  close(): Promise<void>;
}

/** Writes through the given Kysely connection, in this thread (PostgreSQL: the pool does the waiting). */
export class KyselyUsageBatchStore implements UsageBatchStore {
  constructor(private readonly db: Kysely<Database>) {}

  async write(batch: UsageBatch): Promise<void> {
    await this.db.transaction().execute(async (tx) => {
      await new RequestLogStore(tx).insert(batch.logs);
      const usage = new UsageStore(tx);
      await usage.addCounts(batch.counts);
      await usage.stampLastUse(batch.lastUses);
    });
  }

  async close(): Promise<void> {}
}
