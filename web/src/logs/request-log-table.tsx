// Request log entries as a table (stacked cards on narrow screens).
import type { ApiKey, RequestLog } from '../api/types.js';
import { Badge } from '../components/badges.js';
import { ExactTime } from '../components/relative-time.js';
import { TableScroll } from '../components/table-scroll.js';
import { Link } from '../router/navigation.js';
import { hrefFor } from '../router/routes.js';
import { keyHint } from '../keys/key-facts.js';

function LoggedKey({ keyId, tenantId, known }: { keyId: string; tenantId: string; known: KnownKey | undefined }) {
  return (
    <>
      <Link className="key-name" href={hrefFor({ page: 'key', keyId }, tenantId)}>
        {known?.name ?? keyId}
      </Link>
      {known && <code className="nowrap key-hint">{keyHint(known)}</code>}
    </>
  );
}

function statusTone(status: number) {
  if (status < 300) return 'ok' as const;
  if (status === 429) return 'warn' as const;
  return status < 500 ? ('bad' as const) : ('neutral' as const);
}

type KnownKey = Pick<ApiKey, 'name' | 'start' | 'end'>;

/**
 * `keys` adds a key column (name and hint where known, else the ID; the hint tells an old key from its rotated
 * successor of the same name); leave it out where all rows are of one key.
 */
export function RequestLogTable({ logs, keys, label }: { logs: RequestLog[]; keys?: ReadonlyMap<string, KnownKey>; label: string }) {
  const showKey = keys !== undefined;
  return (
    <TableScroll label={label}>
      <table className="table stack-table" aria-label={label}>
        <thead>
          <tr>
            <th scope="col">Time</th>
            <th scope="col">Request</th>
            <th scope="col">Status</th>
            <th scope="col">Code</th>
            {showKey && <th scope="col">Key</th>}
            <th scope="col">Latency</th>
            <th scope="col">IP</th>
            <th scope="col">Environment</th>
          </tr>
        </thead>
        <tbody>
          {logs.map((log) => (
            <tr key={log.id}>
              <td data-label="Time">
                <ExactTime iso={log.at} />
              </td>
              <td data-label="Request" className="wrap">
                <code>
                  {log.method} {log.path}
                </code>
              </td>
              <td data-label="Status">
                <Badge tone={statusTone(log.status)}>{String(log.status)}</Badge>
              </td>
              <td data-label="Code">
                <code>{log.code}</code>
              </td>
              {showKey && (
                <td data-label="Key">
                  {log.key_id ? <LoggedKey keyId={log.key_id} tenantId={log.tenant_id} known={keys?.get(log.key_id)} /> : <span className="muted">none</span>}
                </td>
              )}
              <td data-label="Latency">{log.latency_ms} ms</td>
              <td data-label="IP">{log.ip ?? '-'}</td>
              <td data-label="Environment">{log.environment}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableScroll>
  );
}
