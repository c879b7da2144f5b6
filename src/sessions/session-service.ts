// Dashboard sessions: an opaque cookie value, stored as its SHA-256 digest, with idle and absolute timeouts.
import { randomBytes } from 'node:crypto';
import { digestsEqual, sha256Hex } from '../core/digest.js';
import { newId } from '../core/ids.js';
import { addSeconds, toStored } from '../core/time.js';
import type { SessionAuthenticator, UserSession } from '../http/principal.js';
import type { AuditLog } from '../manage/audit-log.js';
import type { Clock } from '../manage/context.js';
import type { MemberStore, Role } from '../store/member-store.js';
import type { SessionStore, TenantMembership } from '../store/session-store.js';

export interface SessionLimits {
  /** A session unused this long ends. */
  idleSeconds: number;
  /** A session ends this long after sign-in, however active. */
  absoluteSeconds: number;
  /** How stale `last_seen_at` may get before a request writes it (saves a write per request). */
  touchEverySeconds: number;
}

export const SESSION_LIMITS: SessionLimits = { idleSeconds: 12 * 3600, absoluteSeconds: 7 * 24 * 3600, touchEverySeconds: 60 };

/** 32 random bytes as base64url: 43 characters. Anything else is refused without a lookup. */
const COOKIE_VALUE = /^[A-Za-z0-9_-]{43}$/;

export interface CsrfKey {
  digest(label: string): Promise<string>;
}

export class SessionService implements SessionAuthenticator {
  constructor(
    private readonly store: SessionStore,
    private readonly members: MemberStore,
    private readonly csrfKey: CsrfKey,
    private readonly isOperator: (email: string) => boolean,
    private readonly audit: AuditLog,
    private readonly clock: Clock,
    readonly limits: SessionLimits = SESSION_LIMITS,
  ) {}

  /** Starts a session; the returned token goes into the cookie and nowhere else. */
  async create(userId: string, ip: string | null): Promise<{ token: string; expiresAt: Date }> {
    const now = this.clock.now();
    await this.store.deleteExpired(toStored(now), toStored(addSeconds(now, -this.limits.idleSeconds)));
    const token = randomBytes(32).toString('base64url');
    const expiresAt = addSeconds(now, this.limits.absoluteSeconds);
    await this.store.insert({ id: newId('ses'), tokenDigest: sha256Hex(token), userId, createdAt: toStored(now), expiresAt: toStored(expiresAt), ip });
    return { token, expiresAt };
  }

  /** The session of a cookie value, with the user's roles read now, so a removed member loses access at once. */
  async authenticate(cookieValue: string, now: Date): Promise<UserSession | undefined> {
    if (!COOKIE_VALUE.test(cookieValue)) return undefined;
    const stored = await this.store.findByDigest(sha256Hex(cookieValue));
    if (!stored) return undefined;
    const nowStored = toStored(now);
    if (stored.expiresAt <= nowStored || stored.lastSeenAt <= toStored(addSeconds(now, -this.limits.idleSeconds))) {
      await this.store.delete(stored.id);
      return undefined;
    }
    if (stored.lastSeenAt <= toStored(addSeconds(now, -this.limits.touchEverySeconds))) await this.store.touch(stored.id, nowStored);

    const memberships = await this.members.membershipsOf(stored.userId);
    const csrf = await this.csrfToken(cookieValue);
    return {
      id: stored.id,
      user: stored.user,
      operator: this.isOperator(stored.user.email),
      roles: new Map<string, Role>(memberships.map((m) => [m.tenantId, m.role])),
      unopenedTenants: new Set(memberships.filter((m) => m.joinedAt === null).map((m) => m.tenantId)),
      signedIn: { at: stored.createdAt, ip: stored.ip },
      stepUpUntil: stored.stepUpUntil,
      csrfValid: (token) => typeof token === 'string' && digestsEqual(token, csrf),
    };
  }

  /**
   * The first request of a member to a tenant joins them: from then on the tenant's audit log gets their sign-ins
   * (see SignInService). This session's own sign-in goes in now, at the time and address it was made, so the log
   * shows how the member got in.
   */
  async openTenant(session: UserSession, tenantId: string): Promise<void> {
    // An operator looks at every tenant as an operator: a tenant that added an operator's address is not joined so.
    if (session.operator || !session.unopenedTenants.has(tenantId)) return;
    const joined = await this.members.markJoined(tenantId, session.user.id, toStored(this.clock.now()));
    if (!joined) return;
    const user = { type: 'user' as const, id: session.user.id };
    await this.audit.record({ actor: user, ip: session.signedIn.ip }, tenantId, 'auth.signed_in', user,
      { email: session.user.email, operator: false }, session.signedIn.at);
  }

  /** Derived from the cookie value under the server key: nothing to store, and useless without the cookie. */
  csrfToken(cookieValue: string): Promise<string> {
    return this.csrfKey.digest(`csrf\n${cookieValue}`);
  }

  async setStepUp(sessionId: string, until: Date): Promise<void> {
    await this.store.setStepUp(sessionId, toStored(until));
  }

  /** The user's tenants with names and roles, for `GET /v1/auth/me`. */
  memberships(userId: string): Promise<TenantMembership[]> {
    return this.store.membershipsWithNames(userId);
  }

  async end(sessionId: string): Promise<void> {
    await this.store.delete(sessionId);
  }
}
