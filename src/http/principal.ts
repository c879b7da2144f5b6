// Who is calling the management API: an operator (root token) or a signed-in dashboard user.
import type { FastifyRequest } from 'fastify';
import type { ActionContext } from '../manage/context.js';
import type { Role } from '../store/member-store.js';

/** A dashboard session as the HTTP edge needs it; the session service builds it from the cookie. */
export interface UserSession {
  /** The session's id (not its secret): what the audit log and logout refer to. */
  id: string;
  user: { id: string; email: string; phone: string | null };
  /** Signed in with an address of LATCHKEY_ADMIN_EMAILS (or admin@localhost on first run). */
  operator: boolean;
  roles: ReadonlyMap<string, Role>;
  /** Tenants of `roles` the user has not used yet: their audit logs do not get this person's sign-ins until then. */
  unopenedTenants: ReadonlySet<string>;
  /** When (stored time) and from where the session was signed in. */
  signedIn: { at: string; ip: string | null };
  /** Stored time until which key creation, regeneration and rotation need no new code. */
  stepUpUntil: string | null;
  csrfValid(token: string | undefined): boolean;
}

/** Reads the session cookie's value. Implemented by the session service (src/sessions). */
export interface SessionAuthenticator {
  authenticate(cookieValue: string, now: Date): Promise<UserSession | undefined>;
  /** The session made a request to one of its tenants: the first such request makes the user a joined member. */
  openTenant(session: UserSession, tenantId: string): Promise<void>;
}

/** An operator's `verifyOnly` token may call POST /v1/keys/verify and nothing else. */
export type Principal = { kind: 'operator'; tokenId: string; verifyOnly: boolean } | { kind: 'user'; session: UserSession };

/**
 * Who may call a route. `reader`: any member of the route's tenant; `manager`: owner or admin;
 * `operator`: root token or operator session; `signed-in`: anyone authenticated.
 */
export interface RouteAccess {
  allow: 'public' | 'signed-in' | 'reader' | 'manager' | 'operator';
  /** Needs a step-up younger than 15 minutes when called from a session. */
  stepUp?: boolean;
  /** Open to verify-only root tokens too (the verify API). */
  verifyTokens?: boolean;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: RouteAccess;
  }
  interface FastifyRequest {
    principal: Principal | null;
  }
}

export function isOperator(principal: Principal): boolean {
  return principal.kind === 'operator' || principal.session.operator;
}

/** The principal of an authenticated route; the auth hook has run, so it is set. */
export function principalOf(request: FastifyRequest): Principal {
  if (!request.principal) throw new Error('principalOf called on a route without access rules');
  return request.principal;
}

/** The actor and address that changes made by this request are audited under. */
export function actionContext(request: FastifyRequest): ActionContext {
  const principal = principalOf(request);
  const actor = principal.kind === 'operator'
    ? { type: 'operator' as const, id: principal.tokenId }
    : { type: 'user' as const, id: principal.session.user.id };
  return { actor, ip: request.ip, operator: isOperator(principal) };
}
