// The gateway: configured routes are authenticated like the M2M API and proxied to their upstream
// with the key removed and the caller's identity added. Bodies (multipart included) stream through unparsed.
import fastifyReplyFrom from '@fastify/reply-from';
import type { FastifyInstance, FastifyReply, FastifyRequest, FastifySchema } from 'fastify';
import { Type } from 'typebox';
import type { GatewayRouteConfig } from '../../config.js';
import { invalidRequest, LatchkeyError } from '../../core/errors.js';
import { sendError } from '../error-body.js';
import { clientHeaders, upstreamHeaders } from '../gateway-headers.js';
import { refusedTarget } from '../gateway-target.js';
import type { Accepted, MachineAuth } from '../machine-auth.js';
import { errorResponses } from '../schemas/common.js';

/** A request the gateway accepted, and the client address it came from (read while its socket is sure to be there). */
interface Passed {
  accepted: Accepted;
  ip: string;
}

declare module 'fastify' {
  interface FastifyRequest {
    gatewayPassed: Passed | null;
  }
}

/** What the request log says of an answer that never started: the client went away first (nginx's number). */
const CLIENT_CLOSED_REQUEST = 499;

/** HEAD, which Fastify answers on every GET route, needs what GET needs. */
function requiredScopes(route: GatewayRouteConfig, method: string): string[] {
  return Array.isArray(route.scopes) ? route.scopes : route.scopes[method === 'HEAD' ? 'GET' : method] ?? [];
}

export async function registerGatewayRoutes(app: FastifyInstance, routes: readonly GatewayRouteConfig[], machine: MachineAuth): Promise<void> {
  if (routes.length === 0) return;
  await app.register(async (gateway) => {
    gateway.decorateRequest('gatewayPassed', null);
    // Answers whose 'close' has not come yet: each is recorded then (below). Closing the app waits for them, so that
    // a request cut at the shutdown timeout reaches the usage writer before the writer closes.
    const open = new OpenAnswers();
    gateway.addHook('onClose', () => open.drained());
    // Bodies are not parsed here: they stream to the upstream as sent.
    gateway.removeAllContentTypeParsers();
    gateway.addContentTypeParser('*', (_request, payload, done) => done(null, payload));
    // @fastify/reply-from sets undici's `tls.rejectUnauthorized` to false unless told otherwise; `connect` is
    // spread over it, so certificates are checked. An upstream on a private CA is trusted via NODE_EXTRA_CA_CERTS.
    await gateway.register(fastifyReplyFrom, { disableRequestLogging: true, undici: { connect: { rejectUnauthorized: true } } });

    for (const route of routes) {
      const upstream = route.upstream.replace(/\/$/, '');
      gateway.route({
        method: route.methods,
        url: route.path,
        schema: gatewaySchema(route),
        onRequest: async (request: FastifyRequest, reply: FastifyReply) => {
          const refused = refusedTarget(request.url);
          if (refused) throw invalidRequest([refused]);
          const params = request.params as Record<string, string | undefined>;
          const ip = request.ip;
          // On close, not onResponse: an answer cut off (upstream reset or stalled mid-body, client gone) never
          // finishes, and its request was still made with the key. Listened to before the check, which may wait
          // on storage or Redis: a client gone meanwhile has closed already, and its call still counts.
          let passed: Passed | undefined;
          let closed = false;
          const recordPassed = () => {
            if (passed) machine.record(request, reply, passed.accepted, reply.raw.headersSent ? reply.statusCode : CLIENT_CLOSED_REQUEST, passed.ip);
          };
          open.add();
          reply.raw.once('close', () => {
            closed = true;
            recordPassed();
            open.done();
          });
          const accepted = await machine.check(request, reply, {
            tenantId: params.tenantId,
            customerId: params.customerId,
            scopes: requiredScopes(route, request.method),
          });
          if (!accepted) return reply;
          passed = { accepted, ip };
          request.gatewayPassed = passed;
          if (closed) recordPassed();
          return undefined;
        },
        handler: (request, reply) => {
          const passed = request.gatewayPassed;
          if (!passed) throw new LatchkeyError('unauthorized');
          return reply.from(upstream + request.url, {
            timeout: route.timeoutSeconds * 1000,
            rewriteRequestHeaders: (_req, headers) => upstreamHeaders(headers, passed.accepted, passed.ip),
            rewriteHeaders: clientHeaders,
            onError: (errorReply, { error }) => {
              request.log.warn({ err: error, upstream, requestId: request.id }, 'gateway upstream did not answer');
              sendError(request, errorReply as FastifyReply, new LatchkeyError('unavailable', 'The upstream service did not answer; retry shortly.'));
            },
          });
        },
      });
    }
  });
}

/** A count of gateway answers not closed yet, and a wait for none to be left. */
class OpenAnswers {
  private count = 0;
  private waiters: (() => void)[] = [];

  add(): void {
    this.count++;
  }

  done(): void {
    if (--this.count === 0) for (const wake of this.waiters.splice(0)) wake();
  }

  drained(): Promise<void> {
    return this.count === 0 ? Promise.resolve() : new Promise((resolve) => this.waiters.push(resolve));
  }
}

/** What the OpenAPI document says of a gateway route: its key, scopes and refusals; never its upstream's address. */
function gatewaySchema(route: GatewayRouteConfig): FastifySchema {
  const names = [...route.path.matchAll(/:(\w+)/g)].map((match) => match[1] as string);
  const scopes = route.methods.map((method) => `${method}: ${requiredScopes(route, method).join(', ') || 'none'}`).join('; ');
  return {
    tags: ['gateway'],
    summary: 'Gateway route: checked like the M2M API, then proxied to its upstream, which answers',
    description: `Scopes needed: ${scopes}. \`:tenantId\` must be the key's tenant and \`:customerId\` in its customer_ids (else 404). The upstream gets X-Latchkey-Tenant-Id, -Key-Id, -Scopes and -Environment; bodies stream through unread.`,
    security: [{ apiKey: [] }, { bearerKey: [] }] as Record<string, string[]>[],
    params: Type.Object({
      ...Object.fromEntries(names.map((name) => [name, Type.String()])),
      ...(route.path.endsWith('*') ? { '*': Type.String({ description: 'the rest of the path, passed on as it is' }) } : {}),
    }),
    response: {
      ...errorResponses(400, 401, 403, 404, 415, 429, 503),
      // 415: a body whose Content-Type is empty or not a media type at all, refused before anything is proxied.
      default: { description: "the upstream's answer, passed on as it came" },
    },
  };
}
