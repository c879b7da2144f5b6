// One member: role (a select for owners and admins), phone, when added, and remove.
import { useState } from 'react';
import { type Member, type Role, ROLES } from '../api/types.js';
import { ErrorAlert } from '../components/error-alert.js';
import { RelativeTime } from '../components/relative-time.js';
import { useSession } from '../session/session-context.js';
import { useTenant } from '../session/tenant-context.js';

interface MemberRowProps {
  member: Member;
  isSelf: boolean;
  canManage: boolean;
  onChanged: (member: Member) => void;
  onRemove: () => void;
}

export function MemberRow({ member, isSelf, canManage, onChanged, onRemove }: MemberRowProps) {
  const { api } = useSession();
  const { tenantId } = useTenant();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  async function changeRole(role: Role) {
    setBusy(true);
    setError(null);
    try {
      onChanged(await api.members.update(tenantId, member.user_id, { role }));
    } catch (cause) {
      setError(cause);
    }
    setBusy(false);
  }

  return (
    <tr>
      <th scope="row" data-label="E-mail">
        {member.email}
        {isSelf && <span className="muted"> (you)</span>}
      </th>
      <td data-label="Role">
        {canManage ? (
          <select className="input" aria-label={`Role of ${member.email}`} value={member.role} disabled={busy} onChange={(e) => void changeRole(e.target.value as Role)}>
            {ROLES.map((r) => (
              <option key={r} value={r}>
                {r}
              </option>
            ))}
          </select>
        ) : (
          member.role
        )}
        <ErrorAlert error={error} />
      </td>
      <td data-label="Phone">{member.phone ?? <span className="muted">-</span>}</td>
      <td data-label="Added">
        <RelativeTime iso={member.created_at} />
      </td>
      {canManage && (
        <td data-label="Actions">
          <button type="button" className="button button-danger" aria-label={`Remove ${member.email}`} onClick={onRemove}>
            Remove
          </button>
        </td>
      )}
    </tr>
  );
}
