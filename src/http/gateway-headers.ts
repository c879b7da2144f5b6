// The headers the gateway passes each way: what the upstream may learn of the client, and what the client gets of
// the upstream's answer.
import { holdsKey } from '../core/key-shape.js';
import type { Accepted } from './machine-auth.js';
import { SESSION_COOKIE } from './session-cookie.js';

type Headers = Record<string, string | string[] | undefined>;

const IDENTITY_PREFIX = 'x-latchkey-';

/**
 * Hop-by-hop headers (RFC 9110 section 7.6.1) belong to one connection, not to the message: a proxy drops them,
 * and those the Connection header names, each way. undici also refuses some of them in a request (`expect`,
 * which curl sends with uploads over 1 MiB).
 */
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'proxy-authenticate', 'proxy-authorization', 'te', 'trailer', 'transfer-encoding', 'upgrade', 'expect']);

/** Headers through which proxies tell their upstream the client's address or the original URL. */
const CLIENT_CLAIMS = new Set(['forwarded', 'x-real-ip', 'true-client-ip', 'x-client-ip', 'x-cluster-client-ip', 'cf-connecting-ip', 'fastly-client-ip', 'x-original-url', 'x-rewrite-url']);

/**
 * Latchkey's own answer headers: the request id its log files the call under, and the key's rate limit. An
 * upstream's must not replace them (the client would read another request id and another budget); its request
 * id goes on as `X-Upstream-Request-Id`.
 */
const LATCHKEY_ANSWER_HEADERS = new Set(['x-ratelimit-limit', 'x-ratelimit-remaining', 'x-ratelimit-reset', 'x-ratelimit-window', 'ratelimit', 'ratelimit-policy']);

/** The hop-by-hop headers of a message, those its Connection header names included. */
function hopByHop(headers: Headers): Set<string> {
  const connection = headers.connection;
  const named = (Array.isArray(connection) ? connection.join(',') : connection ?? '').split(',').map((n) => n.trim().toLowerCase()).filter(Boolean);
  return named.length === 0 ? HOP_BY_HOP : new Set([...HOP_BY_HOP, ...named]);
}

/** What the client says of itself and of proxies before it: the upstream gets the address Latchkey saw instead. */
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
 * The upstream's request headers: no key (in any header and scheme), no cookie (Latchkey's session is for
 * Latchkey), no hop-by-hop or forwarding header, no identity headers the client tried to set; ours added, with
 * `X-Forwarded-For` the client address Latchkey saw (after LATCHKEY_TRUST_PROXY).
 */
export function upstreamHeaders(headers: Headers, accepted: Accepted, clientIp: string): Headers {
  const dropped = hopByHop(headers);
  const out: Headers = {};
  for (const [name, value] of Object.entries(headers)) {
    // CGI-style servers (WSGI, Rack) read `-` and `_` alike (both become HTTP_X_API_KEY): `X_Latchkey_Tenant_Id`
    // would join the identity header there, ahead of ours, and `X_Forwarded_For` forge the client address.
    const canonical = name.includes('_') ? name.replaceAll('_', '-') : name;
    if (canonical === 'x-api-key' || canonical === 'cookie' || canonical.startsWith(IDENTITY_PREFIX) || dropped.has(canonical) || isForwarding(canonical)) continue;
    if (canonical === 'authorization' && (typeof value !== 'string' || carriesKey(value))) continue;
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

/**
 * The client's answer headers, from the upstream's: no hop-by-hop header, none of Latchkey's own, and no cookie
 * of Latchkey's (the gateway shares the dashboard's origin, and an upstream must not set or fix a session there).
 */
export function clientHeaders(headers: Headers): Headers {
  const dropped = hopByHop(headers);
  const out: Headers = {};
  for (const [name, value] of Object.entries(headers)) {
    if (dropped.has(name) || LATCHKEY_ANSWER_HEADERS.has(name)) continue;
    if (name === 'x-request-id') out['x-upstream-request-id'] = value;
    else if (name === 'set-cookie') {
      const kept = withoutSessionCookie(value);
      if (kept.length > 0) out[name] = kept;
    } else out[name] = value;
  }
  return out;
}

/**
 * Browsers trim a cookie's name (`latchkey_session =x`), and send a nameless cookie back as its value
 * (`=latchkey_session=x`): any cookie naming ours before its first `;` goes.
 */
function withoutSessionCookie(cookies: string | string[] | undefined): string[] {
  return (Array.isArray(cookies) ? cookies : cookies === undefined ? [] : [cookies])
    .filter((cookie) => !cookie.split(';', 1)[0]!.toLowerCase().includes(SESSION_COOKIE));
}
