// The headers the OpenAPI document gives each response: those the server adds whatever the handler does.
// X-Request-Id goes on every answer (plugins/request-id), WWW-Authenticate on every 401 and Retry-After on every 429
// and 503 (error-body, OTP throttles, /readyz), and the rate-limit headers on every answer of a machine route once its
// key is known good (machine-auth: 200, and the 403, 404 and 429 refusals after it; on a gateway route also its 415
// and 503, and the upstream's answer). Standard headers (Cache-Control, say) are left out.
import type { FastifyInstance, RouteOptions } from 'fastify';
import { Type, type TSchema } from 'typebox';

const REQUEST_ID = Type.String({ description: 'this answer\'s request id (req_…), as the request log and the server log name it' });
const RETRY_AFTER = Type.Integer({ minimum: 1, description: 'whole seconds to wait before trying again' });
const WWW_AUTHENTICATE = Type.String({ description: 'the credential the route takes and, for one that was sent but failed, why (RFC 6750), e.g. Bearer realm="latchkey", error="invalid_token"' });

/** CONTRACT section 4's four headers and the IETF pair (draft-ietf-httpapi-ratelimit-headers), as rate-limit-headers.ts writes them. */
const RATE_LIMIT_HEADERS: Record<string, TSchema> = {
  'X-RateLimit-Limit': Type.Integer({ description: "the key's bucket size (its burst)" }),
  'X-RateLimit-Remaining': Type.Integer({ description: 'requests left in the bucket now' }),
  'X-RateLimit-Reset': Type.Integer({ description: 'Unix seconds when the bucket is full again' }),
  'X-RateLimit-Window': Type.Integer({ description: 'seconds the bucket takes to fill from empty' }),
  'RateLimit-Policy': Type.String({ description: 'the bucket as an IETF quota policy, e.g. "default";q=100;w=60' }),
  RateLimit: Type.String({ description: 'what is left, e.g. "default";r=99;t=1 (t: seconds until the next request fits)' }),
};

/** Answers of a machine route that carry the rate-limit headers: the key was found good before the check failed. */
const RATED_STATUSES = new Set(['200', '403', '404', '429']);
/**
 * A gateway route's too: its body is refused (415) and its upstream found out of reach (503) after the key is checked,
 * and the upstream's own answer (`default`) gets them.
 */
const RATED_GATEWAY_STATUSES = new Set([...RATED_STATUSES, '415', '503', 'default']);

/**
 * Adds the headers above to each response of each route registered after it (not hidden ones), beside those the route
 * names itself. Register it after `documentImpliedErrors`, whose answers then get them too.
 */
export function documentResponseHeaders(app: FastifyInstance): void {
  app.addHook('onRoute', (route: RouteOptions) => {
    const response = route.schema?.response as Record<string, Record<string, unknown>> | undefined;
    if (response === undefined || route.schema?.hide) return;
    const machine = (route.schema?.security as Record<string, unknown>[] | undefined)?.some((scheme) => 'apiKey' in scheme) ?? false;
    const rated = (route.schema?.tags as string[] | undefined)?.includes('gateway') ? RATED_GATEWAY_STATUSES : RATED_STATUSES;
    for (const [status, schema] of Object.entries(response)) {
      const headers: Record<string, TSchema> = { 'X-Request-Id': REQUEST_ID };
      if (machine && rated.has(status)) Object.assign(headers, RATE_LIMIT_HEADERS);
      if (status === '401') headers['WWW-Authenticate'] = WWW_AUTHENTICATE;
      if (status === '429' || status === '503') headers['Retry-After'] = RETRY_AFTER;
      // A copy: error responses are shared between routes, and their headers differ.
      response[status] = { ...schema, headers: { ...headers, ...(schema.headers as Record<string, TSchema> | undefined) } };
    }
  });
}
