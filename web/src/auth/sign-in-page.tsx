// Sign-in with a one-time code: the e-mail step, then the code step with a resend countdown.
import { useEffect, useState } from 'react';
import { ApiError } from '../api/api-error.js';
import type { LatchkeyApi } from '../api/latchkey-api.js';
import { EmailStep } from './email-step.js';
import { CodeStep } from './code-step.js';
import { resendDelay } from './otp-messages.js';
import { useCountdown } from './use-countdown.js';

interface SignInPageProps {
  api: LatchkeyApi;
  /** The session ended while the dashboard was open; the address is kept, so signing in returns to the same page. */
  sessionEnded: boolean;
  onSignedIn: () => void;
}

export function SignInPage({ api, sessionEnded, onSignedIn }: SignInPageProps) {
  const [email, setEmail] = useState<string | null>(null);
  // The address last sent to, kept for "Use a different e-mail": a typo is corrected, not retyped.
  const [lastEmail, setLastEmail] = useState('');
  const [notice, setNotice] = useState<unknown>(null);
  const [codeInLog, setCodeInLog] = useState(false);
  const [firstRunOperator, setFirstRunOperator] = useState<string | null>(null);
  const countdown = useCountdown();

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
    } catch (error) {
      if (!(error instanceof ApiError && error.code === 'rate_limited')) throw error;
      countdown.start(resendDelay(error.retryAfterSeconds));
      setNotice(error);
      sent = false;
    }
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
            secondsLeft={countdown.secondsLeft}
            onResend={() => send(email)}
            onChangeEmail={() => {
              setLastEmail(email);
              setEmail(null);
            }}
            onSignedIn={onSignedIn}
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
