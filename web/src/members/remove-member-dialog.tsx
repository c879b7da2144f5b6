// Confirms removing a member from the tenant.
import { useState } from 'react';
import type { Member } from '../api/types.js';
import { Dialog, DialogActions } from '../components/dialog.js';
import { ErrorAlert } from '../components/error-alert.js';
import { useSession } from '../session/session-context.js';
import { useTenant } from '../session/tenant-context.js';

interface RemoveMemberDialogProps {
  member: Member;
  onRemoved: () => void;
  onCancel: () => void;
  /** Where the focus goes once the member is removed: the button that opened the dialog left with their row. */
  focusAfterRemoval: () => HTMLElement | null;
}

export function RemoveMemberDialog({ member, onRemoved, onCancel, focusAfterRemoval }: RemoveMemberDialogProps) {
  const { api } = useSession();
  const { tenantId } = useTenant();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  async function remove() {
    setBusy(true);
    setError(null);
    try {
      await api.members.remove(tenantId, member.user_id);
      onRemoved();
    } catch (cause) {
      setError(cause);
      setBusy(false);
    }
  }

  return (
    <Dialog title="Remove member" onDismiss={busy ? undefined : onCancel} fallbackFocus={focusAfterRemoval}>
      <p>
        <strong>{member.email}</strong> will no longer be able to sign in to this tenant. Keys they created keep working.
      </p>
      <ErrorAlert error={error} />
      <DialogActions onCancel={onCancel} focusCancel>
        <button type="button" className="button button-danger" onClick={remove} disabled={busy}>
          Remove member
        </button>
      </DialogActions>
    </Dialog>
  );
}
