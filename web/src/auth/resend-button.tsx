// "Resend code", disabled with a visible countdown until another code may be sent.
import { useState } from 'react';

export function ResendButton({ secondsLeft, onResend }: { secondsLeft: number; onResend: () => Promise<void> }) {
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
      {waiting ? `Resend code in ${secondsLeft} s` : 'Resend code'}
    </button>
  );
}
