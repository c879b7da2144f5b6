// Sign-in with a one-time code: the e-mail step, then the code step with a resend countdown.
import { useEffect, useRef, useState } from 'react';
import { ApiError } from '../api/api-error.js';
import type { LatchkeyApi } from '../api/latchkey-api.js';
import { EmailStep } from './email-step.js';
import { CodeStep } from './code-step.js';
import { rememberCodeSignIn, signedInWithCodeRecently } from './code-sign-ins.js';
import { resendDelay } from './otp-messages.js';
import { codeStepEmail, leaveCodeStep, pushCodeStep, useSignInSteps } from './sign-in-history.js';
import { useCountdown } from './use-countdown.js';

interface SignInPageProps {
  api: LatchkeyApi;
  /** The session ended while the dashboard was open; the address is kept, so signing in returns to the same page. */
  sessionEnded: boolean;
  onSignedIn: () => void;
}

export function SignInPage({ api, sessionEnded, onSignedIn }: SignInPageProps) {
  const [email, setEmail] = useState<string | null>(null);
  // The address last sent to, kept for "Use a different e-mail" and Back: a typo is corrected, not retyped.
  const [lastEmail, setLastEmail] = useState(() => codeStepEmail(window.history.state) ?? '');
  const [notice, setNotice] = useState<unknown>(null);
  // The cooldown in `notice` was started by this tab's own sign-in with that address's code, now used up.
  const [lastCodeUsed, setLastCodeUsed] = useState(false);
  // The address whose last code was blocked by wrong tries, with that error: kept through "Use a different e-mail".
  const [blocked, setBlocked] = useState<{ email: string; error: unknown } | null>(null);
  const [codeInLog, setCodeInLog] = useState(false);
  const [firstRunOperator, setFirstRunOperator] = useState<string | null>(null);
  const countdown = useCountdown();
  // Set while signing in, when the code step's entry is left on purpose and the e-mail step must not flash up.
  const signingIn = useRef(false);

  function showEmailStep() {
    if (email !== null) setLastEmail(email);
    setEmail(null);
  }

  // The code step has a history entry of its own: Back shows the e-mail step, Forward the code step again.
  useSignInSteps((codeFor) => {
    if (signingIn.current) return;
    if (codeFor === null) showEmailStep();
    else setEmail(codeFor);
  });

  /** After signing in, Back leads to what came before the sign-in page, not to the same page again. */
  async function signedIn(address: string) {
    signingIn.current = true;
    rememberCodeSignIn(address);
    await leaveCodeStep();
    onSignedIn();
  }

  useEffect(() => {
    document.title = 'Sign in · Latchkey';
  }, []);

  // A fresh install says how to get in; a configured one says nothing about its set-up.
  useEffect(() => {
    api.auth.signInOptions().then(
      (options) => {
        setFirstRunOperator(options.first_run_operator);
        setCodeInLog(options.code_in_server_log);
      },
      () => undefined,
    );
  }, [api]);

  /** Asks for a code (true when one was sent); a 429 still moves on to the code step, since a code was sent moments ago. */
  async function send(address: string): Promise<boolean> {
    let sent = true;
    try {
      const answer = await api.auth.requestOtp(address);
      countdown.start(resendDelay(answer.retry_after_seconds));
      setCodeInLog(answer.code_in_server_log === true);
      setNotice(null);
      setLastCodeUsed(false);
      if (blocked?.email === address) setBlocked(null);
    } catch (error) {
      if (!(error instanceof ApiError && error.code === 'rate_limited')) throw error;
      countdown.start(resendDelay(error.retryAfterSeconds));
      setNotice(error);
      setLastCodeUsed(signedInWithCodeRecently(address));
      sent = false;
    }
    if (email === null) pushCodeStep(address);
    setEmail(address);
    return sent;
  }

  return (
    <main className="sign-in">
      <div className="card sign-in-card">
        <h1 className="brand">Latchkey</h1>
        {sessionEnded && email === null && (
          <p className="alert alert-warn" role="status">
            Your session ended; sign in again. You will be back on the page you were on.
          </p>
        )}
        {email === null ? (
          <EmailStep onSend={send} initialEmail={lastEmail} />
        ) : (
          <CodeStep
            api={api}
            email={email}
            notice={notice}
            lastCodeUsed={lastCodeUsed}
            blocked={blocked?.email === email ? blocked.error : null}
            onBlocked={(error) => setBlocked({ email, error })}
            secondsLeft={countdown.secondsLeft}
            onResend={() => send(email)}
            onChangeEmail={async () => {
              // As Back does, so that history and page agree; following the entry shows the e-mail step.
              if (!(await leaveCodeStep())) showEmailStep();
            }}
            onSignedIn={() => void signedIn(email)}
          />
        )}
        {email === null && firstRunOperator !== null && (
          <p className="hint" id="first-run-hint">
            Fresh install: sign in as <code>{firstRunOperator}</code>, the first operator address.
          </p>
        )}
        {codeInLog && (
          <p className="hint" id="code-in-log-hint">
            No mail server is configured, so sign-in codes are printed in the terminal where the server runs (<code>npm start</code>).
          </p>
        )}
      </div>
    </main>
  );
}
