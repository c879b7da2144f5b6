// Typed calls of the management API (api-shapes), one method per endpoint the dashboard uses.
import { type HttpClient, type WithETag, withQuery } from './http-client.js';
import type {
  ApiKey, AuditEntry, CreateKeyBody, Deployment, Environment, IssuedKey, KeyAtVersion, KeySettings, KeyStatus, Me, Member, OtpChannel,
  OtpSent, Page, RequestLog, Role, RotatedKey, SignInOptions, Tenant, Usage, UsageInterval,
} from './types.js';

export interface PageQuery {
  limit?: number;
  cursor?: string | null;
}

export interface KeyListQuery extends PageQuery {
  environment?: Environment | '';
  status?: KeyStatus | '';
  /** Names containing it (A–Z in any case), or a key id. */
  search?: string;
}

export interface TenantListQuery extends PageQuery {
  /** Names containing it (A–Z in any case), or a tenant id. */
  search?: string;
}

/** What a list's export is in: CSV for a spreadsheet, NDJSON (one JSON object per line) for a program. */
export type ExportFormat = 'csv' | 'ndjson';

export interface RequestLogQuery extends PageQuery {
  key_id?: string;
  status?: number | '';
  from?: string;
  to?: string;
}

const enc = encodeURIComponent;

/** An answer holding one key: its ETag is the key's version. */
async function keyAtVersion(answer: Promise<WithETag<ApiKey>>): Promise<KeyAtVersion> {
  const { body, etag } = await answer;
  return { key: body, version: etag };
}

export function createLatchkeyApi(http: HttpClient) {
  const tenantPath = (tenantId: string) => `/v1/tenants/${enc(tenantId)}`;
  const keyPath = (tenantId: string, keyId: string) => `${tenantPath(tenantId)}/keys/${enc(keyId)}`;

  return {
    http,
    auth: {
      me: () => http.get<Me>('/v1/auth/me'),
      signInOptions: () => http.get<SignInOptions>('/v1/auth/sign-in-options'),
      requestOtp: (email: string) => http.send<OtpSent>('POST', '/v1/auth/otp', { email }),
      verifyOtp: (email: string, code: string) => http.send<{ user: { id: string; email: string } }>('POST', '/v1/auth/otp/verify', { email, code }),
      requestStepUp: (channel: OtpChannel) => http.send<OtpSent>('POST', '/v1/auth/step-up', { channel }),
      verifyStepUp: (code: string) => http.send<{ step_up_until: string }>('POST', '/v1/auth/step-up/verify', { code }),
      logout: () => http.send<void>('POST', '/v1/auth/logout'),
    },
    deployment: () => http.get<Deployment>('/v1/deployment'),
    tenants: {
      list: (query: TenantListQuery = {}) => http.get<Page<Tenant>>('/v1/tenants', { ...query }),
      get: (tenantId: string) => http.get<Tenant>(tenantPath(tenantId)),
    },
    keys: {
      list: (tenantId: string, query: KeyListQuery = {}) => http.get<Page<ApiKey>>(`${tenantPath(tenantId)}/keys`, { ...query }),
      get: (tenantId: string, keyId: string) => keyAtVersion(http.getWithETag<ApiKey>(keyPath(tenantId, keyId))),
      create: (tenantId: string, body: CreateKeyBody) => http.send<IssuedKey>('POST', `${tenantPath(tenantId)}/keys`, body),
      /** With `version` (a KeyAtVersion's), made only if the key is still at it: else `409 conflict`, and nothing changes. */
      update: (tenantId: string, keyId: string, body: KeySettings, version: string | null = null) =>
        keyAtVersion(http.sendWithETag<ApiKey>('PATCH', keyPath(tenantId, keyId), body, version)),
      deactivate: (tenantId: string, keyId: string) => keyAtVersion(http.sendWithETag<ApiKey>('POST', `${keyPath(tenantId, keyId)}/deactivate`)),
      activate: (tenantId: string, keyId: string) => keyAtVersion(http.sendWithETag<ApiKey>('POST', `${keyPath(tenantId, keyId)}/activate`)),
      revoke: (tenantId: string, keyId: string) => keyAtVersion(http.sendWithETag<ApiKey>('POST', `${keyPath(tenantId, keyId)}/revoke`)),
      regenerate: (tenantId: string, keyId: string) => http.send<IssuedKey>('POST', `${keyPath(tenantId, keyId)}/regenerate`),
      rotate: (tenantId: string, keyId: string, gracePeriodSeconds?: number) =>
        http.send<RotatedKey>('POST', `${keyPath(tenantId, keyId)}/rotate`, gracePeriodSeconds === undefined ? {} : { grace_period_seconds: gracePeriodSeconds }),
      usage: (tenantId: string, keyId: string, query: { from?: string; to?: string; interval?: UsageInterval }) =>
        http.get<Usage>(`${keyPath(tenantId, keyId)}/usage`, { ...query }),
    },
    members: {
      list: (tenantId: string, query: PageQuery = {}) => http.get<Page<Member>>(`${tenantPath(tenantId)}/members`, { ...query }),
      add: (tenantId: string, body: { email: string; role: Role; phone?: string }) => http.send<Member>('POST', `${tenantPath(tenantId)}/members`, body),
      update: (tenantId: string, userId: string, body: { role?: Role; phone?: string | null }) =>
        http.send<Member>('PATCH', `${tenantPath(tenantId)}/members/${enc(userId)}`, body),
      remove: (tenantId: string, userId: string) => http.send<void>('DELETE', `${tenantPath(tenantId)}/members/${enc(userId)}`),
    },
    requestLogs: (tenantId: string, query: RequestLogQuery = {}) => http.get<Page<RequestLog>>(`${tenantPath(tenantId)}/request-logs`, { ...query }),
    auditLog: (tenantId: string, query: PageQuery & { action?: string } = {}) => http.get<Page<AuditEntry>>(`${tenantPath(tenantId)}/audit-log`, { ...query }),
    /** Addresses, not calls: the browser downloads the file itself (the session cookie goes with a same-site GET). */
    exports: {
      requestLogs: (tenantId: string, query: Omit<RequestLogQuery, keyof PageQuery>, format: ExportFormat) =>
        withQuery(`${tenantPath(tenantId)}/request-logs/export`, { ...query, format }),
      auditLog: (tenantId: string, query: { action?: string }, format: ExportFormat) => withQuery(`${tenantPath(tenantId)}/audit-log/export`, { ...query, format }),
    },
  };
}

export type LatchkeyApi = ReturnType<typeof createLatchkeyApi>;
