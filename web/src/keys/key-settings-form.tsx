// Owners and admins change a key's settings here; saved with PATCH. The environment cannot change. Only the fields
// edited here are sent, and after a save the form shows the key as the server answered it.
import { type FormEvent, useState } from 'react';
import { isConflict } from '../api/api-error.js';
import type { ApiKey } from '../api/types.js';
import { ErrorAlert } from '../components/error-alert.js';
import { useSession } from '../session/session-context.js';
import { useTenant } from '../session/tenant-context.js';
import { changedSettings, rebaseDraft } from './key-changes.js';
import { draftOfKey, draftProblems, hasProblems, type KeyDraft, visibleProblems } from './key-draft.js';
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
  // The key as the draft was filled from it: what the draft is compared with to find the user's changes.
  const [filledFrom, setFilledFrom] = useState(apiKey);
  const [draft, setDraft] = useState<KeyDraft>(() => draftOfKey(apiKey));
  const [attempted, setAttempted] = useState(false);
  const [busy, setBusy] = useState(false);
  const formProblems = useKeyFormProblems(draft);
  const [note, setNote] = useState('');
  const problems = draftProblems(draft, plan, Date.now());

  // The page's key changed (another action here, or a reload after a conflict): untouched fields follow it, and a
  // note about the earlier key no longer applies.
  if (apiKey !== filledFrom) {
    setFilledFrom(apiKey);
    setDraft(rebaseDraft(draft, filledFrom, apiKey));
    setNote('');
  }

  async function submit(event: FormEvent) {
    event.preventDefault();
    setAttempted(true);
    setNote('');
    formProblems.startAttempt();
    if (hasProblems(problems)) {
      formProblems.stopped();
      return;
    }
    const changes = changedSettings(draft, filledFrom, Date.now());
    if (Object.keys(changes).length === 0) {
      setNote('Nothing changed, so nothing was saved.');
      return;
    }
    setBusy(true);
    try {
      const next = await api.keys.update(tenantId, apiKey.id, changes);
      setFilledFrom(next);
      setDraft(draftOfKey(next));
      setNote('Settings saved.');
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
              setNote('');
              setDraft((d) => ({ ...d, ...patch }));
              formProblems.edited(patch);
            }}
            problems={{ ...formProblems.fromServer, ...visibleProblems(problems, draft, attempted) }}
            plan={plan}
            knownScopes={deployment.scopes}
            editing
          />
        <ErrorAlert error={formProblems.error} />
        {note !== '' && (
          <p className="notice" role="status">
            {note}
          </p>
        )}
        <button type="submit" className="button button-primary" disabled={busy}>
          {busy ? 'Saving…' : 'Save settings'}
        </button>
      </form>
    </section>
  );
}
