// The key list as a table; on narrow screens each row becomes a card (see .stack-table in styles.css).
import type { ApiKey } from '../api/types.js';
import { Badge, EnvironmentBadge, KeyStatusBadge } from '../components/badges.js';
import { RelativeTime } from '../components/relative-time.js';
import { exactTime } from '../components/time-format.js';
import { Link } from '../router/navigation.js';
import { hrefFor } from '../router/routes.js';
import { EXPIRY_WARNING_DAYS, expiresSoon, keyHint, ORPHAN_DAYS, possiblyOrphaned, scopesSummary } from './key-facts.js';

export function KeyFlags({ apiKey, now }: { apiKey: ApiKey; now: number }) {
  return (
    <>
      {expiresSoon(apiKey, now) && (
        <Badge tone="warn" title={`Expires within ${EXPIRY_WARNING_DAYS} days`}>
          expires soon
        </Badge>
      )}
      {possiblyOrphaned(apiKey, now) && (
        <Badge tone="neutral" title={`Not used for ${ORPHAN_DAYS} days or more: check whether anything still needs it`}>
          possibly orphaned
        </Badge>
      )}
    </>
  );
}

function KeyRow({ apiKey, now }: { apiKey: ApiKey; now: number }) {
  return (
    <tr>
      <th scope="row" data-label="Name">
        <Link href={hrefFor({ page: 'key', keyId: apiKey.id }, apiKey.tenant_id)}>{apiKey.name}</Link>
        <KeyFlags apiKey={apiKey} now={now} />
      </th>
      <td data-label="Environment">
        <EnvironmentBadge environment={apiKey.environment} />
      </td>
      <td data-label="Status">
        <KeyStatusBadge status={apiKey.status} />
      </td>
      <td data-label="Scopes" title={apiKey.scopes.join(', ')}>
        {scopesSummary(apiKey.scopes)}
      </td>
      <td data-label="Rate limit">{apiKey.rate_limit.requests_per_minute}/min</td>
      <td data-label="Key">
        <code className="nowrap">{keyHint(apiKey)}</code>
      </td>
      <td data-label="Created">
        <RelativeTime iso={apiKey.created_at} />
      </td>
      <td data-label="Expires">
        {apiKey.expires_at === null ? 'never' : <time dateTime={apiKey.expires_at} title={exactTime(apiKey.expires_at)}>{apiKey.expires_at.slice(0, 10)}</time>}
      </td>
      <td data-label="Last used">
        <RelativeTime iso={apiKey.last_used_at} />
      </td>
    </tr>
  );
}

export function KeyTable({ keys }: { keys: ApiKey[] }) {
  const now = Date.now();
  return (
    <table className="table stack-table" aria-label="API keys">
      <thead>
        <tr>
          <th scope="col">Name</th>
          <th scope="col">Environment</th>
          <th scope="col">Status</th>
          <th scope="col">Scopes</th>
          <th scope="col">Rate limit</th>
          <th scope="col">Key</th>
          <th scope="col">Created</th>
          <th scope="col">Expires</th>
          <th scope="col">Last used</th>
        </tr>
      </thead>
      <tbody>
        {keys.map((key) => (
          <KeyRow key={key.id} apiKey={key} now={now} />
        ))}
      </tbody>
    </table>
  );
}
