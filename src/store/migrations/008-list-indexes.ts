// Frozen in time: takes Kysely<any> and imports nothing from the app.
// Indexes for lists and jobs that read a whole tenant's history at scale (2M request logs, 100k audit entries);
// none costs the request-log writer anything for a successful request:
// - refused requests by status: only rows with status >= 400 are in it (a partial index), so the request-log
//   writer pays nothing for the successful requests that are most rows; queries repeat `status >= 400` as written;
// - audit entries by action, key-usage counters by minute (the hourly retention), keys by status and expiry (the
//   key-expiry job, every minute).
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  // DDL takes no parameters: Kysely writes the 400 into the statement.
  await db.schema.createIndex('request_logs_refused_idx').ifNotExists().on('request_logs').columns(['tenant_id', 'status', 'at', 'id']).where('status', '>=', 400).execute();
  await db.schema.createIndex('audit_log_action_idx').ifNotExists().on('audit_log').columns(['tenant_id', 'action', 'at', 'id']).execute();
  await db.schema.createIndex('key_usage_minute_idx').ifNotExists().on('key_usage').column('minute').execute();
  await db.schema.createIndex('api_keys_expiry_idx').ifNotExists().on('api_keys').columns(['status', 'expires_at', 'id']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('api_keys_expiry_idx').ifExists().execute();
  await db.schema.dropIndex('key_usage_minute_idx').ifExists().execute();
  await db.schema.dropIndex('audit_log_action_idx').ifExists().execute();
  await db.schema.dropIndex('request_logs_refused_idx').ifExists().execute();
}
