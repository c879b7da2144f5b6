// API keys in storage: the digest and display hint only, never a secret.
import type { Kysely, Selectable, Updateable } from 'kysely';
import type { ApiKey, KeyStatus, Tenant } from '../core/api-key.js';
import type { Environment } from '../core/environments.js';
import { decodeCursor, type Page, type PageRequest, toPage } from './pagination.js';
import type { ApiKeysTable, Database } from './schema.js';
import { inTenantLock } from './tenant-lock.js';
import { containsText } from './text-search.js';

export function toApiKey(row: Selectable<ApiKeysTable>): ApiKey {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    name: row.name,
    environment: row.environment as Environment,
    digest: row.digest,
    start: row.hint_start,
    end: row.hint_end,
    scopes: JSON.parse(row.scopes) as string[],
    rateLimit: { requestsPerMinute: row.rpm, burst: row.burst },
    allowedIps: JSON.parse(row.allowed_ips) as string[],
    customerIds: JSON.parse(row.customer_ids) as string[],
    expiresAt: row.expires_at,
    status: row.status as KeyStatus,
    createdAt: row.created_at,
    createdBy: row.created_by,
    updatedAt: row.updated_at,
    revokedAt: row.revoked_at,
    lastUsedAt: row.last_used_at,
    lastUsedIp: row.last_used_ip,
    rotatedFrom: row.rotated_from,
    rotatedTo: row.rotated_to,
    meta: JSON.parse(row.meta) as Record<string, unknown>,
  };
}

function toRow(key: ApiKey): Selectable<ApiKeysTable> {
  return {
    id: key.id,
    tenant_id: key.tenantId,
    name: key.name,
    environment: key.environment,
    digest: key.digest,
    hint_start: key.start,
    hint_end: key.end,
    scopes: JSON.stringify(key.scopes),
    rpm: key.rateLimit.requestsPerMinute,
    burst: key.rateLimit.burst,
    allowed_ips: JSON.stringify(key.allowedIps),
    customer_ids: JSON.stringify(key.customerIds),
    expires_at: key.expiresAt,
    status: key.status,
    created_at: key.createdAt,
    created_by: key.createdBy,
    updated_at: key.updatedAt,
    revoked_at: key.revokedAt,
    last_used_at: key.lastUsedAt,
    last_used_ip: key.lastUsedIp,
    rotated_from: key.rotatedFrom,
    rotated_to: key.rotatedTo,
    meta: JSON.stringify(key.meta),
  };
}

export type KeyChanges = Partial<Omit<ApiKey, 'id' | 'tenantId' | 'createdAt' | 'createdBy'>>;

function toChanges(changes: KeyChanges): Updateable<ApiKeysTable> {
  const out: Updateable<ApiKeysTable> = {};
  if (changes.name !== undefined) out.name = changes.name;
  if (changes.environment !== undefined) out.environment = changes.environment;
  if (changes.digest !== undefined) out.digest = changes.digest;
  if (changes.start !== undefined) out.hint_start = changes.start;
  if (changes.end !== undefined) out.hint_end = changes.end;
  if (changes.scopes !== undefined) out.scopes = JSON.stringify(changes.scopes);
  if (changes.rateLimit !== undefined) {
    out.rpm = changes.rateLimit.requestsPerMinute;
    out.burst = changes.rateLimit.burst;
  }
  if (changes.allowedIps !== undefined) out.allowed_ips = JSON.stringify(changes.allowedIps);
  if (changes.customerIds !== undefined) out.customer_ids = JSON.stringify(changes.customerIds);
  if (changes.expiresAt !== undefined) out.expires_at = changes.expiresAt;
  if (changes.status !== undefined) out.status = changes.status;
  if (changes.updatedAt !== undefined) out.updated_at = changes.updatedAt;
  if (changes.revokedAt !== undefined) out.revoked_at = changes.revokedAt;
  if (changes.lastUsedAt !== undefined) out.last_used_at = changes.lastUsedAt;
  if (changes.lastUsedIp !== undefined) out.last_used_ip = changes.lastUsedIp;
  if (changes.rotatedFrom !== undefined) out.rotated_from = changes.rotatedFrom;
  if (changes.rotatedTo !== undefined) out.rotated_to = changes.rotatedTo;
  if (changes.meta !== undefined) out.meta = JSON.stringify(changes.meta);
  return out;
}

export interface KeyFilter {
  environment?: Environment | undefined;
  status?: KeyStatus | undefined;
  /** Keys whose name contains it (A–Z in any case), or whose id it is; blanks around it are ignored; empty: every key. */
  search?: string | undefined;
}

export interface LastUse {
  keyId: string;
  at: string;
  ip: string | null;
}

export class KeyStore {
  private byDigest: ReturnType<KeyStore['compileFindByDigest']> | undefined;

  constructor(private readonly db: Kysely<Database>) {}

  async insert(key: ApiKey): Promise<void> {
    await this.db.insertInto('api_keys').values(toRow(key)).execute();
  }

  async find(tenantId: string, id: string): Promise<ApiKey | undefined> {
    const row = await this.db.selectFrom('api_keys').selectAll().where('id', '=', id).where('tenant_id', '=', tenantId).executeTakeFirst();
    return row ? toApiKey(row) : undefined;
  }

  async findById(id: string): Promise<ApiKey | undefined> {
    const row = await this.db.selectFrom('api_keys').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? toApiKey(row) : undefined;
  }

  /** The key with this digest and its tenant, in one query: the verification path's cache miss. */
  async findByDigest(digest: string): Promise<{ key: ApiKey; tenant: Tenant } | undefined> {
    // Built and compiled once: building this join with Kysely took about half of a miss's time.
    this.byDigest ??= this.compileFindByDigest();
    const { rows } = await this.db.executeQuery(this.byDigest.withDigest(digest));
    const row = rows[0];
    if (!row) return undefined;
    const tenant: Tenant = {
      id: row.tenant_id, name: row.t_name, plan: row.t_plan, status: row.t_status as Tenant['status'],
      keyPrefix: row.t_key_prefix, createdAt: row.t_created_at, updatedAt: row.t_updated_at,
    };
    return { key: toApiKey(row), tenant };
  }

  private compileFindByDigest() {
    const compiled = this.db
      .selectFrom('api_keys')
      .innerJoin('tenants', 'tenants.id', 'api_keys.tenant_id')
      .selectAll('api_keys')
      .select([
        'tenants.name as t_name', 'tenants.plan as t_plan', 'tenants.status as t_status', 'tenants.key_prefix as t_key_prefix',
        'tenants.created_at as t_created_at', 'tenants.updated_at as t_updated_at',
      ])
      .where('api_keys.digest', '=', '')
      .compile();
    // The digest must be the query's only parameter for the swap below to be right.
    if (compiled.parameters.length !== 1) throw new Error(`findByDigest expects one query parameter, got ${compiled.parameters.length}`);
    return { withDigest: (digest: string): typeof compiled => ({ ...compiled, parameters: [digest] }) };
  }

  async update(id: string, changes: KeyChanges): Promise<void> {
    const set = toChanges(changes);
    // `update ... set` with no column is a syntax error on both dialects.
    if (Object.keys(set).length === 0) return;
    await this.db.updateTable('api_keys').set(set).where('id', '=', id).execute();
  }

  /**
   * `update`, only while the stored status is one of `statuses`: false when it was not, because another
   * request changed the key since it was read (a revoke that an activate must not undo).
   */
  async updateIfStatus(id: string, statuses: readonly KeyStatus[], changes: KeyChanges): Promise<boolean> {
    const result = await this.db.updateTable('api_keys').set(toChanges(changes)).where('id', '=', id).where('status', 'in', statuses).executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  /**
   * `work` with this store in `inTenantLock`: the plan's cap or a rotation checked and acted on in turn. `tx` is
   * for what must commit with the change (its audit entry, its change-feed row).
   */
  withTenantLock<T>(tenantId: string, work: (keys: KeyStore, tx: Kysely<Database>) => Promise<T>): Promise<T> {
    return inTenantLock(this.db, tenantId, (tx) => work(new KeyStore(tx), tx));
  }

  async list(tenantId: string, page: PageRequest, filter: KeyFilter, now: string): Promise<Page<ApiKey>> {
    let query = this.db.selectFrom('api_keys').selectAll().where('tenant_id', '=', tenantId);
    if (filter.environment) query = query.where('environment', '=', filter.environment);
    const search = filter.search?.trim();
    if (search) query = query.where((eb) => eb.or([containsText(this.db, 'name', search), eb('id', '=', search)]));
    if (filter.status === 'revoked') query = query.where('status', '=', 'revoked');
    if (filter.status === 'expired') {
      query = query.where('status', '!=', 'revoked').where((eb) => eb.or([eb('status', '=', 'expired'), eb('expires_at', '<=', now)]));
    }
    if (filter.status === 'active' || filter.status === 'inactive') {
      query = query.where('status', '=', filter.status).where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', now)]));
    }
    if (page.cursor) {
      const c = decodeCursor(page.cursor, 'key');
      query = query.where((eb) => eb.or([eb('created_at', '<', c.at), eb.and([eb('created_at', '=', c.at), eb('id', '<', c.id)])]));
    }
    const rows = await query.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(page.limit + 1).execute();
    return toPage(rows, page.limit, (r) => ({ at: r.created_at, id: r.id }), toApiKey);
  }

  /** Keys that count against the plan's cap: neither revoked nor expired. */
  async countLive(tenantId: string, now: string): Promise<number> {
    return this.countUnexpired(tenantId, ['active', 'inactive'], now);
  }

  async countActive(tenantId: string, now: string): Promise<number> {
    return this.countUnexpired(tenantId, ['active'], now);
  }

  private async countUnexpired(tenantId: string, statuses: string[], now: string): Promise<number> {
    const row = await this.db
      .selectFrom('api_keys')
      .select((eb) => eb.fn.countAll().as('n'))
      .where('tenant_id', '=', tenantId)
      .where('status', 'in', statuses)
      .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', now)]))
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  /** Keys past `expires_at` whose stored status does not say so yet. */
  async findNewlyExpired(now: string, limit: number): Promise<ApiKey[]> {
    const rows = await this.db
      .selectFrom('api_keys')
      .selectAll()
      .where('status', 'in', ['active', 'inactive'])
      .where('expires_at', '<=', now)
      // The oldest first, so that a backlog larger than `limit` drains in order.
      .orderBy('expires_at')
      .orderBy('id')
      .limit(limit)
      .execute();
    return rows.map(toApiKey);
  }

  /** Records the latest use of several keys in one transaction (the batched last-used writer). */
  async recordLastUse(uses: readonly LastUse[]): Promise<void> {
    if (uses.length === 0) return;
    await this.db.transaction().execute(async (tx) => {
      for (const use of uses) {
        await tx
          .updateTable('api_keys')
          .set({ last_used_at: use.at, last_used_ip: use.ip })
          .where('id', '=', use.keyId)
          .where((eb) => eb.or([eb('last_used_at', 'is', null), eb('last_used_at', '<', use.at)]))
          .execute();
      }
    });
  }
}
