// The key list as a table; on narrow screens each row becomes a card (see .stack-table in styles.css).
import type { ApiKey } from '../api/types.js';
import { EnvironmentBadge, KeyStatusBadge } from '../components/badges.js';
import { RelativeTime } from '../components/relative-time.js';
import { TableScroll } from '../components/table-scroll.js';
import { exactTime } from '../components/time-format.js';
import { Link } from '../router/navigation.js';
import { hrefFor } from '../router/routes.js';
import { keyHint, rotationNote, scopesSummary } from './key-facts.js';
import { ExpiresSoonFlag, OrphanFlag } from './key-flags.js';

function KeyRow({ apiKey, now, byId }: { apiKey: ApiKey; now: number; byId: ReadonlyMap<string, ApiKey> }) {
  const rotation = rotationNote(apiKey, byId);
  return (
    <tr>
      {/* The secret's hint sits under the name: together they say which key this is. */}
      <th scope="row" data-label="Name">
        <Link className="key-name" href={hrefFor({ page: 'key', keyId: apiKey.id }, apiKey.tenant_id)}>
          {apiKey.name}
        </Link>
        <code className="nowrap key-hint" title="The start and end of the secret">
          {keyHint(apiKey)}
        </code>
        {/* After a rotation two rows share the name: this says which is the old and which the new. */}
        {rotation && <span className="key-rotation">{rotation}</span>}
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
      <td data-label="Rate limit" className="nowrap">
        {apiKey.rate_limit.requests_per_minute}/min
      </td>
      <td data-label="Created">
        <RelativeTime iso={apiKey.created_at} />
      </td>
      <td data-label="Expires" className="with-flag">
        {apiKey.expires_at === null ? 'never' : <time dateTime={apiKey.expires_at} title={exactTime(apiKey.expires_at)}>{apiKey.expires_at.slice(0, 10)}</time>}
        <ExpiresSoonFlag apiKey={apiKey} now={now} />
      </td>
      <td data-label="Last used" className="with-flag">
        <RelativeTime iso={apiKey.last_used_at} />
        <OrphanFlag apiKey={apiKey} now={now} />
      </td>
    </tr>
  );
}

export function KeyTable({ keys }: { keys: ApiKey[] }) {
  const now = Date.now();
  const byId = new Map(keys.map((key) => [key.id, key]));
  return (
    <TableScroll label="API keys">
      <table className="table stack-table" aria-label="API keys">
        <thead>
          <tr>
            <th scope="col">Name and key</th>
            <th scope="col">Environment</th>
            <th scope="col">Status</th>
            <th scope="col">Scopes</th>
            <th scope="col">Rate limit</th>
            <th scope="col">Created</th>
            <th scope="col">Expires</th>
            <th scope="col">Last used</th>
          </tr>
        </thead>
        <tbody>
          {keys.map((key) => (
            <KeyRow key={key.id} apiKey={key} now={now} byId={byId} />
          ))}
        </tbody>
      </table>
    </TableScroll>
  );
}
