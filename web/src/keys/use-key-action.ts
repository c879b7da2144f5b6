// A key action confirmed in a dialog (revoke, deactivate): busy while it runs, its error when it fails, and a
// `409 conflict` passed on so that the page reloads the key that changed elsewhere.
import { useState } from 'react';
import { isConflict } from '../api/api-error.js';

/**
 * Busy stays on after success: the dialog closes then.
 * @example
 * const action = useKeyAction(onConflict);
 * await action.run(async () => onRevoked(await api.keys.revoke(tenantId, key.id)));
 */
export function useKeyAction(onConflict: (conflict: unknown) => void) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  async function run(action: () => Promise<void>): Promise<void> {
    setBusy(true);
    setError(null);
    try {
      await action();
    } catch (cause) {
      setError(cause);
      setBusy(false);
      if (isConflict(cause)) onConflict(cause);
    }
  }

  return { busy, error, run };
}
