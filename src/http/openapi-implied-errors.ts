// Answers a route can give whatever its handler does, so that the OpenAPI document lists them on every route
// they apply to: 400 for a URL the router refuses (a bad percent-escape, a NUL), 503 when storage cannot be
// reached (every route whose access is checked looks up a token or session there), 413 and 415 where a JSON body
// is read (a route with a body schema; the gateway streams bodies unread).
import type { FastifyInstance, RouteOptions } from 'fastify';
import { Type } from 'typebox';

/** Adds the implied error answers to the response schema of each route registered after it (not to hidden ones). */
export function documentImpliedErrors(app: FastifyInstance): void {
  app.addHook('onRoute', (route: RouteOptions) => {
    const response = route.schema?.response as Record<string, unknown> | undefined;
    if (response === undefined || route.schema?.hide) return;
    const add = (status: number) => (response[status] ??= Type.Ref('ErrorBody'));
    add(400);
    if ((route.config as { access?: unknown } | undefined)?.access !== undefined) add(503);
    if (route.schema?.body !== undefined) {
      add(413);
      add(415);
    }
  });
}
