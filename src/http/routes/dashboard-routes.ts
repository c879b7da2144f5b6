// Serves the built dashboard at `/`; unknown non-API GET paths get index.html (client-side routes).
import { join } from 'node:path';
import fastifyStatic from '@fastify/static';
import { LatchkeyError } from '../../core/errors.js';
import { hasKeyInQuery } from '../../verify/credential.js';
import type { TypedApp } from '../typed-app.js';

const API_PREFIXES = ['/v1/', '/api/', '/healthz', '/readyz', '/metrics', '/openapi.json'];
/** Where Vite puts the built scripts and styles, under names that change with their content. */
const ASSETS_PREFIX = '/assets/';

/**
 * On every dashboard file: only its own scripts, styles and requests (no inline script can run), and no page of
 * another origin may frame it (a framed dashboard could be clicked into revoking keys).
 */
export const DASHBOARD_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy': "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
  'x-frame-options': 'DENY',
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
};

export async function registerDashboard(app: TypedApp, dir: string): Promise<void> {
  await app.register(async (scope) => {
    // A key pasted into a dashboard address (`/?api_key=…`) is refused as everywhere else (contract: a query
    // value in the key format is `api_key_in_query`): the page would load as if nothing were wrong.
    scope.addHook('onRequest', (request, _reply, next) => next(hasKeyInQuery(request.url) ? new LatchkeyError('api_key_in_query') : undefined));
    await registerDashboardFiles(scope as TypedApp, dir);
  });
}

async function registerDashboardFiles(app: TypedApp, dir: string): Promise<void> {
  await app.register(fastifyStatic, {
    root: dir,
    prefix: '/',
    wildcard: false,
    index: ['index.html'],
    setHeaders: (reply) => void reply.headers(DASHBOARD_HEADERS),
  });
  app.get('/*', { schema: { hide: true } }, (request, reply) => {
    const path = request.url.split('?')[0] ?? '/';
    // The files above were listed at start-up. A dashboard rebuilt under a running server (an upgrade's
    // `npm install`) has new asset names, which index.html, read at each request, already points to.
    if (path.startsWith(ASSETS_PREFIX)) return reply.sendFile(path.slice(1));
    if (API_PREFIXES.some((p) => path.startsWith(p)) || !(request.headers.accept ?? '').includes('text/html')) {
      return reply.callNotFound();
    }
    return reply.type('text/html; charset=utf-8').sendFile('index.html', join(dir));
  });
}
