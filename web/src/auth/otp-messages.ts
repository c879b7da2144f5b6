// Plain-words messages for the errors of code sign-in and step-up: a short headline and, where the server's `details`
// would repeat it or disagree with the page, the dashboard's own next step.
import { ApiError, errorText } from '../api/api-error.js';

const HEADLINES: Record<string, string> = {
  otp_invalid: 'Wrong code.',
  otp_expired: 'Code no longer valid.',
  otp_locked: 'Code blocked after too many wrong tries.',
  // Said of any code sent within the cooldown: the dashboard cannot tell whether it was used (in another tab, say).
  rate_limited: 'A code was sent less than a minute ago.',
};

/** The headline of a cooldown that this tab's own sign-in started: the code it holds was used to sign in. */
const USED_CODE_HEADLINE = 'The code you signed in with is used up.';

/**
 * The headline of a step-up panel opened after an earlier one saw the code blocked: nothing was typed in this one,
 * so it says which code, and a cooldown met now is that code's.
 */
const BLOCKED_CODE_HEADLINE = 'The last code was blocked after too many wrong tries.';

/** The label of the resend button once a code is blocked; the blocked message points to it once it can be pressed. */
export const SEND_NEW_CODE = 'Send a new code';

/** The resend button's label: its countdown while one runs, else `label`. */
export function resendLabel(secondsLeft: number, label: string): string {
  return secondsLeft > 0 ? `${label} in ${secondsLeft} s` : label;
}

/**
 * `lastCodeUsed`: this tab signed in with the last code for the address (see code-sign-ins.ts), so a cooldown
 * is not said as if that code could still be typed. `lastCodeBlocked`: an earlier step-up panel saw the last code
 * blocked (see step-up-lock.ts), so the block, or a cooldown that is that code's, is said of that code.
 */
export function otpHeadline(error: unknown, lastCodeUsed = false, lastCodeBlocked = false): string | null {
  if (!(error instanceof ApiError)) return null;
  if (error.code === 'rate_limited' && lastCodeUsed) return USED_CODE_HEADLINE;
  if ((error.code === 'rate_limited' || error.code === 'otp_locked') && lastCodeBlocked) return BLOCKED_CODE_HEADLINE;
  return HEADLINES[error.code] ?? null;
}

/** The code was burned by wrong tries: only a new one can sign in. */
export function isOtpLocked(error: unknown): error is ApiError {
  return error instanceof ApiError && error.code === 'otp_locked';
}

/**
 * What follows the headline. The server's `details` unless they only repeat it (a wrong code) or count a cooldown
 * of their own: the wait is said from `secondsLeft`, the countdown the resend button shows, so the two agree.
 *
 * @example
 * otpDetails(wrongCode, 0); // "Check the code in the newest e-mail and type it again."
 */
export function otpDetails(error: unknown, secondsLeft: number, lastCodeUsed = false, lastCodeBlocked = false): string {
  if (!(error instanceof ApiError)) return errorText(error);
  // The code holding the cooldown cannot be typed: used up, or blocked.
  if (error.code === 'rate_limited' && (lastCodeUsed || lastCodeBlocked)) return newCodeWhen(secondsLeft);
  switch (error.code) {
    case 'otp_invalid':
      return 'Check the code in the newest e-mail and type it again.';
    case 'otp_locked':
      // Never "use the code already sent": that is the blocked one.
      return newCodeWhen(secondsLeft);
    case 'rate_limited':
      // No promise that the code is usable: it may have been used, here or elsewhere.
      return secondsLeft > 0
        ? `Enter it if you have not used it yet, or ask for a new one in ${secondsLeft} s.`
        : 'Enter it if you have not used it yet, or ask for a new one now.';
    default:
      return error.details;
  }
}

/** When a new code can be asked for, as the button that asks for it says: counting down, then by its label. */
function newCodeWhen(secondsLeft: number): string {
  return secondsLeft > 0 ? `You can ask for a new code in ${secondsLeft} s.` : `Press “${SEND_NEW_CODE}” to get another.`;
}

/** Seconds to wait before asking for another code: `retry_after_seconds`/`Retry-After`, else the contract's 60. */
export function resendDelay(value: number | null | undefined): number {
  return typeof value === 'number' && value > 0 ? value : 60;
}

/** Keeps the digits of what was typed or pasted ("123 456", "123-456"), at most six. */
export function codeDigits(text: string): string {
  return text.replace(/\D/g, '').slice(0, 6);
}
