// Management routes for a tenant's API keys (CONTRACT.md section 5).
import { Type } from 'typebox';
import type { ApiKey } from '../../core/api-key.js';
import type { KeySettingsInput } from '../../core/key-settings.js';
import { keyVersion } from '../../core/key-version.js';
import type { Clock } from '../../manage/context.js';
import type { KeyService } from '../../manage/key-service.js';
import { expectedVersions, parseIfMatch } from '../if-match.js';
import { presentKey } from '../presenters/key-presenter.js';
import { actionContext } from '../principal.js';
import { errorResponses, KeyParams, NoBody, pageOf, TenantParams } from '../schemas/common.js';
import { CreateKeyBody, IssuedKey, KeyListQuery, RotateKeyBody, RotatedKey, UpdateKeyBody } from '../schemas/key-schemas.js';
import type { TypedApp } from '../typed-app.js';

/** Answers with one key, and its version as the ETag that a later PATCH may give back in If-Match. */
interface ETagReply {
  header(name: 'etag', value: string): unknown;
}
function withVersion(reply: ETagReply, key: ApiKey): ApiKey {
  reply.header('etag', keyVersion(key));
  return key;
}

const IfMatchHeaders = Type.Object({
  'if-match': Type.Optional(Type.String({
    maxLength: 2000,
    description: 'The ETag of the key as last read: the change is made only if the key is still at that version, else `409 conflict`. `*` or no header: unconditional.',
  })),
});

interface SettingsBody {
  name?: string | undefined;
  scopes?: string[] | undefined;
  rate_limit?: { requests_per_minute?: number | undefined; burst?: number | undefined } | undefined;
  allowed_ips?: string[] | undefined;
  customer_ids?: string[] | undefined;
  expires_at?: string | null | undefined;
  meta?: Record<string, unknown> | undefined;
}

function toSettings(body: SettingsBody): KeySettingsInput {
  return {
    name: body.name,
    scopes: body.scopes,
    rateLimit: body.rate_limit && { requestsPerMinute: body.rate_limit.requests_per_minute, burst: body.rate_limit.burst },
    allowedIps: body.allowed_ips,
    customerIds: body.customer_ids,
    expiresAt: body.expires_at,
    meta: body.meta,
  };
}

const tags = ['keys'];
const KeyRef = Type.Ref('ApiKey');
/** One key, answered with its version in the ETag header (documented in the OpenAPI document's response headers). */
const VersionedKey = {
  ...KeyRef,
  headers: { ETag: Type.String({ description: "the key's version: send it back in If-Match to change the key only if nobody changed it since" }) },
};

export function registerKeyRoutes(app: TypedApp, keys: KeyService, clock: Clock): void {
  const now = () => clock.now().toISOString();
  // Any member may read: no 403 (a session's CSRF token guards changes only).
  const readErrors = errorResponses(400, 401, 404);
  const writeErrors = errorResponses(400, 401, 403, 404, 409, 413, 415);

  app.post('/v1/tenants/:tenantId/keys', {
    config: { access: { allow: 'manager', stepUp: true } },
    schema: { tags, operationId: 'createKey', summary: 'Create a key; the secret is returned once', params: TenantParams, body: CreateKeyBody, response: { 201: IssuedKey, ...writeErrors } },
  }, async (request, reply) => {
    const { name, environment } = request.body;
    const issued = await keys.create(request.params.tenantId, { ...toSettings(request.body), name, environment }, actionContext(request));
    return reply.code(201).send({ key: presentKey(issued.key, now()), secret: issued.secret });
  });

  app.get('/v1/tenants/:tenantId/keys', {
    config: { access: { allow: 'reader' } },
    schema: { tags, operationId: 'listKeys', summary: 'List keys, newest first', params: TenantParams, querystring: KeyListQuery, response: { 200: pageOf(KeyRef), ...readErrors } },
  }, async (request) => {
    const { environment, status, search, limit = 50, cursor } = request.query;
    const page = await keys.list(request.params.tenantId, { limit, cursor }, { environment, status, search });
    const at = now();
    return { data: page.data.map((k) => presentKey(k, at)), next_cursor: page.nextCursor };
  });

  app.get('/v1/tenants/:tenantId/keys/:keyId', {
    config: { access: { allow: 'reader' } },
    schema: { tags, operationId: 'getKey', summary: 'Get a key; its ETag is the version a PATCH may require with If-Match', params: KeyParams, response: { 200: VersionedKey, ...readErrors } },
  }, async (request, reply) => presentKey(withVersion(reply, await keys.get(request.params.tenantId, request.params.keyId)), now()));

  app.patch('/v1/tenants/:tenantId/keys/:keyId', {
    config: { access: { allow: 'manager' } },
    schema: {
      tags,
      operationId: 'updateKey',
      summary: 'Change a key (not its environment); with If-Match, only if nobody changed it since it was read',
      params: KeyParams,
      headers: IfMatchHeaders,
      body: UpdateKeyBody,
      response: { 200: VersionedKey, ...writeErrors },
    },
  }, async (request, reply) => {
    const versions = expectedVersions(parseIfMatch(request.headers['if-match']));
    const key = await keys.update(request.params.tenantId, request.params.keyId, toSettings(request.body), actionContext(request), versions);
    return presentKey(withVersion(reply, key), now());
  });

  for (const action of ['deactivate', 'activate', 'revoke'] as const) {
    app.post(`/v1/tenants/:tenantId/keys/:keyId/${action}`, {
      config: { access: { allow: 'manager' } },
      schema: { tags, operationId: `${action}Key`, summary: `${action[0]!.toUpperCase()}${action.slice(1)} a key`, params: KeyParams, body: NoBody, response: { 200: VersionedKey, ...writeErrors } },
    }, async (request, reply) => presentKey(withVersion(reply, await keys[action](request.params.tenantId, request.params.keyId, actionContext(request))), now()));
  }

  app.post('/v1/tenants/:tenantId/keys/:keyId/regenerate', {
    config: { access: { allow: 'manager', stepUp: true } },
    schema: { tags, operationId: 'regenerateKey', summary: 'New secret for the same key; the old secret stops at once', params: KeyParams, body: NoBody, response: { 200: IssuedKey, ...writeErrors } },
  }, async (request) => {
    const issued = await keys.regenerate(request.params.tenantId, request.params.keyId, actionContext(request));
    return { key: presentKey(issued.key, now()), secret: issued.secret };
  });

  app.post('/v1/tenants/:tenantId/keys/:keyId/rotate', {
    config: { access: { allow: 'manager', stepUp: true } },
    schema: { tags, operationId: 'rotateKey', summary: 'New key with the same settings; the old one works until revoked or its grace period ends', params: KeyParams, body: Type.Optional(RotateKeyBody), response: { 201: RotatedKey, ...writeErrors } },
  }, async (request, reply) => {
    const rotated = await keys.rotate(request.params.tenantId, request.params.keyId, request.body?.grace_period_seconds, actionContext(request));
    const at = now();
    return reply.code(201).send({ key: presentKey(rotated.key, at), secret: rotated.secret, previous: presentKey(rotated.previous, at) });
  });
}
