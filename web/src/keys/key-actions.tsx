// Lifecycle buttons of a key: activate at once; deactivate, regenerate, rotate and revoke through their dialogs.
// An expired key can only be revoked: the server refuses every other change (409).
import { useLayoutEffect, useRef, useState } from 'react';
import { isConflict } from '../api/api-error.js';
import type { ApiKey, IssuedKey, KeyAtVersion } from '../api/types.js';
import { ErrorAlert } from '../components/error-alert.js';
import { useSession } from '../session/session-context.js';
import { useTenant } from '../session/tenant-context.js';
import { DeactivateDialog } from './deactivate-dialog.js';
import { isLive } from './key-facts.js';
import { RegenerateDialog } from './regenerate-dialog.js';
import { RevokeDialog } from './revoke-dialog.js';
import { RotateDialog } from './rotate-dialog.js';

interface KeyActionsProps {
  apiKey: ApiKey;
  /** The key as an action here left it; without a version after regenerate and rotate, whose answers carry none. */
  onChanged: (changed: KeyAtVersion) => void;
  onIssued: (title: string, issued: IssuedKey) => void;
  /** A `409 conflict`: the key changed elsewhere; the page reloads it and says why. */
  onOutdated: (conflict: unknown) => void;
}

type Open = 'deactivate' | 'regenerate' | 'rotate' | 'revoke' | null;

export function KeyActions({ apiKey, onChanged, onIssued, onOutdated }: KeyActionsProps) {
  const { api } = useSession();
  const { tenantId } = useTenant();
  const [open, setOpen] = useState<Open>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  // What the last activate or deactivate did, said politely to screen readers (the button's new label alone is easy
  // to miss); about the key as that action left it, so it goes once another action (here or in the settings) changes it.
  const [said, setSaid] = useState<{ text: string; about: ApiKey } | null>(null);
  const toggleButton = useRef<HTMLButtonElement>(null);
  // Disabled while busy, the pressed button drops the focus to <body>; once it reads "Activate key" (or
  // "Deactivate key") it takes the focus back, so keyboard users stay where they were.
  const refocusToggle = useRef(false);

  useLayoutEffect(() => {
    if (busy || !refocusToggle.current) return;
    refocusToggle.current = false;
    toggleButton.current?.focus();
  });

  if (apiKey.status === 'revoked') return null;
  const live = isLive(apiKey);

  /** Another action starts: what the last one did is no longer the news. */
  function start(action: Exclude<Open, null>) {
    setSaid(null);
    setError(null);
    setOpen(action);
  }

  function deactivated(deactivatedKey: KeyAtVersion) {
    const { key } = deactivatedKey;
    setOpen(null);
    setSaid({ text: `“${key.name}” is deactivated: requests with it get 401 inactive_api_key until you activate it.`, about: key });
    onChanged(deactivatedKey);
  }

  async function activate() {
    refocusToggle.current = true;
    setBusy(true);
    setError(null);
    setSaid(null);
    try {
      const activated = await api.keys.activate(tenantId, apiKey.id);
      setSaid({ text: `“${activated.key.name}” is active again.`, about: activated.key });
      onChanged(activated);
    } catch (cause) {
      if (isConflict(cause)) onOutdated(cause);
      else setError(cause);
    }
    setBusy(false);
  }

  return (
    <section className="card" aria-labelledby="actions-title">
      <h2 id="actions-title">Actions</h2>
      <div className="actions">
        {live && (
          <button ref={toggleButton} type="button" className="button" onClick={apiKey.status === 'inactive' ? activate : () => start('deactivate')} disabled={busy}>
            {apiKey.status === 'inactive' ? 'Activate key' : 'Deactivate key'}
          </button>
        )}
        {live && (
          <button type="button" className="button" onClick={() => start('regenerate')}>
            Regenerate secret
          </button>
        )}
        {live && !apiKey.rotated_to && (
          <button type="button" className="button" onClick={() => start('rotate')}>
            Rotate key
          </button>
        )}
        <button type="button" className="button button-danger" onClick={() => start('revoke')}>
          Revoke key
        </button>
      </div>
      {live ? (
        <p className="hint">
          Deactivate stops the key until you activate it again. Regenerate gives the same key a new secret; the old secret stops at once.{' '}
          {apiKey.rotated_to
            ? 'The key has been rotated: the Rotation panel below shows the key that replaces it.'
            : 'Rotate creates a new key with the same settings and lets the old one keep working while you move traffic.'}{' '}
          Revoke is permanent.
        </p>
      ) : (
        <p className="hint">
          The key has expired: its secret and settings can no longer change. Create a new key for the programs that used it; revoking this one
          keeps its history.
        </p>
      )}
      <p className="notice" role="status" aria-live="polite">
        {said?.about === apiKey ? said.text : ''}
      </p>
      <ErrorAlert error={error} />
      {open === 'deactivate' && <DeactivateDialog apiKey={apiKey} onConflict={onOutdated} onCancel={() => setOpen(null)} onDeactivated={deactivated} />}
      {open === 'regenerate' && (
        <RegenerateDialog
          apiKey={apiKey}
          onConflict={onOutdated}
          onCancel={() => setOpen(null)}
          onDone={(issued) => {
            setOpen(null);
            onChanged({ key: issued.key, version: null });
            onIssued('Secret regenerated', issued);
          }}
        />
      )}
      {open === 'rotate' && (
        <RotateDialog
          apiKey={apiKey}
          onConflict={onOutdated}
          onCancel={() => setOpen(null)}
          onDone={(rotated) => {
            setOpen(null);
            onChanged({ key: rotated.previous, version: null });
            onIssued('Key rotated: the new key', rotated);
          }}
        />
      )}
      {open === 'revoke' && (
        <RevokeDialog
          apiKey={apiKey}
          onConflict={onOutdated}
          onCancel={() => setOpen(null)}
          onRevoked={(revoked) => {
            setOpen(null);
            onChanged(revoked);
          }}
        />
      )}
    </section>
  );
}
