// The tenant's members in the order they joined, in pages; owners and admins add people, change roles and remove them, others only read.
import { useRef, useState } from 'react';
import type { Member } from '../api/types.js';
import { useCursorPages } from '../components/cursor-pages.js';
import { ErrorAlert } from '../components/error-alert.js';
import { Pager } from '../components/pager.js';
import { TableScroll } from '../components/table-scroll.js';
import { useLoad } from '../components/use-load.js';
import { useSession } from '../session/session-context.js';
import { useTenant } from '../session/tenant-context.js';
import { AddMemberForm } from './add-member-form.js';
import { MemberRow } from './member-row.js';
import { RemoveMemberDialog } from './remove-member-dialog.js';
import { ownerLock } from './role-change.js';

export function MembersPage() {
  const { api, me, refreshMe } = useSession();
  const { tenantId, canManage, role } = useTenant();
  const pages = useCursorPages();
  const members = useLoad(() => api.members.list(tenantId, { cursor: pages.cursor, limit: 50 }), [api, tenantId, pages.cursor]);
  const [removing, setRemoving] = useState<Member | null>(null);
  const table = useRef<HTMLTableElement>(null);
  const list = members.data?.data ?? [];
  const listComplete = pages.pageNumber === 1 && !members.data?.next_cursor;

  function replace(next: Member) {
    members.setData((page) => page && { ...page, data: page.data.map((m) => (m.user_id === next.user_id ? next : m)) });
    // A change to one's own role changes what this dashboard lets one do, at once.
    if (next.user_id === me.user.id) void refreshMe();
  }

  return (
    <section aria-labelledby="members-title">
      <div className="page-head">
        <div>
          <h1 id="members-title">Members</h1>
          <p className="muted">
            People who can sign in to this tenant. Owners and admins manage keys and members; developers and viewers can only look.
            {role && ` Your role: ${role}.`}
          </p>
        </div>
      </div>
      {canManage && <AddMemberForm onAdded={() => members.reload()} />}
      <ErrorAlert error={members.error} />
      {members.loading && !members.data && <p role="status">Loading members…</p>}
      {list.length > 0 && (
        <TableScroll label="Members">
          <table ref={table} className="table stack-table" aria-label="Members" tabIndex={-1}>
            <thead>
              <tr>
                <th scope="col">E-mail</th>
                <th scope="col">Role</th>
                <th scope="col">Phone</th>
                <th scope="col">Added</th>
                {canManage && <th scope="col">Actions</th>}
              </tr>
            </thead>
            <tbody>
              {list.map((m) => (
                <MemberRow
                  key={m.user_id}
                  member={m}
                  isSelf={m.user_id === me.user.id}
                  canManage={canManage}
                  locked={ownerLock(m, list, listComplete, role)}
                  mayMakeOwner={role === 'owner'}
                  onChanged={replace}
                  onRemove={() => setRemoving(m)}
                />
              ))}
            </tbody>
          </table>
        </TableScroll>
      )}
      <Pager pages={pages} nextCursor={members.data?.next_cursor} label="Members" />
      {removing && (
        <RemoveMemberDialog
          member={removing}
          onCancel={() => setRemoving(null)}
          // The list the member left, as after "Next page"; without it (none left to show) the dialog falls back to the heading.
          focusAfterRemoval={() => table.current}
          onRemoved={() => {
            // Their row goes in the same render as the dialog, so the focus does not return to its Remove button, about to vanish.
            members.setData((page) => page && { ...page, data: page.data.filter((m) => m.user_id !== removing.user_id) });
            setRemoving(null);
            members.reload();
            if (removing.user_id === me.user.id) void refreshMe();
          }}
        />
      )}
    </section>
  );
}
