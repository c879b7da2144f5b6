// The gateway: configured routes are authenticated like the M2M API and proxied to their upstream
// with the key removed and the caller's identity added. Bodies (multipart included) stream through unparsed.
import fastifyReplyFrom from '@fastify/reply-from';
import type { FastifyInstance, FastifyReply, FastifyRequest, FastifySchema } from 'fastify';
import { Type } from 'typebox';
import type { GatewayRouteConfig } from '../../config.js';
import { invalidRequest, LatchkeyError } from '../../core/errors.js';
import { holdsKey } from '../../core/key-format.js';
import { SESSION_COOKIE } from '../session-cookie.js';
import { sendError } from '../error-body.js';
import type { Accepted, MachineAuth } from '../machine-auth.js';
import { errorResponses } from '../schemas/common.js';

const IDENTITY_PREFIX = 'x-latchkey-';

declare module 'fastify' {
  interface FastifyRequest {
    gatewayIdentity: Accepted | null;
  }
}

/**
 * The upstream's answer headers, without a cookie of Latchkey's own: the gateway shares the dashboard's origin,
 * and an upstream must not set (or fix) a session there.
 */
function clientHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string | string[] | undefined> {
  const cookies = headers['set-cookie'];
  if (cookies === undefined) return headers;
  // Browsers trim the name (`latchkey_session =x`), and send a nameless cookie back as its value
  // (`=latchkey_session=x`): any cookie naming ours before its first `;` goes.
  const kept = (Array.isArray(cookies) ? cookies : [cookies]).filter((cookie) => !cookie.split(';', 1)[0]!.toLowerCase().includes(SESSION_COOKIE));
  const { 'set-cookie': _dropped, ...rest } = headers;
  return kept.length > 0 ? { ...rest, 'set-cookie': kept } : rest;
}

/**
 * A path the upstream could read as another one, as sent or percent-decoded once: a backslash (WHATWG URLs, and so
 * the proxy, take it for `/`), a NUL, or a `.` or `..` segment (with or without `;parameters`), also between
 * escaped slashes. The route matched the path as sent, and its key was checked for that path's tenant and scopes:
 * the upstream must get that very path. A path that does not decode was refused by the router already.
 */
function leavesItsRoute(url: string): boolean {
  // An absolute-form target (`GET http://host/...`) would be appended to the upstream's address.
  if (!url.startsWith('/')) return true;
  const query = url.indexOf('?');
  const path = query === -1 ? url : url.slice(0, query);
  let decoded: string;
  try {
    decoded = decodeURIComponent(path);
  } catch {
    return true;
  }
  if (decoded.includes('\\') || decoded.includes('\0')) return true;
  return decoded.split('/').some((segment) => /^\.\.?(?:;.*)?$/.test(segment));
}

/** HEAD, which Fastify answers on every GET route, needs what GET needs. */
function requiredScopes(route: GatewayRouteConfig, method: string): string[] {
  return Array.isArray(route.scopes) ? route.scopes : route.scopes[method === 'HEAD' ? 'GET' : method] ?? [];
}

/**
 * Hop-by-hop headers (RFC 9110 section 7.6.1) belong to the client's connection, not the upstream's; undici
 * also refuses some of them (`expect`, which curl sends with uploads over 1 MiB).
 */
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'proxy-authenticate', 'proxy-authorization', 'te', 'trailer', 'transfer-encoding', 'upgrade', 'expect']);

/** Headers through which proxies tell their upstream the client's address or the original URL. */
const CLIENT_CLAIMS = new Set(['forwarded', 'x-real-ip', 'true-client-ip', 'x-client-ip', 'x-cluster-client-ip', 'cf-connecting-ip', 'fastly-client-ip', 'x-original-url', 'x-rewrite-url']);

/**
 * What the client says of itself and of proxies before it is not passed on: the upstream gets `X-Forwarded-For`
 * with the address Latchkey saw (after LATCHKEY_TRUST_PROXY), nothing a client made up, and no other URL than the
 * one checked.
 */
function isForwarding(name: string): boolean {
  return CLIENT_CLAIMS.has(name) || name.startsWith('x-forwarded-');
}

/** An Authorization value that carries a key: as a bearer token, anywhere in it, or inside Basic credentials (`key:`). */
function carriesKey(value: string): boolean {
  if (/^bearer\s/i.test(value) || holdsKey(value)) return true;
  const basic = /^basic\s+(\S+)/i.exec(value);
  return basic !== null && holdsKey(Buffer.from(basic[1]!, 'base64').toString('latin1'));
}

/**
 * The upstream's headers: no key (in any header and scheme), no cookie (Latchkey's session is for Latchkey), no
 * hop-by-hop or forwarding header, no identity headers the client tried to set; ours added.
 */
function upstreamHeaders(headers: Record<string, string | string[] | undefined>, accepted: Accepted, clientIp: string): Record<string, string | string[] | undefined> {
  const out: Record<string, string | string[] | undefined> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (name === 'x-api-key' || name === 'cookie' || name.startsWith(IDENTITY_PREFIX) || HOP_BY_HOP.has(name) || isForwarding(name)) continue;
    if (name === 'authorization' && (typeof value !== 'string' || carriesKey(value))) continue;
    out[name] = value;
  }
  out['x-forwarded-for'] = clientIp;
  const { key } = accepted.entry;
  out['x-latchkey-tenant-id'] = key.tenantId;
  out['x-latchkey-key-id'] = key.id;
  out['x-latchkey-scopes'] = key.scopes.join(' ');
  out['x-latchkey-environment'] = key.environment;
  return out;
}

export async function registerGatewayRoutes(app: FastifyInstance, routes: readonly GatewayRouteConfig[], machine: MachineAuth): Promise<void> {
  if (routes.length === 0) return;
  await app.register(async (gateway) => {
    gateway.decorateRequest('gatewayIdentity', null);
    // Bodies are not parsed here: they stream to the upstream as sent.
    gateway.removeAllContentTypeParsers();
    gateway.addContentTypeParser('*', (_request, payload, done) => done(null, payload));
    // @fastify/reply-from sets undici's `tls.rejectUnauthorized` to false unless told otherwise; `connect` is
    // spread over it, so certificates are checked. An upstream on a private CA is trusted via NODE_EXTRA_CA_CERTS.
    await gateway.register(fastifyReplyFrom, { disableRequestLogging: true, undici: { connect: { rejectUnauthorized: true } } });

    for (const route of routes) {
      const upstream = route.upstream.replace(/\/$/, '');
      gateway.route({
        method: route.methods,
        url: route.path,
        schema: gatewaySchema(route),
        onRequest: async (request: FastifyRequest, reply: FastifyReply) => {
          if (leavesItsRoute(request.url)) throw invalidRequest([{ field: 'path', message: 'must not hold a backslash or a . or .. segment (raw or percent-encoded)' }]);
          const params = request.params as Record<string, string | undefined>;
          const accepted = await machine.check(request, reply, {
            tenantId: params.tenantId,
            customerId: params.customerId,
            scopes: requiredScopes(route, request.method),
          });
          if (accepted) request.gatewayIdentity = accepted;
          return reply.sent ? reply : undefined;
        },
        onResponse: async (request: FastifyRequest, reply: FastifyReply) => {
          if (request.gatewayIdentity) machine.record(request, reply, request.gatewayIdentity, reply.statusCode);
        },
        handler: (request, reply) => {
          const accepted = request.gatewayIdentity;
          if (!accepted) throw new LatchkeyError('unauthorized');
          return reply.from(upstream + request.url, {
            timeout: route.timeoutSeconds * 1000,
            rewriteRequestHeaders: (_req, headers) => upstreamHeaders(headers, accepted, request.ip),
            rewriteHeaders: clientHeaders,
            onError: (errorReply, { error }) => {
              request.log.warn({ err: error, upstream, requestId: request.id }, 'gateway upstream did not answer');
              sendError(request, errorReply as FastifyReply, new LatchkeyError('unavailable', 'The upstream service did not answer; retry shortly.'));
            },
          });
        },
      });
    }
  });
}

/** What the OpenAPI document says of a gateway route: its key, scopes and refusals; never its upstream's address. */
function gatewaySchema(route: GatewayRouteConfig): FastifySchema {
  const names = [...route.path.matchAll(/:(\w+)/g)].map((match) => match[1] as string);
  const scopes = route.methods.map((method) => `${method}: ${requiredScopes(route, method).join(', ') || 'none'}`).join('; ');
  return {
    tags: ['gateway'],
    summary: 'Gateway route: checked like the M2M API, then proxied to its upstream, which answers',
    description: `Scopes needed: ${scopes}. \`:tenantId\` must be the key's tenant and \`:customerId\` in its customer_ids (else 404). The upstream gets X-Latchkey-Tenant-Id, -Key-Id, -Scopes and -Environment; bodies stream through unread.`,
    security: [{ apiKey: [] }, { bearerKey: [] }] as Record<string, string[]>[],
    params: Type.Object({
      ...Object.fromEntries(names.map((name) => [name, Type.String()])),
      ...(route.path.endsWith('*') ? { '*': Type.String({ description: 'the rest of the path, passed on as it is' }) } : {}),
    }),
    response: errorResponses(400, 401, 403, 404, 429, 503),
  };
}
