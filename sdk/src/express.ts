// Express middleware (Express 4 and 5): put `requireApiKey(...)` before a route's handler.
import type { IncomingHttpHeaders } from 'node:http';
import { decide, type GuardOptions, type KeyIdentity, requirementOf, throttledOutageReport } from './guard.js';

declare global {
  // Express declares its request type in this global namespace (@types/express).
  namespace Express {
    interface Request {
      /** The key the request passed with, set by `requireApiKey`. */
      latchkey?: KeyIdentity;
    }
  }
}

/** The parts of Express's request and response used here, so that this module needs no Express types. */
export interface ExpressRequest {
  method: string;
  originalUrl: string;
  headers: IncomingHttpHeaders;
  rawHeaders?: string[] | undefined;
  ip?: string | undefined;
  // Route parameters are whatever the route declares.
  params?: any;
  latchkey?: KeyIdentity;
}
export interface ExpressResponse {
  setHeader(name: string, value: string): unknown;
  status(code: number): { json(body: unknown): unknown };
}

/**
 * Checks the request's key with Latchkey. A key that passes sets the rate-limit headers and `req.latchkey`; any
 * other request is answered as the M2M API would (status, `X-RateLimit-*`, `Retry-After`, `WWW-Authenticate`
 * and the contract's error body). A mistake in the set-up (a wrong operator token) goes to Express's error handler.
 * `req.ip` is the client's address: set Express's `trust proxy` when the service runs behind one.
 * @example
 * const latchkey = new LatchkeyClient({ url: 'http://127.0.0.1:8080', token: process.env.LATCHKEY_ROOT_TOKEN! });
 * app.get('/tenants/:tenantId/orders', requireApiKey({ client: latchkey, scopes: ['orders:read'], tenantId: (req) => req.params.tenantId }),
 *   (req, res) => res.json({ tenant: req.latchkey?.tenantId }));
 */
export function requireApiKey<Req extends ExpressRequest = ExpressRequest>(options: GuardOptions<Req>): (req: Req, res: ExpressResponse, next: (error?: unknown) => void) => void {
  const reportOutage = options.onUnavailable ?? throttledOutageReport(options.client, (message) => console.warn(message));
  return (req, res, next) => {
    decide(options.client, { method: req.method, url: req.originalUrl, headers: req.headers, rawHeaders: req.rawHeaders, ip: req.ip }, requirementOf(options, req))
      .then((decision) => {
        for (const [name, value] of Object.entries(decision.headers)) res.setHeader(name, value);
        if (decision.ok) {
          req.latchkey = decision.identity;
          return true;
        }
        if (decision.cause) reportOutage(decision.cause, req);
        res.status(decision.status).json(decision.body);
        return false;
      })
      // Whatever throws here (answering after another middleware did, say) goes to Express, never unhandled;
      // `next` itself runs outside, so an error of the route is not taken for one of the check.
      .then((passed) => passed && next(), next);
  };
}
