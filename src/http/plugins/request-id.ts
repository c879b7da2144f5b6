// Request ids (`req_…`) on every response. Cheap enough for the hot path: a random
// per-process prefix plus a counter, unique across nodes without a random draw per request.
import type { FastifyInstance } from 'fastify';
import { randomBase62 } from '../../core/base62.js';

export function requestIdGenerator(): () => string {
  const prefix = `req_${randomBase62(10)}`;
  let counter = 0;
  return () => `${prefix}${(counter++).toString(36).padStart(6, '0')}`;
}

export function registerRequestId(app: FastifyInstance): void {
  app.addHook('onRequest', (request, reply, done) => {
    reply.header('x-request-id', request.id);
    done();
  });
}
