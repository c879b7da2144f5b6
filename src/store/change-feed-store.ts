// A table of recent changes to keys and tenants, read by every node to drop stale cache entries.
// It is what makes a revoke from the CLI (another process) reach running servers without Redis.
import type { Kysely } from 'kysely';
import type { Database } from './schema.js';

export type ChangeKind = 'key' | 'tenant';

export interface Change {
  id: string;
  at: string;
  kind: ChangeKind;
  targetId: string;
}

export class ChangeFeedStore {
  constructor(private readonly db: Kysely<Database>) {}

  async insert(change: Change): Promise<void> {
    await this.db.insertInto('change_feed').values({ id: change.id, at: change.at, kind: change.kind, target_id: change.targetId }).execute();
  }

  async since(at: string): Promise<Change[]> {
    const rows = await this.db.selectFrom('change_feed').selectAll().where('at', '>=', at).orderBy('at').orderBy('id').execute();
    return rows.map((r) => ({ id: r.id, at: r.at, kind: r.kind as ChangeKind, targetId: r.target_id }));
  }

  async pruneBefore(at: string): Promise<void> {
    await this.db.deleteFrom('change_feed').where('at', '<', at).execute();
  }
}
