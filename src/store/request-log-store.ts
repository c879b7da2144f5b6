// Request logs of machine requests: written in batches by the usage writer, read newest first.
import { type Kysely, type Selectable, sql } from 'kysely';
import { decodeCursor, type Page, type PageRequest, toPage } from './pagination.js';
import type { Database, RequestLogsTable } from './schema.js';

export type RequestLogRow = Selectable<RequestLogsTable>;

export interface RequestLogFilter {
  keyId?: string | undefined;
  status?: number | undefined;
  /** Stored times, both inclusive. */
  from?: string | undefined;
  to?: string | undefined;
}

/** Rows per INSERT: 11 columns each stays far below SQLite's and PostgreSQL's bound-parameter limits. */
const INSERT_CHUNK = 500;

export class RequestLogStore {
  /** `db` may be a transaction, so that a batch of logs commits with its counters. */
  constructor(private readonly db: Kysely<Database>) {}

  /** Inserts the rows; a row whose id is already stored (a retried batch) is skipped. */
  async insert(rows: readonly RequestLogRow[]): Promise<void> {
    for (let i = 0; i < rows.length; i += INSERT_CHUNK) {
      await this.db
        .insertInto('request_logs')
        .values(rows.slice(i, i + INSERT_CHUNK))
        .onConflict((oc) => oc.column('id').doNothing())
        .execute();
    }
  }

  async list(tenantId: string, page: PageRequest, filter: RequestLogFilter = {}): Promise<Page<RequestLogRow>> {
    let query = this.db.selectFrom('request_logs').selectAll();
    if (filter.keyId === undefined) query = query.where('tenant_id', '=', tenantId);
    else {
      // One key's rows through the key index. SQLite keeps no statistics here and would take the tenant index, which
      // also gives page order, and read the tenant's whole history to find a rarely used key's rows (0.7-1.2 s over
      // 2M rows, the whole node waiting): `tenant_id || ''` still filters by tenant but is no index column to it.
      query = query.where('key_id', '=', filter.keyId).where(sql<string>`tenant_id || ''`, '=', tenantId);
    }
    if (filter.status !== undefined) query = query.where('status', '=', filter.status);
    // Written out, not bound: the planners take the partial index of refused requests (status >= 400) only for a
    // query that says so in these very words.
    if (filter.status !== undefined && filter.status >= 400) query = query.where(sql<boolean>`status >= 400`);
    if (filter.from !== undefined) query = query.where('at', '>=', filter.from);
    if (filter.to !== undefined) query = query.where('at', '<=', filter.to);
    if (page.cursor) {
      const c = decodeCursor(page.cursor, 'req');
      query = query.where((eb) => eb.or([eb('at', '<', c.at), eb.and([eb('at', '=', c.at), eb('id', '<', c.id)])]));
    }
    const rows = await query.orderBy('at', 'desc').orderBy('id', 'desc').limit(page.limit + 1).execute();
    return toPage(rows, page.limit, (r) => ({ at: r.at, id: r.id }), (r) => r);
  }

  /**
   * The first tenant id after `after` (all when `null`), in id order, that has request-log rows: one seek in
   * the (tenant_id, at, id) index, so that retention visits tenants without a scan or an index on `at`.
   */
  async nextTenant(after: string | null): Promise<string | undefined> {
    let query = this.db.selectFrom('request_logs').select('tenant_id');
    if (after !== null) query = query.where('tenant_id', '>', after);
    const row = await query.orderBy('tenant_id').limit(1).executeTakeFirst();
    return row?.tenant_id;
  }

  /**
   * Deletes at most `batchSize` of the tenant's rows older than `before` (a stored time) and says how many
   * went. Small batches keep each statement short, so request-log writes are not held up behind it.
   */
  async pruneBatch(tenantId: string, before: string, batchSize: number): Promise<number> {
    const result = await this.db
      .deleteFrom('request_logs')
      .where('id', 'in', (eb) => eb.selectFrom('request_logs').select('id').where('tenant_id', '=', tenantId).where('at', '<', before).limit(batchSize))
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}
