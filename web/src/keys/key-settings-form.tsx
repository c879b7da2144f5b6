// Owners and admins change a key's settings here; saved with PATCH. The environment cannot change. Only the fields
// edited here are sent, on the version of the key the form was filled from (If-Match): a key changed elsewhere since
// is refused (409) and nothing is saved; the form then shows the key as it is now, with the user's edits kept, and
// says so. After a save the form shows the key as the server answered it.
import { type FormEvent, useEffect, useRef, useState } from 'react';
import { isConflict } from '../api/api-error.js';
import type { KeyAtVersion } from '../api/types.js';
import { ErrorAlert } from '../components/error-alert.js';
import { useSession } from '../session/session-context.js';
import { useTenant } from '../session/tenant-context.js';
import { changedOnBothSides, changedSettings, keyChangedMeanwhileNotice, rebaseDraft } from './key-changes.js';
import { draftOfKey, draftProblems, hasProblems, type KeyDraft, visibleProblems } from './key-draft.js';
import { isLive } from './key-facts.js';
import { KeySettingsFields } from './key-settings-fields.js';
import { useKeyFormProblems } from './use-key-form-problems.js';

interface KeySettingsFormProps {
  /** The page's key and its version. */
  current: KeyAtVersion;
  onSaved: (saved: KeyAtVersion) => void;
  /** The key read again after a save refused because it changed elsewhere: the page shows it, and this form follows it. */
  onChangedMeanwhile: (now: KeyAtVersion) => void;
  /** A `409 conflict` for another reason (revoked or expired meanwhile): the page reloads the key and says why, and this form gives way. */
  onOutdated: (conflict: unknown) => void;
}

/** A save refused because the key changed since the form was filled: what to say, while the form shows `about`. */
interface ChangedMeanwhile {
  about: KeyAtVersion;
  said: string[];
}

export function KeySettingsForm({ current, onSaved, onChangedMeanwhile, onOutdated }: KeySettingsFormProps) {
  const { api, deployment } = useSession();
  const { tenantId, plan } = useTenant();
  const apiKey = current.key;
  // The key as the draft was filled from it, with its version: what the draft is compared with to find the user's
  // changes, and the version a save requires.
  const [filledFrom, setFilledFrom] = useState(current);
  const [draft, setDraft] = useState<KeyDraft>(() => draftOfKey(current.key));
  const [attempted, setAttempted] = useState(false);
  const [busy, setBusy] = useState(false);
  const formProblems = useKeyFormProblems(draft);
  const [note, setNote] = useState('');
  const [changedMeanwhile, setChangedMeanwhile] = useState<ChangedMeanwhile | null>(null);
  const changedMeanwhileAlert = useRef<HTMLDivElement>(null);
  const problems = draftProblems(draft, plan, Date.now());

  // The page's key changed (another action here, or a reload after a conflict): untouched fields follow it, and a
  // note about the earlier key no longer applies.
  if (current !== filledFrom) {
    setFilledFrom(current);
    setDraft(rebaseDraft(draft, filledFrom.key, current.key));
    setNote('');
  }
  // Said only while the form shows the key it was read as; another change of the key is the news then.
  const shownChangedMeanwhile = changedMeanwhile?.about === filledFrom ? changedMeanwhile : null;

  // "Save settings" was disabled while the save ran, which left the focus on <body>: the message takes it.
  useEffect(() => {
    if (shownChangedMeanwhile !== null) changedMeanwhileAlert.current?.focus();
  }, [shownChangedMeanwhile]);

  /**
   * A `409 conflict` to a save: the key is read again. Still live at another version, it was changed elsewhere since
   * the form was filled; the form follows it (see the render above) and says so. Otherwise (revoked, expired, or no
   * new version) the conflict is the page's to explain.
   */
  async function readAgainAfter(conflict: unknown, submitted: KeyDraft) {
    let now: KeyAtVersion;
    try {
      now = await api.keys.get(tenantId, apiKey.id);
    } catch {
      onOutdated(conflict);
      return;
    }
    if (!isLive(now.key) || now.version === null || now.version === filledFrom.version) {
      onOutdated(conflict);
      return;
    }
    setChangedMeanwhile({ about: now, said: keyChangedMeanwhileNotice(changedOnBothSides(submitted, filledFrom.key, now.key)) });
    onChangedMeanwhile(now);
  }

  async function submit(event: FormEvent) {
    event.preventDefault();
    setAttempted(true);
    setNote('');
    setChangedMeanwhile(null);
    formProblems.startAttempt();
    if (hasProblems(problems)) {
      formProblems.stopped();
      return;
    }
    const changes = changedSettings(draft, filledFrom.key, Date.now());
    if (Object.keys(changes).length === 0) {
      setNote('Nothing changed, so nothing was saved.');
      return;
    }
    setBusy(true);
    try {
      // No version only between a regenerate or rotation and the page's reading the key again: the save is then
      // made on the key as it is, as before versions.
      const next = await api.keys.update(tenantId, apiKey.id, changes, filledFrom.version);
      setFilledFrom(next);
      setDraft(draftOfKey(next.key));
      setNote('Settings saved.');
      onSaved(next);
    } catch (cause) {
      if (isConflict(cause)) await readAgainAfter(cause, draft);
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
        {shownChangedMeanwhile !== null && (
          <div ref={changedMeanwhileAlert} className="alert alert-warn" role="alert" tabIndex={-1}>
            {shownChangedMeanwhile.said.map((text) => (
              <p key={text}>{text}</p>
            ))}
          </div>
        )}
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
