// Signs a user in through the real OTP flow (code mailed to an in-test SMTP server) and makes session requests.
import assert from 'node:assert/strict';
import type { LightMyRequestResponse } from 'fastify';
import type { Clock } from '../../src/manage/context.js';
import { type SmtpCapture, startSmtpCapture } from './smtp.js';
import { type Cleanup, startTestApp, type TestApp } from './test-app.js';

export interface MailedApp extends TestApp {
  mail: SmtpCapture;
}

export interface Session {
  /** The value of a Cookie header: `latchkey_session=...`. */
  cookie: string;
  csrf: string;
}

/** A test app whose OTP mail goes to an in-test SMTP server (so no code is printed in the log). */
export async function startMailedApp(t: Cleanup, env: Record<string, string> = {}, options: { clock?: Clock } = {}): Promise<MailedApp> {
  const mail = await startSmtpCapture(t);
  const app = await startTestApp(t, { LATCHKEY_SMTP_URL: mail.url, ...env }, options);
  return { ...app, mail };
}

/** Requests a code for `email`, reads it from the mail, verifies it, and reads the CSRF token from /me. */
export async function signIn(app: MailedApp, email: string): Promise<Session> {
  const before = app.mail.mails.length;
  const sent = await app.app.inject({ method: 'POST', url: '/v1/auth/otp', payload: { email } });
  assert.equal(sent.statusCode, 202, `requesting a code for ${email}: ${sent.body}`);
  const code = await app.mail.code(email, before);
  const verified = await app.app.inject({ method: 'POST', url: '/v1/auth/otp/verify', payload: { email, code } });
  assert.equal(verified.statusCode, 200, `verifying the code of ${email}: ${verified.body}`);
  const cookie = sessionCookie(verified);
  const me = await app.app.inject({ method: 'GET', url: '/v1/auth/me', headers: { cookie } });
  assert.equal(me.statusCode, 200, me.body);
  return { cookie, csrf: me.json<{ csrf_token: string }>().csrf_token };
}

/** `latchkey_session=<value>` (`__Host-latchkey_session=` over HTTPS) from a response's Set-Cookie. */
export function sessionCookie(response: LightMyRequestResponse): string {
  const cookie = response.cookies.find((c) => c.name === 'latchkey_session' || c.name === '__Host-latchkey_session');
  assert.ok(cookie, 'the response sets the session cookie');
  return `${cookie.name}=${cookie.value}`;
}

/** A request from a session: the cookie always, the CSRF header unless `csrf: false` (or a replacement value). */
export function asUser(app: TestApp, session: Session) {
  return (method: string, url: string, body?: unknown, options: { csrf?: string | false } = {}): Promise<LightMyRequestResponse> => {
    const headers: Record<string, string> = { cookie: session.cookie };
    if (options.csrf !== false) headers['x-csrf-token'] = options.csrf ?? session.csrf;
    return app.app.inject({ method: method as 'GET', url, headers, ...(body === undefined ? {} : { payload: body as object }) });
  };
}

/** Steps the session up by e-mail (code from the mail) so key creation, regeneration and rotation pass. */
export async function stepUp(app: MailedApp, session: Session, email: string): Promise<string> {
  const as = asUser(app, session);
  const before = app.mail.mails.length;
  const sent = await as('POST', '/v1/auth/step-up', { channel: 'email' });
  assert.equal(sent.statusCode, 202, sent.body);
  const verified = await as('POST', '/v1/auth/step-up/verify', { code: await app.mail.code(email, before) });
  assert.equal(verified.statusCode, 200, verified.body);
  return verified.json<{ step_up_until: string }>().step_up_until;
}

/** Adds a member through the API with the root token; fails the test on any error. */
export async function addMember(app: TestApp, tenantId: string, email: string, role: string, phone?: string): Promise<{ user_id: string }> {
  const res = await app.root('POST', `/v1/tenants/${tenantId}/members`, { email, role, ...(phone ? { phone } : {}) });
  assert.equal(res.statusCode, 201, `adding ${email}: ${res.body}`);
  return res.json();
}
