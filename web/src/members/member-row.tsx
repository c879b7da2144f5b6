// One member: role (a select and "Save role" for owners and admins), phone, when added, and remove.
// Choosing a role only picks it: nothing is sent until "Save role", so browsing the options with the keyboard changes nobody's rights.
import { useRef, useState } from 'react';
import { type Member, type Role, ROLES } from '../api/types.js';
import { ErrorAlert } from '../components/error-alert.js';
import { RelativeTime } from '../components/relative-time.js';
import { useSession } from '../session/session-context.js';
import { useTenant } from '../session/tenant-context.js';
import { roleChangeWarning } from './role-change.js';

interface MemberRowProps {
  member: Member;
  isSelf: boolean;
  canManage: boolean;
  /** Why this member's role and membership cannot change here (see ownerLock), or null. */
  locked: string | null;
  /** Whether the signed-in person may make someone an owner (only owners may). */
  mayMakeOwner: boolean;
  onChanged: (member: Member) => void;
  onRemove: () => void;
}

export function MemberRow({ member, isSelf, canManage, locked, mayMakeOwner, onChanged, onRemove }: MemberRowProps) {
  const { api } = useSession();
  const { tenantId } = useTenant();
  // The role picked and not yet saved; null while the select shows the member's role as the server has it.
  const [chosen, setChosen] = useState<Role | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const select = useRef<HTMLSelectElement>(null);
  const changing = chosen !== null && chosen !== member.role;
  const warning = changing ? roleChangeWarning(member.role, chosen, isSelf) : null;
  const warningId = `role-warning-${member.user_id}`;

  async function saveRole() {
    if (busy || !changing) return;
    setBusy(true);
    setError(null);
    try {
      const saved = await api.members.update(tenantId, member.user_id, { role: chosen });
      setChosen(null);
      onChanged(saved);
      // The buttons go away with the change; the select is where the person was working.
      select.current?.focus();
    } catch (cause) {
      setError(cause);
    }
    setBusy(false);
  }

  function keepRole() {
    setChosen(null);
    setError(null);
    select.current?.focus();
  }

  return (
    <tr>
      <th scope="row" data-label="E-mail">
        {member.email}
        {isSelf && <span className="muted"> (you)</span>}
      </th>
      <td data-label="Role">
        {canManage && locked !== null ? (
          <>
            {member.role}
            <p className="hint">{locked}</p>
          </>
        ) : canManage ? (
          <div className="role-change">
            <select
              ref={select}
              className="input"
              aria-label={`Role of ${member.email}`}
              aria-describedby={warning ? warningId : undefined}
              value={chosen ?? member.role}
              onChange={(e) => {
                setChosen(e.target.value as Role);
                setError(null);
              }}
            >
              {ROLES.map((r) => (
                <option key={r} value={r} disabled={r === 'owner' && member.role !== 'owner' && !mayMakeOwner}>
                  {r}
                </option>
              ))}
            </select>
            {changing && (
              <>
                {warning && (
                  <p className="hint" id={warningId}>
                    {warning}
                  </p>
                )}
                <div className="actions">
                  {/* aria-disabled, not disabled: a disabled button drops the keyboard focus while the change is saved. */}
                  <button type="button" className="button button-primary" aria-disabled={busy} onClick={() => void saveRole()}>
                    {busy ? 'Saving…' : 'Save role'}
                  </button>
                  <button type="button" className="button" onClick={keepRole} disabled={busy}>
                    Keep {member.role}
                  </button>
                </div>
              </>
            )}
          </div>
        ) : (
          member.role
        )}
        <ErrorAlert error={error} />
      </td>
      <td data-label="Phone">{member.phone ?? <span className="muted">-</span>}</td>
      <td data-label="Added">
        <RelativeTime iso={member.created_at} />
        {member.joined_at === null && <p className="hint">Has not opened this tenant yet; their sign-ins show in the audit log once they do.</p>}
      </td>
      {canManage && (
        <td data-label="Actions">
          {locked === null && (
            <button type="button" className="button button-danger" aria-label={`Remove ${member.email}`} onClick={onRemove}>
              Remove
            </button>
          )}
        </td>
      )}
    </tr>
  );
}
