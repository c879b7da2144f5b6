// Answers of the management API are for the caller alone: no cache keeps them, and no browser guesses their type.
import type { FastifyInstance } from 'fastify';

/**
 * `Cache-Control: no-store` and `X-Content-Type-Options: nosniff` on every answer of `app`'s routes: they hold secrets
 * shown once (a new key's), CSRF tokens, and tenants' data read with someone's session, none of which a browser's or
 * proxy's cache should keep. The M2M routes are not in this scope.
 */
export function registerNoStore(app: FastifyInstance): void {
  app.addHook('onRequest', (_request, reply, done) => {
    reply.header('cache-control', 'no-store');
    reply.header('x-content-type-options', 'nosniff');
    done();
  });
}
