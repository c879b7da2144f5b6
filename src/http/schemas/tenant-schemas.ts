// Tenants, members and audit entries on the wire.
import { Type } from 'typebox';
import { TENANT_STATUSES } from '../../core/api-key.js';
import { ROLES } from '../../store/member-store.js';
import { MAX_SEARCH_CHARACTERS } from '../../core/names.js';
import { Literals, NullableString, PageQuery, STRICT_QUERY, Timestamp } from './common.js';

export const TenantStatus = Literals(TENANT_STATUSES);
export const Role = Literals(ROLES);

export const TenantListQuery = Type.Object({
  search: Type.Optional(Type.String({ maxLength: MAX_SEARCH_CHARACTERS, description: 'tenants whose name contains it (A–Z in any case) or whose id it is, blanks around it ignored; empty: every tenant' })),
  ...PageQuery,
}, STRICT_QUERY);

export const Tenant = Type.Object(
  {
    id: Type.String(),
    name: Type.String(),
    plan: Type.String(),
    status: TenantStatus,
    key_prefix: NullableString,
    created_at: Timestamp,
    updated_at: Timestamp,
  },
  { $id: 'Tenant' },
);

const KeyPrefix = Type.Union([Type.String({ pattern: '^[a-z][a-z0-9]{1,11}$' }), Type.Null()]);

export const CreateTenantBody = Type.Object(
  { name: Type.String({ minLength: 1, maxLength: 200, description: 'not blank; no control characters (line breaks, tabs, terminal escapes, text-direction controls, invisible format characters); counted in code points' }), plan: Type.Optional(Type.String({ maxLength: 40 })), status: Type.Optional(TenantStatus), key_prefix: Type.Optional(KeyPrefix) },
  { additionalProperties: false },
);

export const UpdateTenantBody = Type.Object(
  { name: Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: 'not blank; no control characters (line breaks, tabs, terminal escapes, text-direction controls, invisible format characters); counted in code points' })), plan: Type.Optional(Type.String({ maxLength: 40 })), status: Type.Optional(TenantStatus), key_prefix: Type.Optional(KeyPrefix) },
  { additionalProperties: false, minProperties: 1 },
);

export const Member = Type.Object(
  {
    user_id: Type.String(),
    email: Type.String(),
    phone: NullableString,
    role: Role,
    created_at: Timestamp,
    updated_at: Timestamp,
    joined_at: Type.Unsafe<string | null>({
      type: ['string', 'null'],
      format: 'date-time',
      description: "When they first used this tenant (a dashboard request to it); null until then. The tenant's audit log gets their sign-ins, sign-outs and wrong codes only from then on.",
    }),
  },
  { $id: 'Member' },
);

const Phone = Type.String({ pattern: '^\\+[1-9][0-9]{6,14}$', description: 'E.164, e.g. +14155550100' });

export const AddMemberBody = Type.Object(
  { email: Type.String({ minLength: 3, maxLength: 254, pattern: '^\\s*[^\\s@]+@[^\\s@]+\\s*$' }), role: Role, phone: Type.Optional(Phone) },
  { additionalProperties: false },
);

export const UpdateMemberBody = Type.Object(
  { role: Type.Optional(Role), phone: Type.Optional(Type.Union([Phone, Type.Null()])) },
  { additionalProperties: false, minProperties: 1 },
);

export const AuditEntry = Type.Object(
  {
    id: Type.String(),
    at: Timestamp,
    actor: Type.Object({ type: Type.String(), id: NullableString }),
    action: Type.String(),
    target: Type.Object({ type: Type.String(), id: Type.String() }),
    ip: NullableString,
    details: Type.Record(Type.String(), Type.Unknown()),
  },
  { $id: 'AuditEntry' },
);
