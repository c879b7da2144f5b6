// Confirms a regenerate (the old secret stops at once), with the inline step-up when the API asks for it.
import { useState } from 'react';
import type { ApiKey, IssuedKey } from '../api/types.js';
import { useStepUp } from '../auth/use-step-up.js';
import { Dialog, DialogActions } from '../components/dialog.js';
import { ErrorAlert } from '../components/error-alert.js';
import { useSession } from '../session/session-context.js';
import { useTenant } from '../session/tenant-context.js';

export function RegenerateDialog({ apiKey, onDone, onCancel }: { apiKey: ApiKey; onDone: (issued: IssuedKey) => void; onCancel: () => void }) {
  const { api } = useSession();
  const { tenantId } = useTenant();
  const [error, setError] = useState<unknown>(null);
  const stepUp = useStepUp(setError);

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
      <DialogActions onCancel={onCancel}>
        <button type="button" className="button button-danger" onClick={regenerate} disabled={stepUp.busy || stepUp.waiting}>
          {stepUp.busy ? 'Regenerating…' : 'Regenerate now'}
        </button>
      </DialogActions>
    </Dialog>
  );
}
