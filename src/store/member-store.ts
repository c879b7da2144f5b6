// Users and their role in each tenant.
import type { Kysely } from 'kysely';
import { decodeCursor, type Page, type PageRequest, toPage } from './pagination.js';
import type { Database } from './schema.js';
import { inTenantLock } from './tenant-lock.js';

export const ROLES = ['owner', 'admin', 'developer', 'viewer'] as const;
export type Role = (typeof ROLES)[number];

export interface User {
  id: string;
  email: string;
  phone: string | null;
  createdAt: string;
}

export interface Member {
  tenantId: string;
  user: User;
  role: Role;
  createdAt: string;
  updatedAt: string;
  /** When the member first used the tenant; null until then (see `markJoined`). */
  joinedAt: string | null;
  /** The user belongs to other tenants too: what is theirs (the phone) is not this tenant's to show or set. */
  inOtherTenants: boolean;
}

export interface Membership {
  tenantId: string;
  role: Role;
  joinedAt: string | null;
}

export class MemberStore {
  constructor(private readonly db: Kysely<Database>) {}

  async findUserByEmail(email: string): Promise<User | undefined> {
    const row = await this.db.selectFrom('users').selectAll().where('email', '=', email).executeTakeFirst();
    return row ? { id: row.id, email: row.email, phone: row.phone, createdAt: row.created_at } : undefined;
  }

  async findUser(id: string): Promise<User | undefined> {
    const row = await this.db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? { id: row.id, email: row.email, phone: row.phone, createdAt: row.created_at } : undefined;
  }

  async insertUser(user: User): Promise<void> {
    await this.db.insertInto('users').values({ id: user.id, email: user.email, phone: user.phone, created_at: user.createdAt }).execute();
  }

  /** The user with `user.email`, inserted as `user` unless another request inserted that address first. */
  async findOrInsertUser(user: User): Promise<User> {
    await this.db.insertInto('users').values({ id: user.id, email: user.email, phone: user.phone, created_at: user.createdAt })
      .onConflict((oc) => oc.column('email').doNothing()).execute();
    return (await this.findUserByEmail(user.email)) ?? user;
  }

  /** `work` with this store in `inTenantLock`: membership and the last owner checked and acted on in turn. */
  withTenantLock<T>(tenantId: string, work: (members: MemberStore) => Promise<T>): Promise<T> {
    return inTenantLock(this.db, tenantId, (tx) => work(new MemberStore(tx)));
  }

  async updateUserPhone(id: string, phone: string | null): Promise<void> {
    await this.db.updateTable('users').set({ phone }).where('id', '=', id).execute();
  }

  async findMember(tenantId: string, userId: string): Promise<Member | undefined> {
    const row = await this.memberQuery().where('memberships.tenant_id', '=', tenantId).where('memberships.user_id', '=', userId).executeTakeFirst();
    return row ? toMember(row) : undefined;
  }

  async listMembers(tenantId: string): Promise<Member[]> {
    const rows = await this.memberQuery().where('memberships.tenant_id', '=', tenantId).orderBy('memberships.created_at').orderBy('users.email').execute();
    return rows.map(toMember);
  }

  /** Members in the order they joined (the first owner first), a page at a time; ties by user id, which the cursor holds. */
  async pageMembers(tenantId: string, page: PageRequest): Promise<Page<Member>> {
    let query = this.memberQuery().where('memberships.tenant_id', '=', tenantId);
    if (page.cursor) {
      const c = decodeCursor(page.cursor, 'usr');
      query = query.where((eb) => eb.or([
        eb('memberships.created_at', '>', c.at),
        eb.and([eb('memberships.created_at', '=', c.at), eb('memberships.user_id', '>', c.id)]),
      ]));
    }
    const rows = await query.orderBy('memberships.created_at').orderBy('memberships.user_id').limit(page.limit + 1).execute();
    return toPage(rows, page.limit, (r) => ({ at: r.created_at, id: r.user_id }), toMember);
  }

  async membershipsOf(userId: string): Promise<Membership[]> {
    const rows = await this.db.selectFrom('memberships').select(['tenant_id', 'role', 'joined_at']).where('user_id', '=', userId).orderBy('created_at').execute();
    return rows.map((r) => ({ tenantId: r.tenant_id, role: r.role as Role, joinedAt: r.joined_at }));
  }

  /** Stamps the member's first use of the tenant; true for the one call that did (concurrent first requests race). */
  async markJoined(tenantId: string, userId: string, at: string): Promise<boolean> {
    const result = await this.db.updateTable('memberships').set({ joined_at: at })
      .where('tenant_id', '=', tenantId).where('user_id', '=', userId).where('joined_at', 'is', null)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  async insertMembership(tenantId: string, userId: string, role: Role, at: string): Promise<void> {
    await this.db.insertInto('memberships').values({ tenant_id: tenantId, user_id: userId, role, created_at: at, updated_at: at, joined_at: null }).execute();
  }

  async updateRole(tenantId: string, userId: string, role: Role, at: string): Promise<void> {
    await this.db.updateTable('memberships').set({ role, updated_at: at }).where('tenant_id', '=', tenantId).where('user_id', '=', userId).execute();
  }

  async deleteMembership(tenantId: string, userId: string): Promise<void> {
    await this.db.deleteFrom('memberships').where('tenant_id', '=', tenantId).where('user_id', '=', userId).execute();
  }

  async countOwners(tenantId: string): Promise<number> {
    const row = await this.db
      .selectFrom('memberships')
      .select((eb) => eb.fn.countAll().as('n'))
      .where('tenant_id', '=', tenantId)
      .where('role', '=', 'owner')
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  private memberQuery() {
    return this.db
      .selectFrom('memberships')
      .innerJoin('users', 'users.id', 'memberships.user_id')
      .select([
        'memberships.tenant_id', 'memberships.role', 'memberships.created_at', 'memberships.updated_at', 'memberships.joined_at',
        'users.id as user_id', 'users.email', 'users.phone', 'users.created_at as user_created_at',
      ])
      .select((eb) =>
        eb.exists(
          eb.selectFrom('memberships as other').select('other.user_id')
            .whereRef('other.user_id', '=', 'memberships.user_id')
            .whereRef('other.tenant_id', '!=', 'memberships.tenant_id'),
        ).as('in_other_tenants'),
      );
  }
}

interface MemberRow {
  tenant_id: string;
  role: string;
  created_at: string;
  updated_at: string;
  joined_at: string | null;
  user_id: string;
  email: string;
  phone: string | null;
  user_created_at: string;
  /** 0 or 1 on SQLite, a boolean on PostgreSQL. */
  in_other_tenants: unknown;
}

function toMember(row: MemberRow): Member {
  return {
    tenantId: row.tenant_id,
    role: row.role as Role,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    joinedAt: row.joined_at,
    user: { id: row.user_id, email: row.email, phone: row.phone, createdAt: row.user_created_at },
    inOtherTenants: Boolean(row.in_other_tenants),
  };
}
