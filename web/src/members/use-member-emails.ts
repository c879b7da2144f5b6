// The e-mail of each member of the tenant by user id, so that pages can name people instead of showing `usr_…`.
import { useMemo } from 'react';
import { loadAllPages } from '../components/load-all-pages.js';
import { useLoad } from '../components/use-load.js';
import { useRetryFailed } from '../components/use-retry-failed.js';
import { useSession } from '../session/session-context.js';
import { useTenant } from '../session/tenant-context.js';

export interface MemberEmails {
  /** E-mail by user id. */
  emails: ReadonlyMap<string, string>;
  /** Every member was read: a user id not in `emails` is no member of the tenant now. */
  complete: boolean;
}

/**
 * Members' e-mails by user id, the signed-in person's own included (an operator is no member). Only their own while
 * loading or when the members cannot be read: callers then show the ids. `named`, the data of the list whose people
 * they name: a new answer to it reads the members again if they failed to load.
 */
export function useMemberEmails(named?: unknown): MemberEmails {
  const { api, me } = useSession();
  const { tenantId } = useTenant();
  const members = useLoad(() => loadAllPages((cursor) => api.members.list(tenantId, { cursor, limit: 100 })), [api, tenantId]);
  useRetryFailed(members, named);
  return useMemo(() => {
    const emails = new Map((members.data ?? []).map((m) => [m.user_id, m.email]));
    emails.set(me.user.id, me.user.email);
    return { emails, complete: members.data !== undefined };
  }, [members.data, me]);
}
