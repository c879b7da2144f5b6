// Authenticates management calls in the contract's order: credential (401), CSRF (403),
// tenant membership (404), role (403), step-up (403). Body validation (400) runs after it.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { invalidRequest, LatchkeyError } from '../../core/errors.js';
import { wwwAuthenticate } from '../error-body.js';
import { sessionCookie } from '../session-cookie.js';
import type { Clock } from '../../manage/context.js';
import type { RootTokenService } from '../../manage/root-token-service.js';
import type { TenantService } from '../../manage/tenant-service.js';
import { isOperator, type Principal, type SessionAuthenticator } from '../principal.js';
import { hasKeyInQuery, sentTwice, twoAuthorizations } from '../../verify/credential.js';

export interface ManagementAuthDeps {
  rootTokens: RootTokenService;
  tenants: TenantService;
  sessions: SessionAuthenticator | undefined;
  /** The server speaks HTTPS itself: the session cookie is always the `Secure`, `__Host-` one. */
  secureCookies: boolean;
  clock: Clock;
}

const MUTATIONS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** The caller, or why there is none: no credential of ours was sent, or the one sent is not valid. */
async function authenticate(request: FastifyRequest, deps: ManagementAuthDeps): Promise<Principal | 'none' | 'invalid'> {
  const authorization = request.headers.authorization;
  if (authorization !== undefined && sentTwice(request.raw.rawHeaders, 'authorization')) {
    const refusal = twoAuthorizations();
    throw new LatchkeyError(refusal.code, refusal.details, { fields: refusal.fields ?? [] });
  }
  if (typeof authorization === 'string' && /^bearer /i.test(authorization)) {
    const operator = await deps.rootTokens.authenticate(authorization.slice(7).trim());
    return operator ? { kind: 'operator', tokenId: operator.tokenId, verifyOnly: operator.access === 'verify' } : 'invalid';
  }
  const cookie = deps.sessions ? request.cookies[sessionCookie(request, deps.secureCookies).name] : undefined;
  if (deps.sessions && cookie) {
    const session = await deps.sessions.authenticate(cookie, deps.clock.now());
    return session ? { kind: 'user', session } : 'invalid';
  }
  return 'none';
}

/** RFC 6750 section 3.1: a request that sent no credential (or another scheme) gets a challenge with no `error`. */
function unauthorized(reason: 'none' | 'invalid'): LatchkeyError {
  return new LatchkeyError('unauthorized', undefined, { headers: { 'www-authenticate': wwwAuthenticate('unauthorized', reason === 'invalid') } });
}

export function registerManagementAuth(app: FastifyInstance, deps: ManagementAuthDeps): void {
  app.decorateRequest('principal', null);
  app.addHook('onRequest', async (request) => {
    // PostgreSQL refuses NUL in text: an id or filter holding one names nothing, and must not reach storage.
    if (request.url.includes('%00')) throw invalidRequest([{ field: 'path', message: 'must not contain the NUL character (%00)' }]);
    // As on the M2M API: a key in a URL ends up in proxies' and browsers' histories, whatever route it was sent to.
    if (hasKeyInQuery(request.url)) throw new LatchkeyError('api_key_in_query');
    const access = request.routeOptions.config.access;
    if (!access || access.allow === 'public') return;

    const principal = await authenticate(request, deps);
    if (typeof principal === 'string') throw unauthorized(principal);
    request.principal = principal;
    // Like a role: a token made for a service that checks keys can do nothing else.
    if (principal.kind === 'operator' && principal.verifyOnly && !access.verifyTokens) {
      throw new LatchkeyError('forbidden', 'This root token may only verify keys (POST /v1/keys/verify).');
    }

    const session = principal.kind === 'user' ? principal.session : undefined;
    if (session && MUTATIONS.has(request.method) && !session.csrfValid(headerValue(request.headers['x-csrf-token']))) {
      throw new LatchkeyError('forbidden', 'Send the X-CSRF-Token header with the csrf_token of GET /v1/auth/me.');
    }

    const tenantId = (request.params as { tenantId?: string } | undefined)?.tenantId;
    if (tenantId !== undefined) {
      const member = session === undefined || session.operator || session.roles.has(tenantId);
      // A tenant the user does not belong to answers exactly like one that does not exist.
      if (!member) throw new LatchkeyError('not_found', `No tenant ${tenantId}.`);
      await deps.tenants.get(tenantId);
      if (session && deps.sessions) await deps.sessions.openTenant(session, tenantId);
    }

    if (access.allow === 'operator' && !isOperator(principal)) throw new LatchkeyError('forbidden', 'Only operators may do this.');
    if (access.allow === 'manager' && session && !session.operator) {
      const role = tenantId === undefined ? undefined : session.roles.get(tenantId);
      if (role !== 'owner' && role !== 'admin') throw new LatchkeyError('forbidden', `Your role (${role ?? 'none'}) may read but not change this; ask an owner or admin.`);
    }

    if (access.stepUp && session) {
      const until = session.stepUpUntil;
      if (until === null || until <= deps.clock.now().toISOString()) throw new LatchkeyError('step_up_required');
    }
  });
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? undefined : value;
}
