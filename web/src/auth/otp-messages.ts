// Plain-words messages for the errors of code sign-in and step-up: a short headline and, where the server's `details`
// would repeat it or disagree with the page, the dashboard's own next step.
import { ApiError, errorText } from '../api/api-error.js';

const HEADLINES: Record<string, string> = {
  otp_invalid: 'Wrong code.',
  otp_expired: 'Code no longer valid.',
  otp_locked: 'Code blocked after too many wrong tries.',
  rate_limited: 'Use the code already sent.',
};

/** The label of the resend button once a code is blocked; the blocked message points to it once it can be pressed. */
export const SEND_NEW_CODE = 'Send a new code';

/** The resend button's label: its countdown while one runs, else `label`. */
export function resendLabel(secondsLeft: number, label: string): string {
  return secondsLeft > 0 ? `${label} in ${secondsLeft} s` : label;
}

export function otpHeadline(error: unknown): string | null {
  return error instanceof ApiError ? (HEADLINES[error.code] ?? null) : null;
}

/** The code was burned by wrong tries: only a new one can sign in. */
export function isOtpLocked(error: unknown): boolean {
  return error instanceof ApiError && error.code === 'otp_locked';
}

/**
 * What follows the headline. The server's `details` unless they only repeat it (a wrong code) or count a cooldown
 * of their own: the wait is said from `secondsLeft`, the countdown the resend button shows, so the two agree.
 *
 * @example
 * otpDetails(wrongCode, 0); // "Check the code in the newest e-mail and type it again."
 */
export function otpDetails(error: unknown, secondsLeft: number): string {
  if (!(error instanceof ApiError)) return errorText(error);
  switch (error.code) {
    case 'otp_invalid':
      return 'Check the code in the newest e-mail and type it again.';
    case 'otp_locked':
      // Never "use the code already sent": that is the blocked one.
      return secondsLeft > 0 ? `You can ask for a new code in ${secondsLeft} s.` : `Press “${SEND_NEW_CODE}” to get another.`;
    case 'rate_limited':
      return secondsLeft > 0 ? `A code was sent moments ago; you can ask for another in ${secondsLeft} s.` : 'You can ask for another code now.';
    default:
      return error.details;
  }
}

/** Seconds to wait before asking for another code: `retry_after_seconds`/`Retry-After`, else the contract's 60. */
export function resendDelay(value: number | null | undefined): number {
  return typeof value === 'number' && value > 0 ? value : 60;
}

/** Keeps the digits of what was typed or pasted ("123 456", "123-456"), at most six. */
export function codeDigits(text: string): string {
  return text.replace(/\D/g, '').slice(0, 6);
}
