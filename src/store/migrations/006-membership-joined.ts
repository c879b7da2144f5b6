// Frozen in time: takes Kysely<any> and imports nothing from the app.
// When a member first used a tenant. A tenant's audit log gets a person's sign-ins, sign-outs and wrong codes only
// from then on: anyone who can add members can add any address, and must not so learn when and from where a person
// who works elsewhere signs in. Memberships made before this migration count as used since they were made, as
// every tenant of a person saw those entries until now.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('memberships').addColumn('joined_at', 'text').execute();
  await db.updateTable('memberships').set((eb) => ({ joined_at: eb.ref('created_at') })).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('memberships').dropColumn('joined_at').execute();
}
