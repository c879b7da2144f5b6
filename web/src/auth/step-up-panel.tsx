// Inline step-up: choose a channel, send a code, enter it; then the caller retries the action that needed it.
import { useEffect, useRef, useState } from 'react';
import type { OtpChannel } from '../api/types.js';
import { ApiError } from '../api/api-error.js';
import { useSession } from '../session/session-context.js';
import { useStepUpLock } from '../session/step-up-lock-context.js';
import { CodeInput } from './code-input.js';
import { OtpError } from './otp-error.js';
import { isOtpLocked, resendDelay, resendLabel, SEND_NEW_CODE } from './otp-messages.js';
import { blockedStepUpCode, isBlockedCodesCooldown, withServerWait } from './step-up-lock.js';
import { useCountdown } from './use-countdown.js';

const CHANNEL_LABELS: Record<OtpChannel, string> = { email: 'E-mail', whatsapp: 'WhatsApp' };

export function StepUpPanel({ onVerified, onCancel }: { onVerified: () => Promise<void>; onCancel: () => void }) {
  const { api, deployment, me } = useSession();
  // The last code's block outlives the panel that saw it: a panel opened later starts from it, not from scratch.
  const { lock, remember, forget } = useStepUpLock();
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
  // Opened on a blocked code, the wait for a new one goes on where it was.
  const countdown = useCountdown(lock?.newCodeAt);
  const sendButton = useRef<HTMLButtonElement>(null);
  const section = useRef<HTMLElement>(null);
  const heading = useRef<HTMLHeadingElement>(null);

  // Only a new code can step up: not the blocked one, whatever is typed, nor "the code already sent" of a cooldown.
  const locked = lock !== null || isOtpLocked(error);
  // The block that this panel's own fifth try met is said as before; one remembered from an earlier panel, or a
  // cooldown that is the blocked code's, names the code it is about, since nothing was typed here.
  const lastCodeBlocked = lock !== null && !isOtpLocked(error);
  const shown = error ?? lock?.error ?? null;

  // The panel appears after a click elsewhere; move focus to it so keyboard and screen-reader users notice. A send
  // button still counting down cannot take it, and the heading then does (the alert is read out on its own).
  useEffect(() => (sendButton.current?.disabled ? heading.current : sendButton.current)?.focus(), []);
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
      // A new code replaces the blocked one.
      forget();
      setSent(true);
    } catch (cause) {
      if (cause instanceof ApiError && cause.code === 'rate_limited') {
        const wait = resendDelay(cause.retryAfterSeconds);
        countdown.start(wait);
        if (lock !== null && isBlockedCodesCooldown(lock)) {
          // The code "already sent" is the blocked one: no code to enter, only the wait for a new one.
          remember(withServerWait(lock, wait));
        } else {
          // A code was sent after the block (elsewhere), so the block is not the last code's any more.
          forget();
          setSent(true);
        }
      }
      setError(cause);
    }
    setBusy(false);
  }

  async function verify() {
    if (busy || code.length !== 6 || locked) return;
    setBusy(true);
    setError(null);
    try {
      await api.auth.verifyStepUp(code);
    } catch (cause) {
      setError(cause);
      setCodeRefused(true);
      if (isOtpLocked(cause)) remember(blockedStepUpCode(cause, countdown.endsAt));
      setBusy(false);
      return;
    }
    forget();
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
      <h3 id="step-up-title" ref={heading} tabIndex={-1}>
        Confirm it is you
      </h3>
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
          {resendLabel(countdown.secondsLeft, locked ? SEND_NEW_CODE : sent ? 'Resend code' : 'Send verification code')}
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
          <button type="button" className="button button-primary" onClick={verify} disabled={busy || code.length !== 6 || locked}>
            Verify and continue
          </button>
        </div>
      )}
      <OtpError id="step-up-error" error={shown} secondsLeft={countdown.secondsLeft} lastCodeBlocked={lastCodeBlocked} />
    </section>
  );
}
