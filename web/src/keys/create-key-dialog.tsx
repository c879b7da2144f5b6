// The "Create key" dialog: settings, environment, the inline step-up when asked, then hands the secret on.
import { type FormEvent, useEffect, useRef, useState } from 'react';
import { ENVIRONMENTS, type Environment, type IssuedKey } from '../api/types.js';
import { useStepUp } from '../auth/use-step-up.js';
import { Dialog, DialogActions } from '../components/dialog.js';
import { ErrorAlert } from '../components/error-alert.js';
import { focusFirstInvalid } from '../components/focus-first-invalid.js';
import { useSession } from '../session/session-context.js';
import { useTenant } from '../session/tenant-context.js';
import { type DraftProblems, draftProblems, hasProblems, type KeyDraft, newKeyDraft, settingsOfDraft, visibleProblems } from './key-draft.js';
import { KeySettingsFields } from './key-settings-fields.js';
import { createKeyBlocked } from './plan-keys.js';
import { placeServerProblems, withoutEdited } from './server-problems.js';

export function CreateKeyDialog({ onCreated, onCancel }: { onCreated: (issued: IssuedKey) => void; onCancel: () => void }) {
  const { api, deployment } = useSession();
  const { tenantId, plan } = useTenant();
  const [draft, setDraft] = useState<KeyDraft>(() => newKeyDraft(plan));
  const [environment, setEnvironment] = useState<Environment>(deployment.environment);
  const [attempted, setAttempted] = useState(false);
  const [error, setError] = useState<unknown>(null);
  // The fields of the last answer's `400 invalid_request`, each until it is edited.
  const [serverProblems, setServerProblems] = useState<DraftProblems>({});
  const form = useRef<HTMLFormElement>(null);
  // Counts submits stopped by the fields' own checks or the server's; each moves the focus to the first field marked invalid.
  const [invalidSubmits, setInvalidSubmits] = useState(0);
  useEffect(() => {
    if (invalidSubmits > 0) focusFirstInvalid(form.current);
  }, [invalidSubmits]);
  const stepUp = useStepUp(showError);
  const problems = draftProblems(draft, plan, Date.now());
  const shownProblems = { ...serverProblems, ...visibleProblems(problems, draft, attempted) };
  // Only reached when the plan loaded after the dialog opened; the page's button is disabled otherwise.
  const blocked = createKeyBlocked(plan);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setAttempted(true);
    // A new attempt: the last one's server answer no longer applies, whatever the fields now say.
    setError(null);
    setServerProblems({});
    if (hasProblems(problems)) setInvalidSubmits((n) => n + 1);
    if (blocked !== null || hasProblems(problems)) return;
    const body = { ...settingsOfDraft(draft, Date.now()), name: draft.name.trim(), environment };
    await stepUp.run(async () => onCreated(await api.keys.create(tenantId, body)));
  }

  /** A refusal naming fields is shown on them, as the form's own checks are; the rest stays the form's error. */
  function showError(cause: unknown) {
    const placed = placeServerProblems(cause, draft);
    setServerProblems(placed.problems);
    setError(placed.formError);
    if (hasProblems(placed.problems)) setInvalidSubmits((n) => n + 1);
  }

  return (
    <Dialog title="Create API key" onDismiss={stepUp.busy ? undefined : onCancel} wide>
      <form ref={form} onSubmit={submit} noValidate aria-label="Create API key">
        {blocked && <p className="alert alert-warn">{blocked}</p>}
        <KeySettingsFields
          idPrefix="create-key"
          draft={draft}
          onChange={(patch) => {
            setDraft((d) => ({ ...d, ...patch }));
            setServerProblems((p) => withoutEdited(p, patch));
          }}
          problems={shownProblems}
          plan={plan}
          knownScopes={deployment.scopes}
          editing={false}
          afterName={
            <div className="field">
              <label htmlFor="create-key-environment">Environment</label>
              <select id="create-key-environment" className="input" value={environment} onChange={(e) => setEnvironment(e.target.value as Environment)}>
                {ENVIRONMENTS.map((env) => (
                  <option key={env} value={env}>
                    {env}
                  </option>
                ))}
              </select>
              <p className="hint">A key works only on servers of its environment. It cannot be changed later.</p>
            </div>
          }
        />
        <ErrorAlert error={error} />
        {attempted && hasProblems(shownProblems) && <p className="field-problem" role="alert">Fix the fields marked above.</p>}
        {stepUp.panel}
        <DialogActions onCancel={onCancel}>
          <button type="submit" className="button button-primary" disabled={blocked !== null || stepUp.busy || stepUp.waiting}>
            {stepUp.busy ? 'Generating…' : 'Generate key'}
          </button>
        </DialogActions>
      </form>
    </Dialog>
  );
}
