// Answers a route can give whatever its handler does, so that the OpenAPI document lists them on every route
// they apply to: 400 for a URL the router refuses (a bad percent-escape, a NUL), 503 when storage cannot be
// reached (every route whose access is checked looks up a token or session there), 403 on every route that takes a
// credential (a verify-only root token is `forbidden` everywhere but the verify API, and a session's mutation without
// its CSRF token there too), 413 and 415 where a JSON body is read (a route with a body schema; the gateway streams
// bodies unread).
import type { FastifyInstance, RouteOptions } from 'fastify';
import { Type } from 'typebox';
import type { RouteAccess } from './principal.js';

/** Adds the implied error answers to the response schema of each route registered after it (not to hidden ones). */
export function documentImpliedErrors(app: FastifyInstance): void {
  app.addHook('onRoute', (route: RouteOptions) => {
    const response = route.schema?.response as Record<string, unknown> | undefined;
    if (response === undefined || route.schema?.hide) return;
    const add = (status: number) => (response[status] ??= Type.Ref('ErrorBody'));
    add(400);
    const access = (route.config as { access?: RouteAccess } | undefined)?.access;
    if (access !== undefined) add(503);
    if (access !== undefined && access.allow !== 'public') add(403);
    if (route.schema?.body !== undefined) {
      add(413);
      add(415);
    }
  });
}
