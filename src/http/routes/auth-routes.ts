// Dashboard sign-in routes: codes by e-mail, the session cookie, /me, step-up and sign-out.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { LatchkeyError } from '../../core/errors.js';
import { toStored, toWire } from '../../core/time.js';
import type { SignIn } from '../../otp/build-sign-in.js';
import { OTP_RULES } from '../../otp/otp-challenges.js';
import type { ChannelName } from '../../otp/otp-channel.js';
import { type UserSession, principalOf } from '../principal.js';
import { CodeSent, Me, OtpChannel, SignInOptions } from '../schemas/auth-schemas.js';
import { sessionCookie } from '../session-cookie.js';
import { errorResponses, NoBody, Timestamp } from '../schemas/common.js';
import type { TypedApp } from '../typed-app.js';

const tags = ['auth'];
const Email = Type.String({ minLength: 3, maxLength: 254, pattern: '^\\s*[^\\s@]+@[^\\s@]+\\s*$', description: 'e-mail address' });
const Code = Type.String({ minLength: 1, maxLength: 32, description: 'the 6-digit code' });

/**
 * These bodies are an address and a code: well under 1 KiB. The sign-in routes take bodies from anyone, so the whole
 * deployment's body limit (up to 1 GiB) would let any client make the server read and parse that much for nothing.
 */
const AUTH_BODY_LIMIT = 4096;
/** The session cookie as a signed-in answer sets it, and as signing out clears it (documented response headers). */
const SESSION_SET = Type.String({ description: 'the session cookie: latchkey_session (HttpOnly, SameSite=Lax, Path=/), or over HTTPS __Host-latchkey_session, also Secure' });
const SESSION_CLEARED = Type.String({ description: 'the session cookie, emptied and expired' });

/** The session routes: a root token has no session, and is answered 401 there. */
const SESSION_ONLY = [{ session: [] }];

export function registerAuthRoutes(app: TypedApp, signIn: SignIn): void {
  const { service, sessions } = signIn;
  const sent = (channel: ChannelName) => ({ status: 'sent' as const, retry_after_seconds: OTP_RULES.cooldownSeconds, code_in_server_log: signIn.codesInServerLog(channel) });

  app.get('/v1/auth/sign-in-options', {
    config: { access: { allow: 'public' } },
    schema: {
      tags,
      operationId: 'getSignInOptions',
      summary: 'What the sign-in page may tell everyone: where codes go on a development install, and its first operator',
      security: [],
      response: {
        200: SignInOptions,
      },
    },
  }, async () => ({ code_in_server_log: signIn.codesInServerLog('email'), first_run_operator: signIn.firstRunOperator ?? null }));

  app.post('/v1/auth/otp', {
    bodyLimit: AUTH_BODY_LIMIT,
    config: { access: { allow: 'public' } },
    schema: {
      tags,
      operationId: 'sendSignInCode',
      summary: 'Mail a sign-in code (202 whether or not the address is known)',
      security: [],
      body: Type.Object({ email: Email }, { additionalProperties: false }),
      response: { 202: CodeSent, ...errorResponses(400, 413, 415, 429, 503) },
    },
  }, async (request, reply) => {
    await service.requestSignInCode(request.body.email, request.ip);
    return reply.code(202).send(sent('email'));
  });

  app.post('/v1/auth/otp/verify', {
    bodyLimit: AUTH_BODY_LIMIT,
    config: { access: { allow: 'public' } },
    schema: {
      tags,
      operationId: 'verifySignInCode',
      summary: 'Exchange a sign-in code for a session cookie',
      security: [],
      body: Type.Object({ email: Email, code: Code }, { additionalProperties: false }),
      response: { 200: Type.Object({ user: Type.Object({ id: Type.String(), email: Type.String() }) }, { headers: { 'Set-Cookie': SESSION_SET } }), ...errorResponses(400, 401, 413, 415, 429, 503) },
    },
  }, async (request, reply) => {
    const signedIn = await service.verifySignIn(request.body.email, request.body.code, request.ip);
    // The browser may keep the cookie as long as the session can live; the server ends it earlier when idle.
    const cookie = sessionCookie(request, signIn.alwaysSecureCookies);
    reply.setCookie(cookie.name, signedIn.token, { ...cookie.options, maxAge: sessions.limits.absoluteSeconds });
    return { user: signedIn.user };
  });

  app.get('/v1/auth/me', {
    config: { access: { allow: 'signed-in' } },
    schema: {
      tags,
      operationId: 'getCurrentUser',
      summary: 'The signed-in user, their tenants and roles, and the CSRF token for mutations',
      security: SESSION_ONLY,
      response: {
        200: Me,
        ...errorResponses(401),
      },
    },
  }, async (request) => {
    const session = sessionOf(request);
    const memberships = await sessions.memberships(session.user.id);
    return {
      user: session.user,
      operator: session.operator,
      memberships: memberships.map((m) => ({ tenant_id: m.tenantId, tenant_name: m.tenantName, role: m.role, joined: m.joined })),
      csrf_token: await sessions.csrfToken(request.cookies[sessionCookie(request, signIn.alwaysSecureCookies).name] ?? ''),
      step_up_until: service.stepUpActiveUntil(session),
    };
  });

  app.post('/v1/auth/step-up', {
    bodyLimit: AUTH_BODY_LIMIT,
    config: { access: { allow: 'signed-in' } },
    schema: {
      tags,
      operationId: 'sendStepUpCode',
      summary: 'Send a step-up code to the signed-in user (needed to create, regenerate and rotate keys)',
      security: SESSION_ONLY,
      body: Type.Object({ channel: OtpChannel }, { additionalProperties: false }),
      response: { 202: CodeSent, ...errorResponses(400, 401, 403, 413, 415, 429, 503) },
    },
  }, async (request, reply) => {
    await service.requestStepUp(sessionOf(request), request.body.channel);
    return reply.code(202).send(sent(request.body.channel));
  });

  app.post('/v1/auth/step-up/verify', {
    bodyLimit: AUTH_BODY_LIMIT,
    config: { access: { allow: 'signed-in' } },
    schema: {
      tags,
      operationId: 'verifyStepUpCode',
      summary: 'Verify a step-up code: key creation, regeneration and rotation are allowed for 15 minutes',
      security: SESSION_ONLY,
      body: Type.Object({ code: Code }, { additionalProperties: false }),
      response: { 200: Type.Object({ step_up_until: Timestamp }), ...errorResponses(400, 401, 403, 413, 415, 503) },
    },
  }, async (request) => {
    const until = await service.verifyStepUp(sessionOf(request), request.body.code, request.ip);
    return { step_up_until: toWire(toStored(until)) };
  });

  app.post('/v1/auth/logout', {
    bodyLimit: AUTH_BODY_LIMIT,
    config: { access: { allow: 'signed-in' } },
    schema: { tags, operationId: 'logOut', summary: 'End the session and clear its cookie', security: SESSION_ONLY, body: NoBody, response: { 204: Type.Null({ headers: { 'Set-Cookie': SESSION_CLEARED } }), ...errorResponses(401, 403) } },
  }, async (request, reply) => {
    await service.signOut(sessionOf(request), request.ip);
    clearSessionCookie(reply, request, signIn);
    return reply.code(204).send(null);
  });
}

/** These routes are about the dashboard session itself; a root token has none. */
function sessionOf(request: FastifyRequest): UserSession {
  const principal = principalOf(request);
  if (principal.kind !== 'user') throw new LatchkeyError('unauthorized', 'This route needs a dashboard session (sign in with POST /v1/auth/otp); a root token has no session.');
  return principal.session;
}

function clearSessionCookie(reply: FastifyReply, request: FastifyRequest, signIn: SignIn): void {
  const cookie = sessionCookie(request, signIn.alwaysSecureCookies);
  reply.clearCookie(cookie.name, cookie.options);
}
