// Keys that expire soon and the notices sent about them (table key_expiry_notices).
import type { Kysely } from 'kysely';
import type { ApiKey } from '../core/api-key.js';
import type { Database } from './schema.js';
import { toApiKey } from './key-store.js';

export interface ExpiringKey {
  key: ApiKey;
  tenantName: string;
}

export class ExpiryNoticeStore {
  constructor(private readonly db: Kysely<Database>) {}

  /**
   * Active keys of active tenants that expire after `now` and at or before `until` with no notice for that expiry yet,
   * soonest first. A key rotated away is left out: its successor is already there, and it is meant to expire.
   */
  async unnoticed(now: string, until: string, limit: number): Promise<ExpiringKey[]> {
    const rows = await this.db
      .selectFrom('api_keys')
      .innerJoin('tenants', 'tenants.id', 'api_keys.tenant_id')
      .selectAll('api_keys')
      .select('tenants.name as tenant_name')
      .where('api_keys.status', '=', 'active')
      .where('api_keys.rotated_to', 'is', null)
      .where('tenants.status', '=', 'active')
      .where('api_keys.expires_at', '>', now)
      .where('api_keys.expires_at', '<=', until)
      .where(({ not, exists, selectFrom }) =>
        not(exists(selectFrom('key_expiry_notices').select('key_expiry_notices.key_id').whereRef('key_expiry_notices.key_id', '=', 'api_keys.id').whereRef('key_expiry_notices.expires_at', '=', 'api_keys.expires_at'))))
      .orderBy('api_keys.expires_at')
      .orderBy('api_keys.id')
      .limit(limit)
      .execute();
    return rows.map(({ tenant_name: tenantName, ...key }) => ({ key: toApiKey(key), tenantName }));
  }

  /** Claims the notice of `keyId` for its expiry `expiresAt`: true for the one caller that gets it. */
  async claim(keyId: string, expiresAt: string, at: string): Promise<boolean> {
    const result = await this.db
      .insertInto('key_expiry_notices')
      .values({ key_id: keyId, expires_at: expiresAt, claimed_at: at })
      .onConflict((oc) => oc.columns(['key_id', 'expires_at']).doNothing())
      .executeTakeFirst();
    return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
  }

  /** Gives a claim back (its mail could not be sent), so that a later run sends it. */
  async release(keyId: string, expiresAt: string): Promise<void> {
    await this.db.deleteFrom('key_expiry_notices').where('key_id', '=', keyId).where('expires_at', '=', expiresAt).execute();
  }
}
