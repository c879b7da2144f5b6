// Frozen in time: takes Kysely<any> and imports nothing from the app.
// Notices that a key expires soon, one per key and expiry: a row is a node's claim to mail it, so that one notice goes
// out however many nodes run the job, and a key whose expiry is moved gets a notice for its new one.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('key_expiry_notices')
    .addColumn('key_id', 'text', (col) => col.notNull())
    .addColumn('expires_at', 'text', (col) => col.notNull())
    .addColumn('claimed_at', 'text', (col) => col.notNull())
    .addPrimaryKeyConstraint('key_expiry_notices_pk', ['key_id', 'expires_at'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('key_expiry_notices').execute();
}
