// Fastify hook (Fastify 5): use `requireApiKey(...)` as a route's `preHandler`, or add it to a plugin's routes.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { decide, type GuardOptions, type KeyIdentity, requirementOf, throttledOutageReport } from './guard.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The key the request passed with, set by `requireApiKey`. */
    latchkey?: KeyIdentity;
  }
}

/**
 * Checks the request's key with Latchkey. A key that passes sets the rate-limit headers and `request.latchkey`;
 * any other request is answered as the M2M API would. A mistake in the set-up (a wrong operator token) is thrown,
 * to Fastify's error handler. Outages are logged on `request.log` (the console without a logger), one line per 10 s.
 * @example
 * app.decorateRequest('latchkey', undefined);
 * app.get('/tenants/:tenantId/orders', {
 *   preHandler: requireApiKey({ client: latchkey, scopes: ['orders:read'], tenantId: (req) => (req.params as { tenantId: string }).tenantId }),
 * }, async (request) => ({ tenant: request.latchkey?.tenantId }));
 */
export function requireApiKey(options: GuardOptions<FastifyRequest>): (request: FastifyRequest, reply: FastifyReply) => Promise<FastifyReply | undefined> {
  const reportOutage =
    options.onUnavailable ??
    throttledOutageReport<FastifyRequest>(options.client, (message, request) => {
      // Without a logger Fastify's log is silent (it has no level): the line then goes to the console.
      if (typeof request.log.level === 'string' && request.log.level !== 'silent') request.log.warn(message);
      else console.warn(message);
    });
  return async (request, reply) => {
    const decision = await decide(options.client, { method: request.method, url: request.url, headers: request.headers, rawHeaders: request.raw.rawHeaders, ip: request.ip }, requirementOf(options, request));
    reply.headers(decision.headers);
    if (decision.ok) {
      request.latchkey = decision.identity;
      return undefined;
    }
    if (decision.cause) reportOutage(decision.cause, request);
    return reply.code(decision.status).send(decision.body);
  };
}
