// The error of a sign-in or step-up call: our headline for OTP codes, then what to do, said once.
import { otpDetails, otpHeadline } from './otp-messages.js';

/** `secondsLeft` is the countdown of the resend button, so that a cooldown is told with the same number. */
export function OtpError({ error, secondsLeft = 0 }: { error: unknown; secondsLeft?: number }) {
  if (error === null || error === undefined) return null;
  const headline = otpHeadline(error);
  const details = otpDetails(error, secondsLeft);
  return (
    <div className="alert alert-error" role="alert">
      {headline && <strong>{headline} </strong>}
      {details !== headline && <span>{details}</span>}
    </div>
  );
}
