// Step two of sign-in: the 6-digit code, with resend after the countdown and a way back to the e-mail step.
import { type FormEvent, useState } from 'react';
import type { LatchkeyApi } from '../api/latchkey-api.js';
import { CodeInput } from './code-input.js';
import { OtpError } from './otp-error.js';
import { isOtpLocked, SEND_NEW_CODE } from './otp-messages.js';
import { ResendButton } from './resend-button.js';

interface CodeStepProps {
  api: LatchkeyApi;
  email: string;
  /** A message carried over from sending (e.g. a 429 because a code went out moments ago). */
  notice: unknown;
  /** This tab signed in with the last code sent to this address, so a cooldown in `notice` is about a used code. */
  lastCodeUsed: boolean;
  /** The `otp_locked` error of the last code sent to this address, until a new one is sent: that code can never sign in. */
  blocked: unknown;
  onBlocked: (error: unknown) => void;
  secondsLeft: number;
  onResend: () => Promise<boolean>;
  onChangeEmail: () => void;
  onSignedIn: () => void;
}

export function CodeStep({ api, email, notice, lastCodeUsed, blocked, onBlocked, secondsLeft, onResend, onChangeEmail, onSignedIn }: CodeStepProps) {
  const [code, setCode] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [resent, setResent] = useState(false);

  // A blocked code cannot sign in whatever is typed; only a new code can. Said until one is sent, even when asking
  // for it meets the cooldown (429), so that the page never points at the blocked code as "the code already sent".
  const locked = blocked !== null || isOtpLocked(error);
  const shown = error ?? blocked ?? notice;
  // Asked again right after signing out: no code went out now, and the last one was spent on that sign-in.
  const noCodeSent = lastCodeUsed && notice !== null && !resent;

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (locked) return;
    setBusy(true);
    setError(null);
    try {
      await api.auth.verifyOtp(email, code);
      onSignedIn();
    } catch (cause) {
      setError(cause);
      if (isOtpLocked(cause)) onBlocked(cause);
      setBusy(false);
      // "Sign in" was disabled while busy, which left the focus on <body>: back to the code, to correct it.
      document.getElementById('sign-in-code')?.focus();
    }
  }

  async function resend() {
    setError(null);
    setResent(false);
    try {
      if (await onResend()) {
        setCode('');
        setResent(true);
      }
    } catch (cause) {
      setError(cause);
    }
  }

  return (
    <form onSubmit={submit} aria-labelledby="code-step-title">
      <h2 id="code-step-title">Check your e-mail</h2>
      <p id="code-sent-to">
        {noCodeSent ? (
          <>
            The last code sent to <strong>{email}</strong> was used to sign in, so there is no code to enter yet.
          </>
        ) : (
          <>
            We sent a 6-digit code to <strong>{email}</strong>. It is valid for 10 minutes.
          </>
        )}
      </p>
      <CodeInput
        id="sign-in-code"
        label="Sign-in code"
        value={code}
        onChange={setCode}
        describedBy="code-sent-to"
        problemId={shown !== null ? 'sign-in-error' : undefined}
        autoFocus
      />
      {resent && <p className="notice" role="status">A new code is on its way.</p>}
      <OtpError id="sign-in-error" error={shown} secondsLeft={secondsLeft} lastCodeUsed={shown === notice && lastCodeUsed} />
      <div className="actions">
        <button type="submit" className="button button-primary" disabled={busy || locked || code.length !== 6}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
        <ResendButton secondsLeft={secondsLeft} onResend={resend} label={locked || lastCodeUsed ? SEND_NEW_CODE : 'Resend code'} />
        <button type="button" className="button button-link" onClick={onChangeEmail}>
          Use a different e-mail
        </button>
      </div>
    </form>
  );
}
