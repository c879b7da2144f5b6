// The API key on the wire and the bodies that create and change keys.
import { Type } from 'typebox';
import { KEY_STATUSES } from '../../core/api-key.js';
import { ENVIRONMENTS } from '../../core/environments.js';
import { MAX_GRACE_PERIOD_SECONDS } from '../../core/key-settings.js';
import { MAX_SEARCH_CHARACTERS } from '../../core/names.js';
import { Literals, NullableString, NullableTimestamp, STRICT_QUERY, Timestamp } from './common.js';

export const Environment = Literals(ENVIRONMENTS);
export const KeyStatus = Literals(KEY_STATUSES);

const Scopes = Type.Array(Type.String({ pattern: '^[a-z][a-z0-9_-]*:[a-z][a-z0-9_-]*$', maxLength: 100 }), { maxItems: 100 });
const Cidrs = Type.Array(Type.String({ minLength: 1, maxLength: 64 }), { maxItems: 100 });
const CustomerIds = Type.Array(Type.String({ minLength: 1, maxLength: 100 }), { maxItems: 100 });
const Meta = Type.Record(Type.String(), Type.Unknown(), { description: 'small JSON object (at most 4096 bytes)' });

export const RateLimit = Type.Object({
  requests_per_minute: Type.Integer({ minimum: 1 }),
  burst: Type.Integer({ minimum: 1 }),
});

export const ApiKey = Type.Object(
  {
    id: Type.String(),
    tenant_id: Type.String(),
    name: Type.String(),
    environment: Environment,
    scopes: Type.Array(Type.String()),
    rate_limit: RateLimit,
    allowed_ips: Type.Array(Type.String()),
    customer_ids: Type.Array(Type.String()),
    expires_at: NullableTimestamp,
    status: KeyStatus,
    created_at: Timestamp,
    created_by: NullableString,
    updated_at: Timestamp,
    revoked_at: NullableTimestamp,
    last_used_at: NullableTimestamp,
    last_used_ip: NullableString,
    start: Type.String({ description: 'prefix, environment tag and first 4 characters of the secret' }),
    end: Type.String({ description: 'last 4 characters of the secret' }),
    rotated_from: NullableString,
    rotated_to: NullableString,
    meta: Meta,
  },
  { $id: 'ApiKey' },
);

const settings = {
  name: Type.Optional(Type.String({ minLength: 1, maxLength: 100, description: 'not blank; no control characters (line breaks, tabs, terminal escapes, text-direction controls, invisible format characters); counted in code points' })),
  scopes: Type.Optional(Scopes),
  rate_limit: Type.Optional(
    Type.Object(
      { requests_per_minute: Type.Optional(Type.Integer({ minimum: 1 })), burst: Type.Optional(Type.Integer({ minimum: 1 })) },
      { additionalProperties: false },
    ),
  ),
  allowed_ips: Type.Optional(Cidrs),
  customer_ids: Type.Optional(CustomerIds),
  expires_at: Type.Optional(Type.Union([Type.String({ maxLength: 40 }), Type.Null()], { description: 'ISO 8601 time in the future, or null for never (if the plan allows)' })),
  meta: Type.Optional(Meta),
};

export const CreateKeyBody = Type.Object(
  { ...settings, name: Type.String({ minLength: 1, maxLength: 100, description: 'not blank; no control characters (line breaks, tabs, terminal escapes, text-direction controls, invisible format characters); counted in code points' }), environment: Environment },
  { additionalProperties: false },
);

export const UpdateKeyBody = Type.Object(settings, { additionalProperties: false, minProperties: 1 });

export const RotateKeyBody = Type.Object(
  { grace_period_seconds: Type.Optional(Type.Integer({ minimum: 0, maximum: MAX_GRACE_PERIOD_SECONDS })) },
  { additionalProperties: false },
);

export const IssuedKey = Type.Object({ key: Type.Ref('ApiKey'), secret: Type.String({ description: 'shown once; store it now' }) });
export const RotatedKey = Type.Object({ key: Type.Ref('ApiKey'), secret: Type.String(), previous: Type.Ref('ApiKey') });

export const KeyListQuery = Type.Object({
  environment: Type.Optional(Environment),
  status: Type.Optional(KeyStatus),
  search: Type.Optional(Type.String({ maxLength: MAX_SEARCH_CHARACTERS, description: 'keys whose name contains it (A–Z in any case) or whose id it is, blanks around it ignored; empty: every key' })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 50 })),
  cursor: Type.Optional(Type.String({ maxLength: 200 })),
}, STRICT_QUERY);
