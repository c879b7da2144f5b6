// HTTP/1.1 requires a Host header (RFC 9112, section 3.2). Node refuses a request without one by itself, with a
// bare 400 and no body; the server turns that check off (`requireHostHeader: false`) and answers here instead,
// in the contract's shape and with its X-Request-Id. HTTP/1.0 needs no Host.
import type { FastifyInstance } from 'fastify';
import { invalidRequest } from '../../core/errors.js';

/** For the Node server's options: Latchkey checks the Host header itself (`registerHostHeaderCheck`). */
export const NO_NODE_HOST_CHECK = { requireHostHeader: false } as const;

export function registerHostHeaderCheck(app: FastifyInstance): void {
  app.addHook('onRequest', (request, _reply, done) => {
    if (request.headers.host === undefined && request.raw.httpVersion === '1.1') {
      done(invalidRequest([{ field: 'host', message: 'an HTTP/1.1 request must carry a Host header' }]));
      return;
    }
    done();
  });
}
