// A table of recent changes to keys and tenants, read by every node to drop stale cache entries.
// It is what makes a revoke from the CLI (another process) reach running servers without Redis.
import { type Kysely, type RawBuilder, sql } from 'kysely';
import type { Dialect } from './database.js';
import type { Database } from './schema.js';

export type ChangeKind = 'key' | 'tenant';

export interface Change {
  id: string;
  at: string;
  kind: ChangeKind;
  targetId: string;
}

export class ChangeFeedStore {
  constructor(private readonly db: Kysely<Database>, private readonly dialect: Dialect) {}

  /** This store writing through `db`: a change's transaction, so that its row commits with it. */
  in(db: Kysely<Database>): ChangeFeedStore {
    return new ChangeFeedStore(db, this.dialect);
  }

  async insert(change: Change): Promise<void> {
    await this.db.insertInto('change_feed').values({ id: change.id, at: change.at, kind: change.kind, target_id: change.targetId }).execute();
  }

  /**
   * Adds a change stamped with the database's clock, and returns its time: every node's rows then share one clock,
   * and a node whose own clock runs behind cannot write rows that the others' reads (from their newest row, less
   * a few seconds) would pass over.
   */
  async append(change: Omit<Change, 'at'>): Promise<string> {
    const row = await this.db
      .insertInto('change_feed')
      .values({ id: change.id, at: this.databaseTime(), kind: change.kind, target_id: change.targetId })
      .returning('at')
      .executeTakeFirstOrThrow();
    return row.at;
  }

  /** The database's time, as a stored time (UTC ISO with milliseconds): where a node starts reading the feed. */
  async now(): Promise<string> {
    const { rows } = await sql<{ now: string }>`select ${this.databaseTime()} as now`.execute(this.db);
    return rows[0]!.now;
  }

  private databaseTime(): RawBuilder<string> {
    return this.dialect === 'sqlite'
      ? sql<string>`strftime('%Y-%m-%dT%H:%M:%fZ', 'now')`
      : sql<string>`to_char(clock_timestamp() at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
  }

  async since(at: string): Promise<Change[]> {
    const rows = await this.db.selectFrom('change_feed').selectAll().where('at', '>=', at).orderBy('at').orderBy('id').execute();
    return rows.map((r) => ({ id: r.id, at: r.at, kind: r.kind as ChangeKind, targetId: r.target_id }));
  }

  async pruneBefore(at: string): Promise<void> {
    await this.db.deleteFrom('change_feed').where('at', '<', at).execute();
  }
}
