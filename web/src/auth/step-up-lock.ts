// A step-up code blocked by wrong tries (`401 otp_locked`), as the dashboard remembers it once the panel that saw it
// is gone: only a new code can step up, and none can be sent until the cooldown of the blocked code's sending ends.
// Within that cooldown a new panel would otherwise meet `429 rate_limited` and send the person to "the code already
// sent", which is the blocked one.
import type { ApiError } from '../api/api-error.js';

/** The contract's cooldown: one step-up code a minute per address, whether it was used, blocked or neither. */
const COOLDOWN_MS = 60_000;

export interface StepUpLock {
  /** The server's `otp_locked` answer, shown again by a panel opened later. */
  error: ApiError;
  /** When the fifth wrong try blocked the code (ms since the epoch). */
  lockedAt: number;
  /** When a new code may be asked for (ms since the epoch), as the resend countdown had it; the past when it had run out. */
  newCodeAt: number;
}

/**
 * The lock to remember when a try answers `otp_locked` at `now`, with the resend countdown ending at `countdownEndsAt`.
 *
 * @example
 * blockedStepUpCode(error, 1_042_000, 1_000_000); // a new code in 42 s
 */
export function blockedStepUpCode(error: ApiError, countdownEndsAt: number, now = Date.now()): StepUpLock {
  return { error, lockedAt: now, newCodeAt: Math.max(now, countdownEndsAt) };
}

/**
 * Whether a cooldown (`429`) met at `now` can be the blocked code's own. That code was sent before it was blocked, so
 * its cooldown ends less than a minute after the block; a cooldown later than that is a code sent since (from another
 * tab, say), and the block is then no longer news about the last code.
 */
export function isBlockedCodesCooldown(lock: StepUpLock, now = Date.now()): boolean {
  return now >= lock.lockedAt && now - lock.lockedAt < COOLDOWN_MS;
}

/** The lock with the wait the server gave in a cooldown answer at `now`, which is exact where the countdown was not. */
export function withServerWait(lock: StepUpLock, retryAfterSeconds: number, now = Date.now()): StepUpLock {
  return { ...lock, newCodeAt: now + retryAfterSeconds * 1000 };
}
