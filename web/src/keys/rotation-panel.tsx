// After a rotation: the old and new keys' last use side by side, so the admin sees traffic moved before revoking the old key.
import { type Ref, useEffect, useState } from 'react';
import type { ApiKey } from '../api/types.js';
import { KeyStatusBadge } from '../components/badges.js';
import { ErrorAlert } from '../components/error-alert.js';
import { RelativeTime } from '../components/relative-time.js';
import { TableScroll } from '../components/table-scroll.js';
import { useLoad } from '../components/use-load.js';
import { Link } from '../router/navigation.js';
import { hrefFor } from '../router/routes.js';
import { useSession } from '../session/session-context.js';
import { useTenant } from '../session/tenant-context.js';
import { keyHint } from './key-facts.js';
import { RevokeDialog } from './revoke-dialog.js';

/** Whether the old key was used after the new one came into being. */
function oldStillUsed(oldKey: ApiKey, newKey: ApiKey): boolean {
  return oldKey.last_used_at !== null && Date.parse(oldKey.last_used_at) > Date.parse(newKey.created_at);
}

function Row({ label, apiKey }: { label: string; apiKey: ApiKey }) {
  return (
    <tr>
      <th scope="row" data-label="Key">
        {label}: <Link href={hrefFor({ page: 'key', keyId: apiKey.id }, apiKey.tenant_id)}>{apiKey.name}</Link> <code>{keyHint(apiKey)}</code>
      </th>
      <td data-label="Status">
        <KeyStatusBadge status={apiKey.status} />
      </td>
      <td data-label="Last used">
        <RelativeTime iso={apiKey.last_used_at} />
        {apiKey.last_used_at && apiKey.last_used_ip && <> from {apiKey.last_used_ip}</>}
      </td>
    </tr>
  );
}

interface RotationPanelProps {
  apiKey: ApiKey;
  onChanged: () => void;
  /** The panel's heading, which takes the focus after a rotation's secret is stored (its "Rotate key" button is gone). */
  headingRef?: Ref<HTMLHeadingElement>;
}

export function RotationPanel({ apiKey, onChanged, headingRef }: RotationPanelProps) {
  const { api } = useSession();
  const { tenantId, canManage } = useTenant();
  const otherId = apiKey.rotated_to ?? apiKey.rotated_from;
  const other = useLoad(async () => (otherId ? (await api.keys.get(tenantId, otherId)).key : null), [api, tenantId, otherId]);
  const [revoking, setRevoking] = useState(false);
  // The dialog hands the focus back to "Revoke old key", which goes once the reload shows the old key revoked, and
  // the focus with it to <body>; the panel's heading, which stays, takes it instead. Runs after the dialog's cleanup.
  const [revoked, setRevoked] = useState(false);
  useEffect(() => {
    if (!revoked) return;
    setRevoked(false);
    document.getElementById('rotation-title')?.focus();
  }, [revoked]);
  if (!other.data) return <ErrorAlert error={other.error} />;
  const [oldKey, newKey] = apiKey.rotated_to ? [apiKey, other.data] : [other.data, apiKey];

  function refresh() {
    onChanged();
    other.reload();
  }

  return (
    <section className="card rotation" aria-labelledby="rotation-title">
      <h2 id="rotation-title" ref={headingRef} tabIndex={-1}>
        Rotation
      </h2>
      <TableScroll label="Old and new key">
        <table className="table stack-table" aria-label="Old and new key">
          <thead>
            <tr>
              <th scope="col">Key</th>
              <th scope="col">Status</th>
              <th scope="col">Last used</th>
            </tr>
          </thead>
          <tbody>
            <Row label="Old" apiKey={oldKey} />
            <Row label="New" apiKey={newKey} />
          </tbody>
        </table>
      </TableScroll>
      {oldKey.status !== 'revoked' && (
        <p role="status">
          {oldStillUsed(oldKey, newKey)
            ? 'The old key was still used after the rotation: some program has not switched yet.'
            : 'The old key has not been used since the rotation.'}
        </p>
      )}
      <div className="actions">
        <button type="button" className="button" onClick={refresh}>
          Refresh last use
        </button>
        {canManage && oldKey.status !== 'revoked' && (
          <button type="button" className="button button-danger" onClick={() => setRevoking(true)}>
            Revoke old key
          </button>
        )}
      </div>
      {revoking && (
        <RevokeDialog
          apiKey={oldKey}
          onConflict={refresh}
          onCancel={() => setRevoking(false)}
          onRevoked={() => {
            setRevoking(false);
            setRevoked(true);
            onChanged();
            other.reload();
          }}
        />
      )}
    </section>
  );
}
