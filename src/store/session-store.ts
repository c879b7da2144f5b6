// Dashboard sessions, kept by the SHA-256 digest of their cookie value only.
import type { Kysely } from 'kysely';
import type { Role } from './member-store.js';
import type { Database } from './schema.js';

export interface SessionsTable {
  id: string;
  token_digest: string;
  user_id: string;
  created_at: string;
  last_seen_at: string;
  expires_at: string;
  step_up_until: string | null;
  ip: string | null;
}

export interface StoredSession {
  id: string;
  userId: string;
  createdAt: string;
  lastSeenAt: string;
  /** The absolute end, however active the session is. */
  expiresAt: string;
  stepUpUntil: string | null;
  /** The client address at sign-in. */
  ip: string | null;
  user: { id: string; email: string; phone: string | null };
}

export interface TenantMembership {
  tenantId: string;
  tenantName: string;
  role: Role;
  /** The person has used the tenant (see MemberStore.markJoined). */
  joined: boolean;
}

export class SessionStore {
  private readonly db: Kysely<Database & { sessions: SessionsTable }>;

  constructor(db: Kysely<Database>) {
    this.db = db.withTables<{ sessions: SessionsTable }>();
  }

  async insert(session: { id: string; tokenDigest: string; userId: string; createdAt: string; expiresAt: string; ip: string | null }): Promise<void> {
    await this.db
      .insertInto('sessions')
      .values({
        id: session.id,
        token_digest: session.tokenDigest,
        user_id: session.userId,
        created_at: session.createdAt,
        last_seen_at: session.createdAt,
        expires_at: session.expiresAt,
        step_up_until: null,
        ip: session.ip,
      })
      .execute();
  }

  /** The session with its user, read fresh on every request. */
  async findByDigest(tokenDigest: string): Promise<StoredSession | undefined> {
    const row = await this.db
      .selectFrom('sessions')
      .innerJoin('users', 'users.id', 'sessions.user_id')
      .select([
        'sessions.id', 'sessions.user_id', 'sessions.created_at', 'sessions.last_seen_at', 'sessions.expires_at',
        'sessions.step_up_until', 'sessions.ip', 'users.email', 'users.phone',
      ])
      .where('sessions.token_digest', '=', tokenDigest)
      .executeTakeFirst();
    if (!row) return undefined;
    return {
      id: row.id,
      userId: row.user_id,
      createdAt: row.created_at,
      lastSeenAt: row.last_seen_at,
      expiresAt: row.expires_at,
      stepUpUntil: row.step_up_until,
      ip: row.ip,
      user: { id: row.user_id, email: row.email, phone: row.phone },
    };
  }

  async touch(id: string, at: string): Promise<void> {
    await this.db.updateTable('sessions').set({ last_seen_at: at }).where('id', '=', id).execute();
  }

  async setStepUp(id: string, until: string): Promise<void> {
    await this.db.updateTable('sessions').set({ step_up_until: until }).where('id', '=', id).execute();
  }

  async delete(id: string): Promise<void> {
    await this.db.deleteFrom('sessions').where('id', '=', id).execute();
  }

  /** Drops sessions past their absolute end or idle since before `idleBefore`. */
  async deleteExpired(now: string, idleBefore: string): Promise<void> {
    await this.db.deleteFrom('sessions').where((eb) => eb.or([eb('expires_at', '<=', now), eb('last_seen_at', '<=', idleBefore)])).execute();
  }

  /** The user's tenants with their names, for `GET /v1/auth/me`. */
  async membershipsWithNames(userId: string): Promise<TenantMembership[]> {
    const rows = await this.db
      .selectFrom('memberships')
      .innerJoin('tenants', 'tenants.id', 'memberships.tenant_id')
      .select(['memberships.tenant_id', 'memberships.role', 'memberships.joined_at', 'tenants.name'])
      .where('memberships.user_id', '=', userId)
      .orderBy('memberships.created_at')
      .execute();
    return rows.map((r) => ({ tenantId: r.tenant_id, tenantName: r.name, role: r.role as Role, joined: r.joined_at !== null }));
  }
}
