// Plain-words headlines for the errors of code sign-in and step-up; the server's `details` follow them.
import { ApiError } from '../api/api-error.js';

const HEADLINES: Record<string, string> = {
  otp_invalid: 'That code is not correct.',
  otp_expired: 'That code has expired or was already used. Request a new code.',
  otp_locked: 'Too many wrong tries: this code is blocked. Request a new code.',
  rate_limited: 'A code was sent moments ago.',
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
