// The read-only facts of a key: hint, id, who created it and when, expiry, last use, rotation links.
import type { ApiKey } from '../api/types.js';
import { RelativeTime } from '../components/relative-time.js';
import { useLoad } from '../components/use-load.js';
import { exactTime } from '../components/time-format.js';
import { creatorLabel } from '../members/people.js';
import { useMemberEmails } from '../members/use-member-emails.js';
import { Link } from '../router/navigation.js';
import { hrefFor } from '../router/routes.js';
import { useSession } from '../session/session-context.js';
import { keyHint, keyLabel } from './key-facts.js';

/** The other key of a rotation by name and hint (the two share the name), its id while it loads or if it cannot be read. */
function KeyLink({ tenantId, keyId }: { tenantId: string; keyId: string }) {
  const { api } = useSession();
  const other = useLoad(async () => (await api.keys.get(tenantId, keyId)).key, [api, tenantId, keyId]);
  return (
    <Link href={hrefFor({ page: 'key', keyId }, tenantId)} title={`key ${keyId}`}>
      {other.data ? keyLabel(other.data) : keyId}
    </Link>
  );
}

function Creator({ createdBy }: { createdBy: string }) {
  const members = useMemberEmails();
  const label = creatorLabel(createdBy, members.emails, members.complete);
  return <span title={label.title}>{label.text}</span>;
}

export function KeyFacts({ apiKey }: { apiKey: ApiKey }) {
  return (
    <dl className="facts" aria-label="Key facts">
      <div>
        <dt>Key</dt>
        <dd>
          <code>{keyHint(apiKey)}</code>
        </dd>
      </div>
      <div>
        <dt>ID</dt>
        <dd>
          <code>{apiKey.id}</code>
        </dd>
      </div>
      <div>
        <dt>Environment</dt>
        <dd>{apiKey.environment} (fixed)</dd>
      </div>
      <div>
        <dt>Created</dt>
        <dd>
          <RelativeTime iso={apiKey.created_at} />
          {apiKey.created_by && (
            <>
              {' '}
              by <Creator createdBy={apiKey.created_by} />
            </>
          )}
        </dd>
      </div>
      <div>
        <dt>Expires</dt>
        <dd>{apiKey.expires_at === null ? 'never' : <span title={exactTime(apiKey.expires_at)}>{exactTime(apiKey.expires_at)}</span>}</dd>
      </div>
      <div>
        <dt>Last used</dt>
        <dd>
          <RelativeTime iso={apiKey.last_used_at} />
          {apiKey.last_used_at && apiKey.last_used_ip && <> from {apiKey.last_used_ip}</>}
        </dd>
      </div>
      {apiKey.revoked_at && (
        <div>
          <dt>Revoked</dt>
          <dd>
            <RelativeTime iso={apiKey.revoked_at} />
          </dd>
        </div>
      )}
      {apiKey.rotated_from && (
        <div>
          <dt>Rotated from</dt>
          <dd>
            <KeyLink tenantId={apiKey.tenant_id} keyId={apiKey.rotated_from} />
          </dd>
        </div>
      )}
      {apiKey.rotated_to && (
        <div>
          <dt>Rotated to</dt>
          <dd>
            <KeyLink tenantId={apiKey.tenant_id} keyId={apiKey.rotated_to} />
          </dd>
        </div>
      )}
    </dl>
  );
}
