// Sign-in with a one-time code: the e-mail step, then the code step with a resend countdown.
import { useEffect, useState } from 'react';
import { ApiError } from '../api/api-error.js';
import type { LatchkeyApi } from '../api/latchkey-api.js';
import { EmailStep } from './email-step.js';
import { CodeStep } from './code-step.js';
import { resendDelay } from './otp-messages.js';
import { useCountdown } from './use-countdown.js';

export function SignInPage({ api, onSignedIn }: { api: LatchkeyApi; onSignedIn: () => void }) {
  const [email, setEmail] = useState<string | null>(null);
  const [notice, setNotice] = useState<unknown>(null);
  const countdown = useCountdown();

  useEffect(() => {
    document.title = 'Sign in · Latchkey';
  }, []);

  /** Asks for a code (true when one was sent); a 429 still moves on to the code step, since a code was sent moments ago. */
  async function send(address: string): Promise<boolean> {
    let sent = true;
    try {
      const answer = await api.auth.requestOtp(address);
      countdown.start(resendDelay(answer.retry_after_seconds));
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
        {email === null ? (
          <EmailStep onSend={send} />
        ) : (
          <CodeStep
            api={api}
            email={email}
            notice={notice}
            secondsLeft={countdown.secondsLeft}
            onResend={() => send(email)}
            onChangeEmail={() => setEmail(null)}
            onSignedIn={onSignedIn}
          />
        )}
        <p className="hint" id="fresh-install-hint">
          Fresh install? With no mail server configured, the sign-in code is printed in the terminal where the server runs
          (<code>npm start</code>). The first operator address is <code>admin@localhost</code>.
        </p>
      </div>
    </main>
  );
}
