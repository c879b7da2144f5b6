// The management API's wire shapes as the dashboard reads them (snake_case, ISO times with a trailing Z).

export type Environment = 'production' | 'staging' | 'development';
export type KeyStatus = 'active' | 'inactive' | 'expired' | 'revoked';
export type Role = 'owner' | 'admin' | 'developer' | 'viewer';
export type TenantStatus = 'active' | 'pending' | 'suspended';
export type OtpChannel = 'email' | 'whatsapp';

export const ENVIRONMENTS: readonly Environment[] = ['production', 'staging', 'development'];
export const KEY_STATUSES: readonly KeyStatus[] = ['active', 'inactive', 'expired', 'revoked'];
export const ROLES: readonly Role[] = ['owner', 'admin', 'developer', 'viewer'];

export interface Page<T> {
  data: T[];
  next_cursor: string | null;
}

export interface Tenant {
  id: string;
  name: string;
  plan: string;
  status: TenantStatus;
  key_prefix: string | null;
  created_at: string;
  updated_at: string;
}

export interface RateLimit {
  requests_per_minute: number;
  burst: number;
}

export interface ApiKey {
  id: string;
  tenant_id: string;
  name: string;
  environment: Environment;
  scopes: string[];
  rate_limit: RateLimit;
  allowed_ips: string[];
  customer_ids: string[];
  expires_at: string | null;
  status: KeyStatus;
  created_at: string;
  created_by: string | null;
  updated_at: string;
  revoked_at: string | null;
  last_used_at: string | null;
  last_used_ip: string | null;
  start: string;
  end: string;
  rotated_from: string | null;
  rotated_to: string | null;
  meta: Record<string, unknown>;
}

/** Settings shared by create and update; `environment` only on create. */
export interface KeySettings {
  name?: string;
  scopes?: string[];
  rate_limit?: { requests_per_minute?: number; burst?: number };
  allowed_ips?: string[];
  customer_ids?: string[];
  expires_at?: string | null;
  meta?: Record<string, unknown>;
}

export interface CreateKeyBody extends KeySettings {
  name: string;
  environment: Environment;
}

export interface IssuedKey {
  key: ApiKey;
  secret: string;
}

export interface RotatedKey extends IssuedKey {
  previous: ApiKey;
}

export interface Member {
  user_id: string;
  email: string;
  phone: string | null;
  role: Role;
  created_at: string;
  updated_at: string;
}

export interface AuditEntry {
  id: string;
  at: string;
  actor: { type: string; id: string | null };
  action: string;
  target: { type: string; id: string | null };
  ip: string | null;
  details: Record<string, unknown>;
}

export interface RequestLog {
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

export type UsageInterval = 'minute' | 'hour' | 'day';

export interface UsageBucket {
  start: string;
  counts: Record<string, number>;
}

export interface Usage {
  key_id: string;
  from: string;
  to: string;
  interval: UsageInterval;
  data: UsageBucket[];
}

export interface Plan {
  name: string;
  m2m_api: boolean;
  default_rpm: number | null;
  max_rpm: number | null;
  max_live_keys: number;
  never_expiring_keys: boolean;
}

export interface Deployment {
  environment: Environment;
  scopes: string[];
  plans: Plan[];
  public_url: string;
  otp_channels: OtpChannel[];
  /** Which machine requests the request log holds (LATCHKEY_REQUEST_LOG). */
  request_log: 'all' | 'errors' | 'off';
}

export interface Membership {
  tenant_id: string;
  tenant_name?: string;
  role: Role;
}

export interface Me {
  user: { id: string; email: string; phone?: string | null };
  operator: boolean;
  memberships: Membership[];
  csrf_token: string;
  step_up_until?: string | null;
}

/** What the sign-in page may say before anyone signs in. */
export interface SignInOptions {
  code_in_server_log: boolean;
  /** `admin@localhost` on a fresh install, else null. */
  first_run_operator: string | null;
}

export interface OtpSent {
  status: string;
  retry_after_seconds?: number;
  /** No mail server configured: the code is in the server's terminal. */
  code_in_server_log?: boolean;
}
