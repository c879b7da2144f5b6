// The tables as Kysely sees them. Times are ISO strings (`toStored`), JSON columns are text.
import type { Generated } from 'kysely';

export interface TenantsTable {
  id: string;
  name: string;
  plan: string;
  status: string;
  key_prefix: string | null;
  created_at: string;
  updated_at: string;
}

export interface UsersTable {
  id: string;
  email: string;
  phone: string | null;
  created_at: string;
}

export interface MembershipsTable {
  tenant_id: string;
  user_id: string;
  role: string;
  created_at: string;
  updated_at: string;
  /** First use of the tenant by the member (a dashboard request to it); null until then. */
  joined_at: string | null;
}

export interface ApiKeysTable {
  id: string;
  tenant_id: string;
  name: string;
  environment: string;
  digest: string;
  hint_start: string;
  hint_end: string;
  scopes: string;
  rpm: number;
  burst: number;
  allowed_ips: string;
  customer_ids: string;
  expires_at: string | null;
  status: string;
  created_at: string;
  created_by: string | null;
  updated_at: string;
  revoked_at: string | null;
  last_used_at: string | null;
  last_used_ip: string | null;
  rotated_from: string | null;
  rotated_to: string | null;
  meta: string;
}

export interface RootTokensTable {
  id: string;
  name: string;
  digest: string;
  created_at: string;
  last_used_at: string | null;
  /** `full` or `verify` */
  access: string;
  revoked_at: string | null;
}

export interface AuditLogTable {
  id: string;
  tenant_id: string | null;
  at: string;
  actor_type: string;
  actor_id: string | null;
  action: string;
  target_type: string;
  target_id: string;
  ip: string | null;
  details: string;
}

export interface RequestLogsTable {
  id: string;
  at: string;
  tenant_id: string;
  key_id: string | null;
  method: string;
  path: string;
  status: number;
  code: string;
  latency_ms: number;
  ip: string | null;
  environment: string;
}

export interface KeyUsageTable {
  key_id: string;
  tenant_id: string;
  minute: string;
  outcome: string;
  count: number;
}

/** Ids of usage batches already written (PostgreSQL), so that a batch retried after a lost COMMIT answer is not added twice. */
export interface UsageBatchesTable {
  id: string;
  at: string;
}

export interface ChangeFeedTable {
  id: string;
  at: string;
  kind: string;
  target_id: string;
}

/** One notice that a key expires soon, per key and expiry (see notify/key-expiry-notices). */
export interface KeyExpiryNoticesTable {
  key_id: string;
  expires_at: string;
  claimed_at: string;
}

export interface Database {
  tenants: TenantsTable;
  users: UsersTable;
  memberships: MembershipsTable;
  api_keys: ApiKeysTable;
  root_tokens: RootTokensTable;
  audit_log: AuditLogTable;
  request_logs: RequestLogsTable;
  key_usage: KeyUsageTable;
  usage_batches: UsageBatchesTable;
  change_feed: ChangeFeedTable;
  key_expiry_notices: KeyExpiryNoticesTable;
}

export type { Generated };
