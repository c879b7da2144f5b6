// Plain-words titles for the errors of code sign-in and step-up; the server's `details` follow them.
import { ApiError } from '../api/api-error.js';

// Short titles: the server's `details` that follow them say what to do, so the two together do not repeat.
const HEADLINES: Record<string, string> = {
  otp_invalid: 'Wrong code.',
  otp_expired: 'Code no longer valid.',
  otp_locked: 'Code blocked after too many wrong tries.',
  rate_limited: 'Use the code already sent.',
};

export function otpHeadline(error: unknown): string | null {
  return error instanceof ApiError ? (HEADLINES[error.code] ?? null) : null;
}

/** Seconds to wait before asking for another code: `retry_after_seconds`/`Retry-After`, else the contract's 60. */
export function resendDelay(value: number | null | undefined): number {
  return typeof value === 'number' && value > 0 ? value : 60;
}

/** Keeps the digits of what was typed or pasted ("123 456", "123-456"), at most six. */
export function codeDigits(text: string): string {
  return text.replace(/\D/g, '').slice(0, 6);
}
