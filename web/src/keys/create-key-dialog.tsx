// The "Create key" dialog: settings, environment, the inline step-up when asked, then hands the secret on.
import { type FormEvent, useState } from 'react';
import { ENVIRONMENTS, type Environment, type IssuedKey } from '../api/types.js';
import { useStepUp } from '../auth/use-step-up.js';
import { Dialog, DialogActions } from '../components/dialog.js';
import { ErrorAlert } from '../components/error-alert.js';
import { useSession } from '../session/session-context.js';
import { useTenant } from '../session/tenant-context.js';
import { draftProblems, hasProblems, type KeyDraft, newKeyDraft, settingsOfDraft, visibleProblems } from './key-draft.js';
import { KeySettingsFields } from './key-settings-fields.js';
import { createKeyBlocked } from './plan-keys.js';
import { useKeyFormProblems } from './use-key-form-problems.js';

export function CreateKeyDialog({ onCreated, onCancel }: { onCreated: (issued: IssuedKey) => void; onCancel: () => void }) {
  const { api, deployment } = useSession();
  const { tenantId, plan } = useTenant();
  const [draft, setDraft] = useState<KeyDraft>(() => newKeyDraft(plan));
  const [environment, setEnvironment] = useState<Environment>(deployment.environment);
  const [untouched] = useState(() => ({ draft, environment }));
  const changed = environment !== untouched.environment || JSON.stringify(draft) !== JSON.stringify(untouched.draft);
  const [attempted, setAttempted] = useState(false);
  const formProblems = useKeyFormProblems(draft);
  const stepUp = useStepUp(formProblems.showError);
  const problems = draftProblems(draft, plan, Date.now());
  const shownProblems = { ...formProblems.fromServer, ...visibleProblems(problems, draft, attempted) };
  // Only reached when the plan loaded after the dialog opened; the page's button is disabled otherwise.
  const blocked = createKeyBlocked(plan);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setAttempted(true);
    formProblems.startAttempt();
    if (hasProblems(problems)) formProblems.stopped();
    if (blocked !== null || hasProblems(problems)) return;
    const body = { ...settingsOfDraft(draft, Date.now()), name: draft.name.trim(), environment };
    await stepUp.run(async () => onCreated(await api.keys.create(tenantId, body)));
  }

  return (
    <Dialog title="Create API key" onDismiss={stepUp.busy ? undefined : onCancel} keepOnBackdrop={changed} wide>
      <form ref={formProblems.form} onSubmit={submit} noValidate aria-label="Create API key">
        {blocked && <p className="alert alert-warn">{blocked}</p>}
        <KeySettingsFields
          idPrefix="create-key"
          draft={draft}
          onChange={(patch) => {
            setDraft((d) => ({ ...d, ...patch }));
            formProblems.edited(patch);
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
        <ErrorAlert error={formProblems.error} />
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
