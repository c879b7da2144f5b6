// The error of a sign-in or step-up call: our headline for OTP codes, then the server's details.
import { errorText } from '../api/api-error.js';
import { otpHeadline } from './otp-messages.js';

export function OtpError({ error }: { error: unknown }) {
  if (error === null || error === undefined) return null;
  const headline = otpHeadline(error);
  const details = errorText(error);
  return (
    <div className="alert alert-error" role="alert">
      {headline && <strong>{headline} </strong>}
      {details !== headline && <span>{details}</span>}
    </div>
  );
}
