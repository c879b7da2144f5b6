// Per-minute usage counters of keys (key_usage) and the last-use stamps of api_keys.
import { type Kysely, sql } from 'kysely';
import type { Database } from './schema.js';

export const USAGE_INTERVALS = ['minute', 'hour', 'day'] as const;
export type UsageInterval = (typeof USAGE_INTERVALS)[number];

/** One counter increment: `count` more requests of `keyId` answered `outcome` in `minute` (a stored time). */
export interface UsageCount {
  keyId: string;
  tenantId: string;
  minute: string;
  outcome: string;
  count: number;
}

export interface LastUseStamp {
  keyId: string;
  /** Stored time of the use. */
  at: string;
  ip: string | null;
}

export interface IntervalCount {
  /** Stored time at which the interval starts. */
  start: string;
  outcome: string;
  count: number;
}

/** Stored times are fixed-width ISO strings, so an interval is a prefix: `2026-01-01T12:34`, `2026-01-01T12`, `2026-01-01`. */
const PREFIX: Record<UsageInterval, { length: number; rest: string }> = {
  minute: { length: 16, rest: ':00.000Z' },
  hour: { length: 13, rest: ':00:00.000Z' },
  day: { length: 10, rest: 'T00:00:00.000Z' },
};

/** Rows per upsert: 5 columns each stays far below the bound-parameter limits. */
const UPSERT_CHUNK = 1000;

export class UsageStore {
  /** `db` may be a transaction, so that counters commit with their batch of request logs. */
  constructor(private readonly db: Kysely<Database>) {}

  /** Adds the counts to the stored counters. Each (key, minute, outcome) may appear only once per call. */
  async addCounts(counts: readonly UsageCount[]): Promise<void> {
    for (let i = 0; i < counts.length; i += UPSERT_CHUNK) {
      const rows = counts.slice(i, i + UPSERT_CHUNK).map((c) => ({ key_id: c.keyId, tenant_id: c.tenantId, minute: c.minute, outcome: c.outcome, count: c.count }));
      await this.db
        .insertInto('key_usage')
        .values(rows)
        .onConflict((oc) => oc.columns(['key_id', 'minute', 'outcome']).doUpdateSet((eb) => ({ count: eb('key_usage.count', '+', eb.ref('excluded.count')) })))
        .execute();
    }
  }

  /** Stamps each key's last use, unless a newer one is already stored (another node, an earlier batch). */
  async stampLastUse(uses: readonly LastUseStamp[]): Promise<void> {
    for (const use of uses) {
      await this.db
        .updateTable('api_keys')
        .set({ last_used_at: use.at, last_used_ip: use.ip })
        .where('id', '=', use.keyId)
        .where((eb) => eb.or([eb('last_used_at', 'is', null), eb('last_used_at', '<', use.at)]))
        .execute();
    }
  }

  /** A key's counts per interval and outcome for the minutes in [from, to) (stored times); intervals without requests are absent. */
  async countsByInterval(keyId: string, from: string, to: string, interval: UsageInterval): Promise<IntervalCount[]> {
    const { length, rest } = PREFIX[interval];
    // The same literal expression in SELECT and GROUP BY: PostgreSQL would not match two bound parameters.
    const bucket = sql<string>`substr(${sql.ref('minute')}, 1, ${sql.lit(length)})`;
    const rows = await this.db
      .selectFrom('key_usage')
      .select([bucket.as('bucket'), 'outcome', (eb) => eb.fn.sum<number | string>('count').as('count')])
      .where('key_id', '=', keyId)
      .where('minute', '>=', from)
      .where('minute', '<', to)
      .groupBy([bucket, 'outcome'])
      .execute();
    return rows.map((r) => ({ start: `${r.bucket}${rest}`, outcome: r.outcome, count: Number(r.count) }));
  }

  /**
   * Stores the id of the batch being written, in its transaction; `false` when it is stored already: the
   * batch went in before, though its writer did not hear so (a connection lost after COMMIT), and must be skipped.
   */
  async claimBatch(id: string, at: string): Promise<boolean> {
    const claimed = await this.db.insertInto('usage_batches').values({ id, at }).onConflict((oc) => oc.column('id').doNothing()).returning('id').executeTakeFirst();
    return claimed !== undefined;
  }

  /** Deletes at most `batchSize` ids of batches written before `before` (a stored time) and says how many went. */
  async pruneBatchIds(before: string, batchSize: number): Promise<number> {
    const result = await this.db
      .deleteFrom('usage_batches')
      .where('id', 'in', (eb) => eb.selectFrom('usage_batches').select('id').where('at', '<', before).limit(batchSize))
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  }

  /** Deletes at most `batchSize` counters of minutes before `before` (a stored time) and says how many went. */
  async pruneBatch(before: string, batchSize: number): Promise<number> {
    const result = await this.db
      .deleteFrom('key_usage')
      .where((eb) =>
        eb(
          eb.refTuple('key_id', 'minute', 'outcome'),
          'in',
          eb.selectFrom('key_usage').select(['key_id', 'minute', 'outcome']).where('minute', '<', before).limit(batchSize).$asTuple('key_id', 'minute', 'outcome'),
        ),
      )
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}
