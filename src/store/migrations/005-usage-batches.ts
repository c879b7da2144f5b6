// Frozen in time: takes Kysely<any> and imports nothing from the app.
// The ids of usage batches already written. A batch whose COMMIT went out but whose answer was lost (the
// connection dropped) is retried; its id, stored in the same transaction, then says it is already in, so its
// counters are not added twice. Kept for a day (the retention job); indexed by time for that.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('usage_batches')
    .addColumn('id', 'text', (c) => c.primaryKey().notNull())
    .addColumn('at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('usage_batches_at_idx').on('usage_batches').column('at').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('usage_batches').execute();
}
