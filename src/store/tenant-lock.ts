// Changes to one tenant's keys or members that read before they write take turns.
import type { Kysely, Transaction } from 'kysely';
import type { Database } from './schema.js';

/**
 * Runs `work` in one transaction that first locks the tenant's row with a no-op update: a row lock on
 * PostgreSQL, the database's write lock on SQLite. What is checked inside (the plan's cap, the last owner,
 * a key not rotated yet) then holds until the commit, across requests and nodes. `work` must query through
 * `tx`: on SQLite any other handle would wait for the transaction's own connection.
 */
export function inTenantLock<T>(db: Kysely<Database>, tenantId: string, work: (tx: Transaction<Database>) => Promise<T>): Promise<T> {
  return db.transaction().execute(async (tx) => {
    await tx.updateTable('tenants').set((eb) => ({ id: eb.ref('id') })).where('id', '=', tenantId).execute();
    return work(tx);
  });
}
