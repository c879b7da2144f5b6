// Confirms a deactivation: the key stops at once, so Cancel has the focus and the dialog says what callers will get.
import type { ApiKey, KeyAtVersion } from '../api/types.js';
import { Dialog, DialogActions } from '../components/dialog.js';
import { ErrorAlert } from '../components/error-alert.js';
import { useSession } from '../session/session-context.js';
import { useTenant } from '../session/tenant-context.js';
import { useKeyAction } from './use-key-action.js';

interface DeactivateDialogProps {
  apiKey: ApiKey;
  /** The key as deactivated, with its new version. */
  onDeactivated: (deactivated: KeyAtVersion) => void;
  /** Told of a `409 conflict` too, so that the page reloads the key that changed elsewhere. */
  onConflict: (conflict: unknown) => void;
  onCancel: () => void;
}

export function DeactivateDialog({ apiKey, onDeactivated, onConflict, onCancel }: DeactivateDialogProps) {
  const { api } = useSession();
  const { tenantId } = useTenant();
  const { busy, error, run } = useKeyAction(onConflict);

  async function deactivate() {
    await run(async () => onDeactivated(await api.keys.deactivate(tenantId, apiKey.id)));
  }

  return (
    <Dialog title="Deactivate key" onDismiss={busy ? undefined : onCancel}>
      <p>
        Every request with <strong>{apiKey.name}</strong> gets <code>401 inactive_api_key</code> from now until you activate the key again.
      </p>
      <ErrorAlert error={error} />
      <DialogActions onCancel={onCancel} focusCancel>
        <button type="button" className="button button-danger" onClick={deactivate} disabled={busy}>
          {busy ? 'Deactivating…' : 'Deactivate now'}
        </button>
      </DialogActions>
    </Dialog>
  );
}
