// Owners and admins change a key's settings here; saved with PATCH. The environment cannot change.
import { type FormEvent, useState } from 'react';
import { isConflict } from '../api/api-error.js';
import type { ApiKey } from '../api/types.js';
import { ErrorAlert } from '../components/error-alert.js';
import { useSession } from '../session/session-context.js';
import { useTenant } from '../session/tenant-context.js';
import { draftOfKey, draftProblems, hasProblems, type KeyDraft, settingsOfDraft, visibleProblems } from './key-draft.js';
import { KeySettingsFields } from './key-settings-fields.js';
import { useKeyFormProblems } from './use-key-form-problems.js';

interface KeySettingsFormProps {
  apiKey: ApiKey;
  onSaved: (key: ApiKey) => void;
  /** A `409 conflict` (revoked or expired meanwhile): the page reloads the key and says why, and this form gives way. */
  onOutdated: (conflict: unknown) => void;
}

export function KeySettingsForm({ apiKey, onSaved, onOutdated }: KeySettingsFormProps) {
  const { api, deployment } = useSession();
  const { tenantId, plan } = useTenant();
  const [draft, setDraft] = useState<KeyDraft>(() => draftOfKey(apiKey));
  const [attempted, setAttempted] = useState(false);
  const [busy, setBusy] = useState(false);
  const formProblems = useKeyFormProblems(draft);
  const [saved, setSaved] = useState(false);
  const problems = draftProblems(draft, plan, Date.now());

  async function submit(event: FormEvent) {
    event.preventDefault();
    setAttempted(true);
    setSaved(false);
    formProblems.startAttempt();
    if (hasProblems(problems)) {
      formProblems.stopped();
      return;
    }
    setBusy(true);
    try {
      const next = await api.keys.update(tenantId, apiKey.id, settingsOfDraft(draft, Date.now(), apiKey));
      setSaved(true);
      onSaved(next);
    } catch (cause) {
      if (isConflict(cause)) onOutdated(cause);
      else formProblems.showError(cause);
    }
    setBusy(false);
  }

  return (
    <section className="card" aria-labelledby="settings-title">
      <h2 id="settings-title">Settings</h2>
      <form ref={formProblems.form} onSubmit={submit} noValidate aria-label="Key settings">
        <div className="field">
            <span className="label">Environment</span>
            <p className="read-only">{apiKey.environment} (a key's environment cannot change)</p>
          </div>
          <KeySettingsFields
            idPrefix="key-settings"
            draft={draft}
            onChange={(patch) => {
              setSaved(false);
              setDraft((d) => ({ ...d, ...patch }));
              formProblems.edited(patch);
            }}
            problems={{ ...formProblems.fromServer, ...visibleProblems(problems, draft, attempted) }}
            plan={plan}
            knownScopes={deployment.scopes}
            editing
          />
        <ErrorAlert error={formProblems.error} />
        {saved && (
          <p className="notice" role="status">
            Settings saved.
          </p>
        )}
        <button type="submit" className="button button-primary" disabled={busy}>
          {busy ? 'Saving…' : 'Save settings'}
        </button>
      </form>
    </section>
  );
}
