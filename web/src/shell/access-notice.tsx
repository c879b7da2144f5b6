// Says what changed when a fresh read of the session finds other tenants or roles (changed in another tab, by another person or a script),
// and that a tenant in the address was not the person's own.
import { useEffect, useRef, useState } from 'react';
import type { Me } from '../api/types.js';
import { accessChanges } from '../session/access-changes.js';

/** The sentences of the latest change to `me`'s tenants or roles, kept until dismissed, and how to dismiss them. */
export function useAccessChanges(me: Me): { changes: string[]; dismiss: () => void } {
  const previous = useRef(me);
  const [changes, setChanges] = useState<string[]>([]);
  useEffect(() => {
    const found = accessChanges(previous.current, me);
    previous.current = me;
    if (found.length > 0) setChanges(found);
  }, [me]);
  return { changes, dismiss: () => setChanges([]) };
}

export function AccessNotice({ changes, onDismiss }: { changes: string[]; onDismiss: () => void }) {
  if (changes.length === 0) return null;
  return (
    <div className="alert alert-warn access-notice" role="status">
      {changes.map((change) => (
        <p key={change}>{change}</p>
      ))}
      <button type="button" className="button button-link" onClick={onDismiss}>
        Dismiss
      </button>
    </div>
  );
}

/** A tenant in the address that is not the signed-in person's, and the one shown instead. */
export interface RefusedTenant {
  requested: string;
  shownInstead: string;
}

export function RefusedTenantNotice({ refused, shownName, onDismiss }: { refused: RefusedTenant; shownName: string; onDismiss: () => void }) {
  return (
    <div className="alert alert-warn access-notice" role="status">
      <p>
        You are not a member of tenant <code>{refused.requested}</code> (from the address), so this shows {shownName} instead.
      </p>
      <button type="button" className="button button-link" onClick={onDismiss}>
        Dismiss
      </button>
    </div>
  );
}
