// Revoking is permanent, so the user types the key's name to confirm.
import { type FormEvent, useState } from 'react';
import type { ApiKey, KeyAtVersion } from '../api/types.js';
import { Dialog, DialogActions } from '../components/dialog.js';
import { ErrorAlert } from '../components/error-alert.js';
import { useSession } from '../session/session-context.js';
import { useTenant } from '../session/tenant-context.js';
import { useKeyAction } from './use-key-action.js';

interface RevokeDialogProps {
  apiKey: ApiKey;
  /** The key as revoked, with its new version. */
  onRevoked: (revoked: KeyAtVersion) => void;
  /** Told of a `409 conflict` too, so that the page reloads the key that changed elsewhere. */
  onConflict: (conflict: unknown) => void;
  onCancel: () => void;
}

export function RevokeDialog({ apiKey, onRevoked, onConflict, onCancel }: RevokeDialogProps) {
  const { api } = useSession();
  const { tenantId } = useTenant();
  const [typed, setTyped] = useState('');
  const { busy, error, run } = useKeyAction(onConflict);
  const matches = typed.trim() === apiKey.name.trim();

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (!matches) return;
    await run(async () => onRevoked(await api.keys.revoke(tenantId, apiKey.id)));
  }

  return (
    <Dialog title="Revoke key" onDismiss={busy ? undefined : onCancel} keepOnBackdrop={typed !== ''}>
      <form onSubmit={submit} aria-label="Revoke key">
        <p>
          Revoking <strong>{apiKey.name}</strong> (<code>{apiKey.start}…{apiKey.end}</code>) is permanent: every request with it is refused from now
          on. Its logs and audit history are kept.
        </p>
        <div className="field">
          <label htmlFor="revoke-confirm-name">Type the key name to confirm</label>
          <input
            id="revoke-confirm-name"
            className="input"
            autoComplete="off"
            spellCheck={false}
            data-autofocus
            placeholder={apiKey.name}
            value={typed}
            onChange={(e) => setTyped(e.target.value)}
          />
        </div>
        <ErrorAlert error={error} />
        <DialogActions onCancel={onCancel}>
          <button type="submit" className="button button-danger" disabled={!matches || busy}>
            Revoke permanently
          </button>
        </DialogActions>
      </form>
    </Dialog>
  );
}
