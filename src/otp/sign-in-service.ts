// Dashboard sign-in and step-up by one-time code: who may receive a code, what a verified code grants, the audit trail.
import { invalidRequest, LatchkeyError } from '../core/errors.js';
import { newId } from '../core/ids.js';
import { addSeconds, toStored, toWire } from '../core/time.js';
import type { UserSession } from '../http/principal.js';
import type { AuditLog } from '../manage/audit-log.js';
import type { ActionContext, Clock } from '../manage/context.js';
import { normalizeEmail } from '../core/email.js';
import type { AuditAction } from '../store/audit-store.js';
import type { MemberStore, User } from '../store/member-store.js';
import type { SessionService } from '../sessions/session-service.js';
import type { ChannelName, OtpChannel } from './otp-channel.js';
import { type Cooldown, OTP_RULES, type OtpChallenges, type VerifyOutcome } from './otp-challenges.js';

/** How long a step-up verification lets a session create, regenerate and rotate keys. */
export const STEP_UP_SECONDS = 15 * 60;

export interface SignedIn {
  user: { id: string; email: string };
  token: string;
  expiresAt: Date;
}

export interface SignInDeps {
  challenges: OtpChallenges;
  channels: ReadonlyMap<ChannelName, OtpChannel>;
  members: MemberStore;
  sessions: SessionService;
  audit: AuditLog;
  operators: ReadonlySet<string>;
  clock: Clock;
  logger: { warn(fields: Record<string, unknown>, message: string): void };
}

/** How long `close` waits for sign-in codes still being sent (a mail server may hang). */
const CLOSE_WAIT_MS = 5000;

export class SignInService {
  /**
   * Work done after its request was answered, so that the answer's timing does not tell whether an address is known:
   * sign-in codes being looked up, stored and sent, and wrong sign-in codes being audited.
   */
  private readonly afterAnswer = new Set<Promise<void>>();

  constructor(private readonly deps: SignInDeps) {}

  /** The channels a step-up may ask for on this deployment. */
  channelNames(): ChannelName[] {
    return [...this.deps.channels.keys()];
  }

  /**
   * Sends a sign-in code by e-mail to a known address: a member of some tenant, or an operator. An
   * unknown address gets the same answer and the same cooldown, and nothing is sent.
   *
   * Only the cooldown is claimed before the answer (`202`, or `429` while one runs). Looking the address
   * up, storing the code and sending it come after, so neither the answer nor its timing tells whether
   * the address is known. A failed delivery is logged and gives the cooldown back.
   */
  async requestSignInCode(email: string, ip: string | null): Promise<void> {
    const address = normalizeEmail(email);
    await this.deps.challenges.claimRequestFrom(ip);
    const cooldown = await this.deps.challenges.claimCooldown('sign_in', address);
    this.runAfterAnswer(() => this.sendSignInCode(address, cooldown));
  }

  /** Waits (up to 5 s) for sign-in codes still being sent and audited, before the storage they use is closed. */
  async close(): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const waited = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, CLOSE_WAIT_MS).unref();
    });
    await Promise.race([Promise.all(this.afterAnswer), waited]);
    clearTimeout(timer);
  }

  private async sendSignInCode(address: string, cooldown: Cooldown): Promise<void> {
    try {
      const user = await this.deps.members.findUserByEmail(address);
      const channel = this.deps.channels.get('email');
      if (!channel) return;
      if (!(await this.mayReceiveCodes(address, user))) {
        await this.deps.challenges.storeUnsent({ purpose: 'sign_in', subject: address, channelName: 'email', userId: null });
        return;
      }
      await this.deps.challenges.send(cooldown, { purpose: 'sign_in', address, subject: address, channelName: 'email', channel, userId: user?.id ?? null });
    } catch (error) {
      // A failed delivery was logged where it failed, without the address; anything else (storage) is logged here.
      if (error instanceof LatchkeyError && error.code === 'unavailable') return;
      this.deps.logger.warn({ err: error }, 'a sign-in code could not be issued');
    }
  }

  async verifySignIn(email: string, code: string, ip: string | null): Promise<SignedIn> {
    const address = normalizeEmail(email);
    const digits = codeDigits(code);
    await this.deps.challenges.claimTryFrom(ip);
    const outcome = await this.deps.challenges.verify('sign_in', address, digits);
    let user = await this.deps.members.findUserByEmail(address);
    if (!outcome.ok) {
      // Audited after the answer: only a known address's wrong code is, and to more tenants the more it joined, so
      // waiting for it would make a known address's answer measurably slower than an unknown one's.
      const known = user;
      this.runAfterAnswer(async () => {
        await new Promise<void>((resolve) => setImmediate(resolve));
        await this.recordFailure(outcome, known, address, 'sign_in', ip).catch((error: unknown) => this.deps.logger.warn({ err: error }, 'a wrong sign-in code could not be audited'));
      });
      throw new LatchkeyError(outcome.code);
    }
    // A right code of an address that gets none (a stored, unsent one guessed), or of someone removed from every
    // tenant (or the operator list) since it was sent: answered as a wrong code.
    if (!(await this.mayReceiveCodes(address, user))) throw new LatchkeyError('otp_invalid');
    user ??= await this.ensureOperatorUser(address);
    const session = await this.deps.sessions.create(user.id, ip);
    await this.recordForUser(user.id, { actor: { type: 'user', id: user.id }, ip }, 'auth.signed_in', { email: user.email, operator: this.deps.operators.has(address) });
    return { user: { id: user.id, email: user.email }, token: session.token, expiresAt: session.expiresAt };
  }

  /** Sends a step-up code to the session's user by the channel asked for. */
  async requestStepUp(session: UserSession, channelName: ChannelName): Promise<void> {
    const channel = this.deps.channels.get(channelName);
    if (!channel) {
      throw invalidRequest([{ field: 'channel', message: `${channelName} is not configured on this server; use one of: ${this.channelNames().join(', ')}` }]);
    }
    const address = channelName === 'whatsapp' ? session.user.phone : session.user.email;
    if (address === null) {
      throw invalidRequest([{ field: 'channel', message: 'whatsapp needs a phone number on your account; ask an owner or admin to add one, or use email' }]);
    }
    await this.deps.challenges.issue({ purpose: 'step_up', address, subject: session.id, channelName, channel, userId: session.user.id });
  }

  /** Checks a step-up code; the session may then create, regenerate and rotate keys for 15 minutes. */
  async verifyStepUp(session: UserSession, code: string, ip: string | null): Promise<Date> {
    const outcome = await this.deps.challenges.verify('step_up', session.id, codeDigits(code));
    if (!outcome.ok) {
      await this.recordFailure(outcome, session.user, session.user.email, 'step_up', ip);
      throw new LatchkeyError(outcome.code);
    }
    const until = addSeconds(this.deps.clock.now(), STEP_UP_SECONDS);
    await this.deps.sessions.setStepUp(session.id, until);
    await this.recordForUser(session.user.id, { actor: { type: 'user', id: session.user.id }, ip }, 'auth.step_up', {
      channel: outcome.challenge.channel,
      until: toWire(toStored(until)),
    });
    return until;
  }

  /** The end of the session's step-up in wire form, or null when there is none or it has passed. */
  stepUpActiveUntil(session: UserSession): string | null {
    const until = session.stepUpUntil;
    return until !== null && until > toStored(this.deps.clock.now()) ? toWire(until) : null;
  }

  async signOut(session: UserSession, ip: string | null): Promise<void> {
    await this.deps.sessions.end(session.id);
    await this.recordForUser(session.user.id, { actor: { type: 'user', id: session.user.id }, ip }, 'auth.signed_out', { email: session.user.email });
  }

  /** Starts `work` without waiting for it; `close` waits for it. `work` handles its own failures. */
  private runAfterAnswer(work: () => Promise<void>): void {
    const running = work().finally(() => this.afterAnswer.delete(running));
    this.afterAnswer.add(running);
  }

  private async mayReceiveCodes(address: string, user: User | undefined): Promise<boolean> {
    if (this.deps.operators.has(address)) return true;
    return user !== undefined && (await this.deps.members.membershipsOf(user.id)).length > 0;
  }

  /** An operator signs in before anyone added them anywhere: their user row appears on first sign-in. */
  private ensureOperatorUser(address: string): Promise<User> {
    // Another request may make it first (unique e-mail); that row is as good.
    return this.deps.members.findOrInsertUser({ id: newId('usr'), email: address, phone: null, createdAt: toStored(this.deps.clock.now()) });
  }

  /** Each wrong code is audited (never the code itself); an expired or missing one is not a guess. */
  private async recordFailure(outcome: Exclude<VerifyOutcome, { ok: true }>, user: { id: string } | undefined, address: string, purpose: string, ip: string | null): Promise<void> {
    if (outcome.code === 'otp_expired' || !outcome.wrongTry) return;
    // Tries at an address that gets no codes are no one's: not audited, or anyone could fill the log.
    if (user === undefined && !this.deps.operators.has(address)) return;
    const details = { purpose, email: address, tries_left: OTP_RULES.maxWrongTries - outcome.tries, locked: outcome.code === 'otp_locked' };
    await this.recordForUser(user?.id ?? null, { actor: { type: 'user', id: user?.id ?? null }, ip }, 'auth.otp_failed', details, address);
  }

  /**
   * Sign-in entries go to the audit log of every tenant the user has joined (used since being added), so each
   * tenant's owners see them. A tenant that only added the address sees none: anyone who may add members may add
   * any address, and would otherwise learn when and from where its owner signs in elsewhere. A user who joined no
   * tenant (an operator, someone just added) gets one entry without a tenant, for operators.
   */
  private async recordForUser(userId: string | null, ctx: ActionContext, action: AuditAction, details: Record<string, unknown>, address?: string): Promise<void> {
    const target = userId ? { type: 'user', id: userId } : { type: 'email', id: address ?? '' };
    const tenants = userId ? (await this.deps.members.membershipsOf(userId)).filter((m) => m.joinedAt !== null).map((m) => m.tenantId) : [];
    if (tenants.length === 0) {
      await this.deps.audit.record(ctx, null, action, target, details);
      return;
    }
    for (const tenantId of tenants) await this.deps.audit.record(ctx, tenantId, action, target, details);
  }
}

/**
 * The digits of a code as typed: blanks and dashes between groups (`123 456`, `123-456`) are dropped. What is then not
 * six digits can never be a code, so it is refused as a bad request without using up one of the code's tries.
 */
function codeDigits(code: string): string {
  const digits = code.replace(/[\s-]/g, '');
  if (!/^\d{6}$/.test(digits)) throw invalidRequest([{ field: 'code', message: 'must be the 6 digits of the code' }]);
  return digits;
}
