// Tenants in storage.
import type { Kysely, Selectable } from 'kysely';
import type { Tenant, TenantStatus } from '../core/api-key.js';
import { decodeCursor, type Page, type PageRequest, toPage } from './pagination.js';
import type { Database, TenantsTable } from './schema.js';
import { inTenantLock } from './tenant-lock.js';
import { containsText } from './text-search.js';

export interface TenantFilter {
  ids?: readonly string[] | undefined;
  search?: string | undefined;
}

function toTenant(row: Selectable<TenantsTable>): Tenant {
  return {
    id: row.id,
    name: row.name,
    plan: row.plan,
    status: row.status as TenantStatus,
    keyPrefix: row.key_prefix,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export class TenantStore {
  constructor(private readonly db: Kysely<Database>) {}

  /** `work` with this store in `inTenantLock`; `tx` is for what must commit with the change (its audit entry, its feed row). */
  withLock<T>(tenantId: string, work: (tenants: TenantStore, tx: Kysely<Database>) => Promise<T>): Promise<T> {
    return inTenantLock(this.db, tenantId, (tx) => work(new TenantStore(tx), tx));
  }

  async insert(tenant: Tenant): Promise<void> {
    await this.db
      .insertInto('tenants')
      .values({
        id: tenant.id,
        name: tenant.name,
        plan: tenant.plan,
        status: tenant.status,
        key_prefix: tenant.keyPrefix,
        created_at: tenant.createdAt,
        updated_at: tenant.updatedAt,
      })
      .execute();
  }

  async find(id: string): Promise<Tenant | undefined> {
    const row = await this.db.selectFrom('tenants').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? toTenant(row) : undefined;
  }

  async findMany(ids: readonly string[]): Promise<Tenant[]> {
    if (ids.length === 0) return [];
    const rows = await this.db.selectFrom('tenants').selectAll().where('id', 'in', ids).execute();
    return rows.map(toTenant);
  }

  async update(id: string, changes: Partial<Pick<Tenant, 'name' | 'plan' | 'status' | 'keyPrefix'>>, updatedAt: string): Promise<void> {
    await this.db
      .updateTable('tenants')
      .set({
        ...(changes.name !== undefined ? { name: changes.name } : {}),
        ...(changes.plan !== undefined ? { plan: changes.plan } : {}),
        ...(changes.status !== undefined ? { status: changes.status } : {}),
        ...(changes.keyPrefix !== undefined ? { key_prefix: changes.keyPrefix } : {}),
        updated_at: updatedAt,
      })
      .where('id', '=', id)
      .execute();
  }

  /** Newest first; `ids` keeps those tenants only, `search` those whose name contains it (A–Z in any case) or whose id it is. */
  async list(page: PageRequest, filter: TenantFilter = {}): Promise<Page<Tenant>> {
    let query = this.db.selectFrom('tenants').selectAll();
    if (filter.ids) query = filter.ids.length > 0 ? query.where('id', 'in', filter.ids) : query.where('id', '=', '');
    const search = filter.search?.trim();
    if (search) query = query.where((eb) => eb.or([containsText(this.db, 'name', search), eb('id', '=', search)]));
    if (page.cursor) {
      const c = decodeCursor(page.cursor, 'ten');
      query = query.where((eb) => eb.or([eb('created_at', '<', c.at), eb.and([eb('created_at', '=', c.at), eb('id', '<', c.id)])]));
    }
    const rows = await query.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(page.limit + 1).execute();
    return toPage(rows, page.limit, (r) => ({ at: r.created_at, id: r.id }), toTenant);
  }
}
