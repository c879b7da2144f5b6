// One-time code challenges: issue (cooldown, code, digest, delivery) and verify (expiry, single use, tries).
import { randomInt } from 'node:crypto';
import { digestsEqual } from '../core/digest.js';
import { LatchkeyError } from '../core/errors.js';
import { newId } from '../core/ids.js';
import { addSeconds, toStored } from '../core/time.js';
import type { OtpThrottle } from '../limits/otp-throttle.js';
import type { Clock } from '../manage/context.js';
import type { OtpChallenge, OtpStore } from '../store/otp-store.js';
import { type ChannelName, DeliveryError, type OtpChannel, type OtpPurpose } from './otp-channel.js';
import type { ServerKey } from './server-key.js';

/** The contract's OTP rules (CONTRACT.md section 5). */
export const OTP_RULES = {
  validSeconds: { email: 600, whatsapp: 300 } satisfies Record<ChannelName, number>,
  maxWrongTries: 5,
  cooldownSeconds: 60,
  /**
   * Tries of one address (sign-in) or session (step-up) over all its codes, in the hour from the first of them:
   * past it, each code is locked as it is tried. Five tries a code and a code a minute would otherwise allow 7200
   * guesses a day; this allows 15 an hour.
   */
  maxTriesPerHour: 15,
  /**
   * Sign-in tries from one client address in the hour from its first; past it the address gets `429` until then.
   * Guesses spread over many known addresses from one place meet this, where the per-address cap does not.
   */
  maxTriesPerIpPerHour: 300,
  /**
   * Codes sent to one address for one purpose in the hour from the first: with a code a minute, someone who knows
   * an address could otherwise have 60 mails an hour sent to it.
   */
  maxCodesPerHour: 10,
  /** Sign-in code requests from one client address in the hour from its first, over all e-mail addresses. */
  maxCodeRequestsPerIpPerHour: 100,
};

const HOUR_SECONDS = 3600;

export interface IssueRequest {
  purpose: OtpPurpose;
  /** Where the code goes (e-mail address or phone): the cooldown counts per address and purpose. */
  address: string;
  /** What the code unlocks: the e-mail address for sign-in, the session id for step-up. */
  subject: string;
  channelName: ChannelName;
  /** `undefined` for an unknown address: the cooldown applies, nothing is sent. */
  channel: OtpChannel | undefined;
  userId: string | null;
}

/** A claimed cooldown: what `send` gives back when the code cannot be delivered. */
export interface Cooldown {
  scope: string;
}

export type VerifyOutcome =
  | { ok: true; challenge: OtpChallenge }
  | { ok: false; code: 'otp_expired' }
  | { ok: false; code: 'otp_invalid' | 'otp_locked'; challenge: OtpChallenge; wrongTry: boolean; tries: number };

export interface IssueFailureLogger {
  warn(fields: Record<string, unknown>, message: string): void;
}

export class OtpChallenges {
  constructor(
    private readonly store: OtpStore,
    private readonly throttle: OtpThrottle,
    private readonly serverKey: ServerKey,
    private readonly clock: Clock,
    private readonly logger: IssueFailureLogger,
  ) {}

  /**
   * Claims the address's cooldown (429 while one runs), then stores and sends a new code. A failed
   * delivery answers 503 and gives the cooldown back, so the user can retry at once.
   */
  async issue(request: IssueRequest): Promise<void> {
    const cooldown = await this.claimCooldown(request.purpose, request.address);
    if (request.channel) await this.send(cooldown, { ...request, channel: request.channel });
  }

  /**
   * Claims the cooldown of `address` for `purpose`: one code per minute, and at most `maxCodesPerHour` in the hour
   * from the first; `429 rate_limited` otherwise.
   */
  async claimCooldown(purpose: OtpPurpose, address: string): Promise<Cooldown> {
    const scope = await this.serverKey.digest(`cooldown\n${purpose}\n${address}`);
    const claim = await this.throttle.claimCooldown(scope, OTP_RULES.cooldownSeconds);
    if (!claim.ok) {
      throw new LatchkeyError('rate_limited', `A code was sent moments ago; request another in ${claim.retryAfterSeconds} seconds.`, {
        headers: { 'Retry-After': String(claim.retryAfterSeconds) },
      });
    }
    await this.countHourly(`sent:${scope}`, OTP_RULES.maxCodesPerHour, `${OTP_RULES.maxCodesPerHour} codes were sent to this address in the last hour`);
    return { scope };
  }

  /** A sign-in code request from client address `ip`: at most `maxCodeRequestsPerIpPerHour`; `429` past it. */
  async claimRequestFrom(ip: string | null): Promise<void> {
    if (ip === null) return;
    const scope = await this.serverKey.digest(`ip\n${ip}`);
    await this.countHourly(`requests-ip:${scope}`, OTP_RULES.maxCodeRequestsPerIpPerHour, 'Too many sign-in codes were requested from your address');
  }

  /**
   * Stores and sends a new code under a claimed cooldown. A failed delivery discards the code, gives the
   * cooldown back and throws `503 unavailable`; the reason is logged, never the code.
   */
  async send(cooldown: Cooldown, request: IssueRequest & { channel: OtpChannel }): Promise<void> {
    const { id, code, subject, now, expiresAt, validSeconds } = await this.storeNew(request);
    try {
      await request.channel.deliver({ to: request.address, code, purpose: request.purpose, expiresAt, validMinutes: validSeconds / 60 });
    } catch (error) {
      await this.store.delete(id);
      await this.throttle.releaseCooldown(cooldown.scope);
      this.logger.warn({ channel: request.channelName, reason: error instanceof DeliveryError ? error.message : String(error) }, 'a one-time code could not be delivered');
      throw new LatchkeyError('unavailable', `The code could not be sent by ${request.channelName}; try again shortly.`);
    }
    await this.store.prune(subject, id, toStored(now));
  }

  /**
   * Stores a code that nobody receives, for an address that gets none (unknown, or in no tenant): trying codes
   * against it answers as for a known address (`otp_invalid`, then `otp_locked`), so answers do not tell which
   * addresses exist. Guessing it signs nobody in (the caller checks the address again).
   */
  async storeUnsent(request: Omit<IssueRequest, 'channel' | 'address'>): Promise<void> {
    const { id, subject, now } = await this.storeNew(request);
    await this.store.prune(subject, id, toStored(now));
  }

  private async storeNew(request: Pick<IssueRequest, 'purpose' | 'subject' | 'channelName' | 'userId'>) {
    const now = this.clock.now();
    const validSeconds = OTP_RULES.validSeconds[request.channelName];
    const id = newId('otp');
    const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
    const subject = await this.subjectDigest(request.purpose, request.subject);
    const expiresAt = addSeconds(now, validSeconds);
    await this.store.insert({
      id,
      purpose: request.purpose,
      subject,
      codeDigest: await this.codeDigest(id, code),
      channel: request.channelName,
      userId: request.userId,
      createdAt: toStored(now),
      expiresAt: toStored(expiresAt),
      usedAt: null,
      lockedAt: null,
    });
    return { id, code, subject, now, expiresAt, validSeconds };
  }

  /**
   * Counts a sign-in try from `ip` (none when unknown); past the allowance of the hour from its first try,
   * `429 rate_limited` with `Retry-After` until that hour is over.
   */
  async claimTryFrom(ip: string | null): Promise<void> {
    if (ip === null) return;
    const scope = await this.serverKey.digest(`ip\n${ip}`);
    await this.countHourly(`ip:${scope}`, OTP_RULES.maxTriesPerIpPerHour, 'Too many sign-in codes were tried from your address');
  }

  /** Counts one more under `counter` (named by a digest) in the hour from its first; past `limit`, `429` until then. */
  private async countHourly(counter: string, limit: number, refusal: string): Promise<void> {
    const { count, resetInSeconds } = await this.throttle.incrementTries(counter, HOUR_SECONDS);
    if (count <= limit) return;
    throw new LatchkeyError('rate_limited', `${refusal}; try again in ${Math.ceil(resetInSeconds / 60)} minutes.`, {
      headers: { 'Retry-After': String(resetInSeconds) },
    });
  }

  /**
   * Checks a code against the subject's newest challenge. Every attempt counts before the comparison,
   * so parallel guesses cannot exceed the limit; the correct code consumes the challenge.
   */
  async verify(purpose: OtpPurpose, subjectValue: string, code: string): Promise<VerifyOutcome> {
    const now = this.clock.now();
    const subject = await this.subjectDigest(purpose, subjectValue);
    const challenge = await this.store.newest(subject);
    if (!challenge || challenge.usedAt !== null || challenge.expiresAt <= toStored(now)) return { ok: false, code: 'otp_expired' };
    if (challenge.lockedAt !== null) return { ok: false, code: 'otp_locked', challenge, wrongTry: false, tries: OTP_RULES.maxWrongTries };
    // The subject digest names the counter, never the address itself (it becomes a Redis key name).
    if ((await this.throttle.incrementTries(`hour:${subject}`, HOUR_SECONDS)).count > OTP_RULES.maxTriesPerHour) {
      await this.store.lock(challenge.id, toStored(now));
      return { ok: false, code: 'otp_locked', challenge, wrongTry: false, tries: OTP_RULES.maxWrongTries };
    }

    const leftSeconds = Math.max(1, Math.ceil((Date.parse(challenge.expiresAt) - now.getTime()) / 1000));
    const tries = (await this.throttle.incrementTries(challenge.id, leftSeconds)).count;
    if (tries > OTP_RULES.maxWrongTries) {
      // Many tries at once (a form sent again and again): one of them may have taken the right code meanwhile. The
      // others then tried a used code, not one worn out by wrong tries.
      if (!(await this.store.lock(challenge.id, toStored(now))) && (await this.store.isUsed(challenge.id))) return { ok: false, code: 'otp_expired' };
      return { ok: false, code: 'otp_locked', challenge, wrongTry: false, tries: OTP_RULES.maxWrongTries };
    }
    if (digestsEqual(await this.codeDigest(challenge.id, code), challenge.codeDigest)) {
      // Two requests with the right code at once: only one consumes it.
      return (await this.store.consume(challenge.id, toStored(now))) ? { ok: true, challenge } : { ok: false, code: 'otp_expired' };
    }
    if (tries === OTP_RULES.maxWrongTries) {
      await this.store.lock(challenge.id, toStored(now));
      return { ok: false, code: 'otp_locked', challenge, wrongTry: true, tries };
    }
    return { ok: false, code: 'otp_invalid', challenge, wrongTry: true, tries };
  }

  private subjectDigest(purpose: OtpPurpose, subject: string): Promise<string> {
    return this.serverKey.digest(`subject\n${purpose}\n${subject}`);
  }

  /** Keyed by the challenge id too, so the same code in two challenges has two digests. */
  private codeDigest(challengeId: string, code: string): Promise<string> {
    return this.serverKey.digest(`code\n${challengeId}\n${code}`);
  }
}
