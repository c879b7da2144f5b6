// Rotation: a new key with the same settings; the old one works until revoked or for a grace period.
import { type FormEvent, useState } from 'react';
import { isConflict } from '../api/api-error.js';
import type { ApiKey, RotatedKey } from '../api/types.js';
import { useStepUp } from '../auth/use-step-up.js';
import { Dialog, DialogActions } from '../components/dialog.js';
import { ErrorAlert } from '../components/error-alert.js';
import { useSession } from '../session/session-context.js';
import { useTenant } from '../session/tenant-context.js';
import { describeGrace, graceProblem, gracePeriodSeconds, MAX_GRACE_HOURS } from './grace-period.js';

interface RotateDialogProps {
  apiKey: ApiKey;
  onDone: (rotated: RotatedKey) => void;
  /** Told of a `409 conflict` too (e.g. rotated in another tab), so that the page reloads the key. */
  onConflict: (conflict: unknown) => void;
  onCancel: () => void;
}

export function RotateDialog({ apiKey, onDone, onConflict, onCancel }: RotateDialogProps) {
  const { api } = useSession();
  const { tenantId } = useTenant();
  const [mode, setMode] = useState<'grace' | 'until-revoked'>('grace');
  const [hours, setHours] = useState('24');
  const [minutes, setMinutes] = useState('0');
  const [error, setError] = useState<unknown>(null);
  const stepUp = useStepUp((cause) => {
    setError(cause);
    if (isConflict(cause)) onConflict(cause);
  });
  const problem = mode === 'grace' ? graceProblem(hours, minutes) : null;
  const seconds = mode === 'grace' ? gracePeriodSeconds(hours, minutes) : undefined;

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (problem !== null || seconds === null) return;
    setError(null);
    await stepUp.run(async () => onDone(await api.keys.rotate(tenantId, apiKey.id, seconds)));
  }

  return (
    <Dialog title="Rotate key" onDismiss={stepUp.busy ? undefined : onCancel} keepOnBackdrop={mode !== 'grace' || hours !== '24' || minutes !== '0'}>
      <form onSubmit={submit} aria-label="Rotate key">
        <p>
          A new key replaces <strong>{apiKey.name}</strong> with the same settings. Deploy the new secret, check below that traffic moved, then revoke
          the old key.
        </p>
        <fieldset className="field">
          <legend>The old key keeps working</legend>
          <label className="choice">
            <input type="radio" name="rotate-mode" checked={mode === 'grace'} onChange={() => setMode('grace')} /> For a grace period
          </label>
          <label className="choice">
            <input type="radio" name="rotate-mode" checked={mode === 'until-revoked'} onChange={() => setMode('until-revoked')} /> Until I revoke it
          </label>
        </fieldset>
        {mode === 'grace' && (
          <div className="inline-fields">
            <div className="field">
              <label htmlFor="rotate-grace-hours">Grace period hours</label>
              <input
                id="rotate-grace-hours"
                className="input"
                type="number"
                inputMode="numeric"
                min={0}
                max={MAX_GRACE_HOURS}
                step={1}
                value={hours}
                aria-invalid={problem !== null}
                aria-describedby="rotate-grace-said"
                onChange={(e) => setHours(e.target.value)}
              />
            </div>
            <div className="field">
              <label htmlFor="rotate-grace-minutes">Grace period minutes</label>
              <input
                id="rotate-grace-minutes"
                className="input"
                type="number"
                inputMode="numeric"
                min={0}
                max={59}
                step={1}
                value={minutes}
                aria-invalid={problem !== null}
                aria-describedby="rotate-grace-said"
                onChange={(e) => setMinutes(e.target.value)}
              />
            </div>
          </div>
        )}
        <p id="rotate-grace-said" className={problem !== null ? 'field-problem' : 'hint'} aria-live="polite">
          {problem ?? (seconds === undefined || seconds === null ? 'The old key keeps working until you revoke it.' : describeGrace(seconds))}
        </p>
        <ErrorAlert error={error} />
        {stepUp.panel}
        <DialogActions onCancel={onCancel}>
          <button type="submit" className="button button-primary" disabled={stepUp.busy || problem !== null || stepUp.waiting}>
            {stepUp.busy ? 'Rotating…' : 'Rotate now'}
          </button>
        </DialogActions>
      </form>
    </Dialog>
  );
}
