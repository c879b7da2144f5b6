// The dashboard session's cookie: its name and attributes, which depend on whether the request came over HTTPS.
import type { FastifyRequest } from 'fastify';

export const SESSION_COOKIE = 'latchkey_session';
/**
 * The name over HTTPS. Browsers take a `__Host-` cookie only when it is `Secure`, has `Path=/` and no `Domain`,
 * so a page on a sibling subdomain cannot plant one (session fixation through a cookie set for the parent
 * domain); a plain `latchkey_session` that arrives over HTTPS is not read.
 */
export const SECURE_SESSION_COOKIE = `__Host-${SESSION_COOKIE}`;

export interface SessionCookie {
  name: string;
  options: { httpOnly: true; sameSite: 'lax'; path: '/'; secure: boolean };
}

/**
 * `Secure` (and `__Host-`) when the server speaks HTTPS itself (`alwaysSecure`) or the request came over
 * HTTPS through a trusted proxy.
 * @example request.cookies[sessionCookie(request, config.tls !== undefined).name]
 */
export function sessionCookie(request: FastifyRequest, alwaysSecure: boolean): SessionCookie {
  const secure = alwaysSecure || request.protocol === 'https';
  return { name: secure ? SECURE_SESSION_COOKIE : SESSION_COOKIE, options: { httpOnly: true, sameSite: 'lax', path: '/', secure } };
}
