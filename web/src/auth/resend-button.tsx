// "Resend code", disabled with a visible countdown until another code may be sent.
import { useState } from 'react';
import { resendLabel } from './otp-messages.js';

/** `label`, with the countdown while it runs: "Resend code", or "Send a new code" when the last one is blocked. */
export function ResendButton({ secondsLeft, onResend, label = 'Resend code' }: { secondsLeft: number; onResend: () => Promise<void>; label?: string }) {
  const [busy, setBusy] = useState(false);
  const waiting = secondsLeft > 0;
  return (
    <button
      type="button"
      className="button"
      disabled={waiting || busy}
      onClick={async () => {
        setBusy(true);
        try {
          await onResend();
        } finally {
          setBusy(false);
        }
      }}
    >
      {resendLabel(secondsLeft, label)}
    </button>
  );
}
