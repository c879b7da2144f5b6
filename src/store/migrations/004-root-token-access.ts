// Frozen in time: takes Kysely<any> and imports nothing from the app.
// Root tokens get an access level: `full` (the management API) or `verify` (POST /v1/keys/verify only), so that a
// service checking keys with the SDK need not hold a token that can change every tenant's keys.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('root_tokens').addColumn('access', 'text', (c) => c.notNull().defaultTo('full')).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('root_tokens').dropColumn('access').execute();
}
