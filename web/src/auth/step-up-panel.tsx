// Inline step-up: choose a channel, send a code, enter it; then the caller retries the action that needed it.
import { useEffect, useRef, useState } from 'react';
import type { OtpChannel } from '../api/types.js';
import { ApiError } from '../api/api-error.js';
import { useSession } from '../session/session-context.js';
import { CodeInput } from './code-input.js';
import { OtpError } from './otp-error.js';
import { isOtpLocked, resendDelay, resendLabel, SEND_NEW_CODE } from './otp-messages.js';
import { useCountdown } from './use-countdown.js';

const CHANNEL_LABELS: Record<OtpChannel, string> = { email: 'E-mail', whatsapp: 'WhatsApp' };

export function StepUpPanel({ onVerified, onCancel }: { onVerified: () => Promise<void>; onCancel: () => void }) {
  const { api, deployment, me } = useSession();
  const channels = deployment.otp_channels;
  // WhatsApp codes go to the phone on file; without one that channel cannot work.
  const noPhone = me.user.phone === null;
  const [channel, setChannel] = useState<OtpChannel>('email');
  const [sent, setSent] = useState(false);
  const [code, setCode] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  // The error came from checking the code (not from sending one), so it is the code input's problem.
  const [codeRefused, setCodeRefused] = useState(false);
  const countdown = useCountdown();
  const sendButton = useRef<HTMLButtonElement>(null);
  const section = useRef<HTMLElement>(null);

  // The panel appears after a click elsewhere; move focus to it so keyboard and screen-reader users notice.
  useEffect(() => sendButton.current?.focus(), []);
  useEffect(() => {
    if (sent) document.getElementById('step-up-code')?.focus();
  }, [sent]);

  async function send() {
    setBusy(true);
    setError(null);
    setCodeRefused(false);
    try {
      const answer = await api.auth.requestStepUp(channel);
      countdown.start(resendDelay(answer.retry_after_seconds));
      setSent(true);
    } catch (cause) {
      if (cause instanceof ApiError && cause.code === 'rate_limited') {
        countdown.start(resendDelay(cause.retryAfterSeconds));
        setSent(true);
      }
      setError(cause);
    }
    setBusy(false);
  }

  async function verify() {
    if (busy || code.length !== 6 || isOtpLocked(error)) return;
    setBusy(true);
    setError(null);
    try {
      await api.auth.verifyStepUp(code);
    } catch (cause) {
      setError(cause);
      setCodeRefused(true);
      setBusy(false);
      return;
    }
    await onVerified();
  }

  /** Closes only the panel (the action's dialog stays), and keeps the focus in that dialog rather than on <body>. */
  function cancel() {
    section.current?.closest<HTMLElement>('[role="dialog"]')?.focus();
    onCancel();
  }

  return (
    <section
      ref={section}
      className="step-up"
      aria-labelledby="step-up-title"
      onKeyDown={(event) => {
        if (event.key !== 'Escape') return;
        event.stopPropagation();
        cancel();
      }}
    >
      <h3 id="step-up-title">Confirm it is you</h3>
      <p>Creating, regenerating or rotating a key needs a fresh one-time code (valid for 15 minutes of such actions).</p>
      {channels.length > 1 && (
        <fieldset className="field">
          <legend>Send the code by</legend>
          {channels.map((c) => (
            <label key={c} className="choice">
              <input
                type="radio"
                name="step-up-channel"
                value={c}
                checked={channel === c}
                disabled={c === 'whatsapp' && noPhone}
                onChange={() => setChannel(c)}
              />{' '}
              {CHANNEL_LABELS[c]}
              {c === 'whatsapp' && noPhone && ' (no phone number on file)'}
            </label>
          ))}
        </fieldset>
      )}
      <div className="actions">
        <button ref={sendButton} type="button" className="button" onClick={send} disabled={busy || countdown.secondsLeft > 0}>
          {resendLabel(countdown.secondsLeft, isOtpLocked(error) ? SEND_NEW_CODE : sent ? 'Resend code' : 'Send verification code')}
        </button>
        <button type="button" className="button button-link" onClick={cancel}>
          Cancel verification
        </button>
      </div>
      {sent && (
        // Not a <form>: the panel sits inside the form of the action it unlocks.
        <div role="group" aria-label="Verify step-up code">
          <CodeInput
            id="step-up-code"
            label="Verification code"
            value={code}
            onChange={setCode}
            problemId={codeRefused && error !== null ? 'step-up-error' : undefined}
            onEnter={verify}
          />
          <button type="button" className="button button-primary" onClick={verify} disabled={busy || code.length !== 6 || isOtpLocked(error)}>
            Verify and continue
          </button>
        </div>
      )}
      <OtpError id="step-up-error" error={error} secondsLeft={countdown.secondsLeft} />
    </section>
  );
}
