// Operator root tokens made by `latchkey root-token create`, stored as digests.
import type { Kysely } from 'kysely';
import type { Database } from './schema.js';

/** `full`: the whole management API; `verify`: POST /v1/keys/verify only (for services using the SDK). */
export type RootTokenAccess = 'full' | 'verify';

export interface RootToken {
  id: string;
  name: string;
  createdAt: string;
  access: RootTokenAccess;
}

/** A token as `root-token list` shows it: never its digest. */
export interface RootTokenRecord extends RootToken {
  lastUsedAt: string | null;
  revokedAt: string | null;
}

export class RootTokenStore {
  constructor(private readonly db: Kysely<Database>) {}

  async insert(token: RootToken, digest: string): Promise<void> {
    await this.db.insertInto('root_tokens').values({ id: token.id, name: token.name, digest, created_at: token.createdAt, access: token.access, last_used_at: null, revoked_at: null }).execute();
  }

  async findByDigest(digest: string): Promise<RootToken | undefined> {
    const row = await this.db.selectFrom('root_tokens').select(['id', 'name', 'created_at', 'access']).where('digest', '=', digest).where('revoked_at', 'is', null).executeTakeFirst();
    return row ? { id: row.id, name: row.name, createdAt: row.created_at, access: accessOf(row.access) } : undefined;
  }

  /** Every stored token, revoked ones included, oldest first. */
  async list(): Promise<RootTokenRecord[]> {
    const rows = await this.db.selectFrom('root_tokens').select(['id', 'name', 'created_at', 'access', 'last_used_at', 'revoked_at']).orderBy('created_at').orderBy('id').execute();
    return rows.map((row) => ({ id: row.id, name: row.name, createdAt: row.created_at, access: accessOf(row.access), lastUsedAt: row.last_used_at, revokedAt: row.revoked_at }));
  }

  async find(id: string): Promise<RootTokenRecord | undefined> {
    return (await this.list()).find((token) => token.id === id);
  }

  /** Revokes the token if it is live; true when this call did. */
  async revoke(id: string, at: string): Promise<boolean> {
    const result = await this.db.updateTable('root_tokens').set({ revoked_at: at }).where('id', '=', id).where('revoked_at', 'is', null).executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  async stampUse(id: string, at: string): Promise<void> {
    await this.db.updateTable('root_tokens').set({ last_used_at: at }).where('id', '=', id).execute();
  }
}

/** Anything but `verify` is `full`: the column's default, and what every token was before levels existed. */
function accessOf(value: string): RootTokenAccess {
  return value === 'verify' ? 'verify' : 'full';
}
