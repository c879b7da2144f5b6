// Owners and admins change a key's settings here; saved with PATCH. The environment cannot change.
import { type FormEvent, useEffect, useRef, useState } from 'react';
import { isConflict } from '../api/api-error.js';
import type { ApiKey } from '../api/types.js';
import { ErrorAlert } from '../components/error-alert.js';
import { focusFirstInvalid } from '../components/focus-first-invalid.js';
import { useSession } from '../session/session-context.js';
import { useTenant } from '../session/tenant-context.js';
import { type DraftProblems, draftOfKey, draftProblems, hasProblems, type KeyDraft, settingsOfDraft, visibleProblems } from './key-draft.js';
import { KeySettingsFields } from './key-settings-fields.js';
import { placeServerProblems, withoutEdited } from './server-problems.js';

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
  const [error, setError] = useState<unknown>(null);
  // The fields of the last answer's `400 invalid_request`, each until it is edited.
  const [serverProblems, setServerProblems] = useState<DraftProblems>({});
  const form = useRef<HTMLFormElement>(null);
  // Counts submits stopped by the fields' own checks or the server's; each moves the focus to the first field marked invalid.
  const [invalidSubmits, setInvalidSubmits] = useState(0);
  useEffect(() => {
    if (invalidSubmits > 0) focusFirstInvalid(form.current);
  }, [invalidSubmits]);
  const [saved, setSaved] = useState(false);
  const problems = draftProblems(draft, plan, Date.now());

  async function submit(event: FormEvent) {
    event.preventDefault();
    setAttempted(true);
    setSaved(false);
    // A new attempt: the last one's server answer no longer applies, whatever the fields now say.
    setError(null);
    setServerProblems({});
    if (hasProblems(problems)) {
      setInvalidSubmits((n) => n + 1);
      return;
    }
    setBusy(true);
    try {
      const next = await api.keys.update(tenantId, apiKey.id, settingsOfDraft(draft, Date.now(), apiKey));
      setSaved(true);
      onSaved(next);
    } catch (cause) {
      if (isConflict(cause)) onOutdated(cause);
      else showError(cause);
    }
    setBusy(false);
  }

  /** A refusal naming fields is shown on them, as the form's own checks are; the rest stays the form's error. */
  function showError(cause: unknown) {
    const placed = placeServerProblems(cause, draft);
    setServerProblems(placed.problems);
    setError(placed.formError);
    if (hasProblems(placed.problems)) setInvalidSubmits((n) => n + 1);
  }

  return (
    <section className="card" aria-labelledby="settings-title">
      <h2 id="settings-title">Settings</h2>
      <form ref={form} onSubmit={submit} noValidate aria-label="Key settings">
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
              setServerProblems((p) => withoutEdited(p, patch));
            }}
            problems={{ ...serverProblems, ...visibleProblems(problems, draft, attempted) }}
            plan={plan}
            knownScopes={deployment.scopes}
            editing
          />
        <ErrorAlert error={error} />
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
