// The management API's wire shapes as the dashboard reads them (snake_case, ISO times with a trailing Z).
// They are the server's own response schemas (TypeBox), imported as types only: nothing of the server
// reaches the bundle, and a change to what the API answers is a type error here (`npm run typecheck`).
import type { Static } from 'typebox';
import type { CodeSent, Me as MeSchema, OtpChannel as OtpChannelSchema, SignInOptions as SignInOptionsSchema } from '../../../src/http/schemas/auth-schemas.js';
import type { Deployment as DeploymentSchema, Plan as PlanSchema } from '../../../src/http/schemas/deployment-schemas.js';
import type {
  ApiKey as ApiKeySchema,
  CreateKeyBody as CreateKeyBodySchema,
  Environment as EnvironmentSchema,
  KeyStatus as KeyStatusSchema,
  RateLimit as RateLimitSchema,
  UpdateKeyBody,
} from '../../../src/http/schemas/key-schemas.js';
import type {
  AuditEntry as AuditEntrySchema,
  Member as MemberSchema,
  Role as RoleSchema,
  Tenant as TenantSchema,
  TenantStatus as TenantStatusSchema,
} from '../../../src/http/schemas/tenant-schemas.js';
import type { RequestLog as RequestLogSchema, Usage as UsageSchema, UsageInterval as UsageIntervalSchema } from '../../../src/http/schemas/usage-schemas.js';

export type Environment = Static<typeof EnvironmentSchema>;
export type KeyStatus = Static<typeof KeyStatusSchema>;
export type Role = Static<typeof RoleSchema>;
export type TenantStatus = Static<typeof TenantStatusSchema>;
export type OtpChannel = Static<typeof OtpChannelSchema>;

// In the order the dashboard lists them; each list must name every value (checked below).
export const ENVIRONMENTS = ['production', 'staging', 'development'] as const satisfies readonly Environment[];
export const KEY_STATUSES = ['active', 'inactive', 'expired', 'revoked'] as const satisfies readonly KeyStatus[];
export const ROLES = ['owner', 'admin', 'developer', 'viewer'] as const satisfies readonly Role[];

/** `true` only when `List` names every member of `Union`: a value the API gains must reach the lists above. */
type NamesAll<List extends readonly string[], Union extends string> = [Union] extends [List[number]] ? true : never;
const listsAreComplete: [NamesAll<typeof ENVIRONMENTS, Environment>, NamesAll<typeof KEY_STATUSES, KeyStatus>, NamesAll<typeof ROLES, Role>] = [true, true, true];
void listsAreComplete;

export interface Page<T> {
  data: T[];
  next_cursor: string | null;
}

export type Tenant = Static<typeof TenantSchema>;
export type RateLimit = Static<typeof RateLimitSchema>;
export type ApiKey = Static<typeof ApiKeySchema>;

/**
 * A key with its version: the `ETag` of the answer that held it, which a change may require with `If-Match` so that
 * it is made only on the key as it was read. Null when the answer had none (regenerate and rotate send none).
 */
export interface KeyAtVersion {
  key: ApiKey;
  version: string | null;
}

/** Settings shared by create and update; `environment` only on create. */
export type KeySettings = Static<typeof UpdateKeyBody>;
export type CreateKeyBody = Static<typeof CreateKeyBodySchema>;

// The server's schemas name the key by reference (`$ref: ApiKey`), which has no static type of its own.
export interface IssuedKey {
  key: ApiKey;
  secret: string;
}

export interface RotatedKey extends IssuedKey {
  previous: ApiKey;
}

export type Member = Static<typeof MemberSchema>;
export type AuditEntry = Static<typeof AuditEntrySchema>;
export type RequestLog = Static<typeof RequestLogSchema>;
export type UsageInterval = Static<typeof UsageIntervalSchema>;
export type Usage = Static<typeof UsageSchema>;
export type UsageBucket = Usage['data'][number];
export type Plan = Static<typeof PlanSchema>;
export type Deployment = Static<typeof DeploymentSchema>;
export type Me = Static<typeof MeSchema>;
export type Membership = Me['memberships'][number];
/** What the sign-in page may say before anyone signs in. */
export type SignInOptions = Static<typeof SignInOptionsSchema>;
/** A code sent (sign-in or step-up). */
export type OtpSent = Static<typeof CodeSent>;
