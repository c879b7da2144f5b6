// Operator root tokens made by `latchkey root-token create`, stored as digests.
import type { Kysely } from 'kysely';
import type { Database } from './schema.js';

export interface RootToken {
  id: string;
  name: string;
  createdAt: string;
}

export class RootTokenStore {
  constructor(private readonly db: Kysely<Database>) {}

  async insert(token: RootToken, digest: string): Promise<void> {
    await this.db.insertInto('root_tokens').values({ id: token.id, name: token.name, digest, created_at: token.createdAt, last_used_at: null, revoked_at: null }).execute();
  }

  async findByDigest(digest: string): Promise<RootToken | undefined> {
    const row = await this.db.selectFrom('root_tokens').select(['id', 'name', 'created_at']).where('digest', '=', digest).where('revoked_at', 'is', null).executeTakeFirst();
    return row ? { id: row.id, name: row.name, createdAt: row.created_at } : undefined;
  }
}
