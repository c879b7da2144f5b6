// The error of a sign-in or step-up call: our headline for OTP codes, then what to do, said once.
import { useEffect, useRef } from 'react';
import { otpDetails, otpHeadline } from './otp-messages.js';

/**
 * `secondsLeft` is the countdown of the resend button, so that a cooldown is told with the same number; `id` lets the
 * code input name the message as its description; `lastCodeUsed`: the code a cooldown is about was used to sign in;
 * `lastCodeBlocked`: an earlier step-up panel saw the last code blocked, and the block or cooldown is said of it.
 */
export function OtpError({
  error,
  secondsLeft = 0,
  id,
  lastCodeUsed = false,
  lastCodeBlocked = false,
}: {
  error: unknown;
  secondsLeft?: number;
  id?: string;
  lastCodeUsed?: boolean;
  lastCodeBlocked?: boolean;
}) {
  const alert = useRef<HTMLDivElement>(null);
  // At the foot of a dialog that scrolls, the message may appear below what is visible. In braces: Chromium's
  // scrollIntoView may return a promise, which React would take for a cleanup function.
  useEffect(() => {
    alert.current?.scrollIntoView({ block: 'nearest' });
  }, [error]);
  if (error === null || error === undefined) return null;
  const headline = otpHeadline(error, lastCodeUsed, lastCodeBlocked);
  const details = otpDetails(error, secondsLeft, lastCodeUsed, lastCodeBlocked);
  return (
    <div ref={alert} id={id} className="alert alert-error" role="alert">
      {headline && <strong>{headline} </strong>}
      {details !== headline && <span>{details}</span>}
    </div>
  );
}
