// Confirms a regenerate (the old secret stops at once), with the inline step-up when the API asks for it.
import { useState } from 'react';
import { isConflict } from '../api/api-error.js';
import type { ApiKey, IssuedKey } from '../api/types.js';
import { useStepUp } from '../auth/use-step-up.js';
import { Dialog, DialogActions } from '../components/dialog.js';
import { ErrorAlert } from '../components/error-alert.js';
import { useSession } from '../session/session-context.js';
import { useTenant } from '../session/tenant-context.js';

interface RegenerateDialogProps {
  apiKey: ApiKey;
  onDone: (issued: IssuedKey) => void;
  /** Told of a `409 conflict` too, so that the page reloads the key that changed elsewhere. */
  onConflict: (conflict: unknown) => void;
  onCancel: () => void;
}

export function RegenerateDialog({ apiKey, onDone, onConflict, onCancel }: RegenerateDialogProps) {
  const { api } = useSession();
  const { tenantId } = useTenant();
  const [error, setError] = useState<unknown>(null);
  const stepUp = useStepUp((cause) => {
    setError(cause);
    if (isConflict(cause)) onConflict(cause);
  });

  async function regenerate() {
    setError(null);
    await stepUp.run(async () => onDone(await api.keys.regenerate(tenantId, apiKey.id)));
  }

  return (
    <Dialog title="Regenerate secret" onDismiss={stepUp.busy ? undefined : onCancel}>
      <p>
        “{apiKey.name}” gets a new secret. <strong>The current secret stops working at once</strong>, so every program that uses it fails until you
        give it the new one. To switch without downtime, rotate the key instead.
      </p>
      <ErrorAlert error={error} />
      {stepUp.panel}
      <DialogActions onCancel={onCancel} focusCancel>
        <button type="button" className="button button-danger" onClick={regenerate} disabled={stepUp.busy || stepUp.waiting}>
          {stepUp.busy ? 'Regenerating…' : 'Regenerate now'}
        </button>
      </DialogActions>
    </Dialog>
  );
}
