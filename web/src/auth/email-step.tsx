// Step one of sign-in: the e-mail address that receives the code.
import { type FormEvent, useState } from 'react';
import { ErrorAlert } from '../components/error-alert.js';

/** `initialEmail`: the address of the code step, when the user comes back to correct it. */
export function EmailStep({ onSend, initialEmail = '' }: { onSend: (email: string) => Promise<unknown>; initialEmail?: string }) {
  const [email, setEmail] = useState(initialEmail);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await onSend(email.trim());
    } catch (cause) {
      setError(cause);
      setBusy(false);
    }
  }

  return (
    <form onSubmit={submit} aria-labelledby="email-step-title">
      <h2 id="email-step-title">Sign in</h2>
      <p>We send a 6-digit code to your e-mail address.</p>
      <div className="field">
        <label htmlFor="sign-in-email">E-mail address</label>
        <input
          id="sign-in-email"
          className="input"
          type="email"
          name="email"
          autoComplete="email"
          required
          autoFocus
          value={email}
          onChange={(event) => setEmail(event.target.value)}
        />
      </div>
      <ErrorAlert error={error} />
      <button type="submit" className="button button-primary" disabled={busy}>
        {busy ? 'Sending…' : 'Send sign-in code'}
      </button>
    </form>
  );
}
