// Hono middleware (Hono 4): `app.use('/api/*', requireApiKey(...))`, or per route.
import type { Context, MiddlewareHandler } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { decide, type GuardOptions, type KeyIdentity, requirementOf, throttledOutageReport } from './guard.js';

export interface HonoGuardOptions extends GuardOptions<Context> {
  /**
   * The client's address. Default: the socket's address under @hono/node-server (`c.env.incoming`); on other
   * runtimes or behind a proxy, pass it (`getConnInfo(c).remote.address`). Without an address a key with
   * `allowed_ips` is refused.
   */
  ip?: ((c: Context) => string | undefined) | undefined;
}

/**
 * Checks the request's key with Latchkey. A key that passes sets the rate-limit headers and `c.get('latchkey')`;
 * any other request is answered as the M2M API would. A mistake in the set-up (a wrong operator token) is thrown,
 * to Hono's `onError`.
 * @example
 * app.get('/tenants/:tenantId/orders', requireApiKey({ client: latchkey, scopes: ['orders:read'], tenantId: (c) => c.req.param('tenantId') }),
 *   (c) => c.json({ tenant: c.get('latchkey').tenantId }));
 */
export function requireApiKey(options: HonoGuardOptions): MiddlewareHandler<{ Variables: { latchkey: KeyIdentity } }> {
  const reportOutage = options.onUnavailable ?? throttledOutageReport(options.client, (message) => console.warn(message));
  const ipOf = options.ip ?? nodeServerAddress;
  return async (c, next) => {
    const apiKey = c.req.header('x-api-key');
    // Fetch joins repeated headers with ", "; a key has no comma, so a comma means several headers.
    const headers = { 'x-api-key': apiKey?.includes(',') ? apiKey.split(',') : apiKey, authorization: c.req.header('authorization') };
    const decision = await decide(options.client, { method: c.req.method, url: c.req.url, headers, rawHeaders: nodeServerRequest(c)?.rawHeaders, ip: ipOf(c) }, requirementOf(options, c));
    if (!decision.ok) {
      if (decision.cause) reportOutage(decision.cause, c);
      return c.json(decision.body, decision.status as ContentfulStatusCode, decision.headers);
    }
    c.set('latchkey', decision.identity);
    await next();
    // On the answer the handler made, whichever way: `c.header()` before `next()` reaches only answers Hono builds
    // (`c.json`, `c.text`), not a `Response` the handler returns itself (`new Response(…)`, `fetch(upstream)`).
    let response = c.res;
    try {
      for (const [name, value] of Object.entries(decision.headers)) response.headers.set(name, value);
    } catch {
      // Headers of a fetched answer cannot be changed: a copy of it can (with headers of its own: given the answer
      // itself as its init, @hono/node-server's Response would keep the same, unchangeable ones).
      response = new Response(response.body, { status: response.status, statusText: response.statusText, headers: new Headers(response.headers) });
      for (const [name, value] of Object.entries(decision.headers)) response.headers.set(name, value);
      c.res = response;
    }
    return undefined;
  };
}

/** Node's own request under @hono/node-server (`c.env.incoming`); other runtimes have none. */
function nodeServerRequest(c: Context): { socket?: { remoteAddress?: string }; rawHeaders?: string[] } | undefined {
  return (c.env as { incoming?: { socket?: { remoteAddress?: string }; rawHeaders?: string[] } } | undefined)?.incoming;
}

function nodeServerAddress(c: Context): string | undefined {
  return nodeServerRequest(c)?.socket?.remoteAddress;
}
