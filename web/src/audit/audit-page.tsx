// The tenant's audit log: who did what to which object, from where and when.
import type { ReactNode } from 'react';
import type { ApiKey, AuditEntry } from '../api/types.js';
import { useCursorPages } from '../components/cursor-pages.js';
import { ErrorAlert } from '../components/error-alert.js';
import { ExportLinks } from '../components/export-links.js';
import { Pager } from '../components/pager.js';
import { ExactTime } from '../components/relative-time.js';
import { TableScroll } from '../components/table-scroll.js';
import { useLoad } from '../components/use-load.js';
import { useRetryFailed } from '../components/use-retry-failed.js';
import { keyHint, keyLabel } from '../keys/key-facts.js';
import { useKeysById } from '../keys/use-keys-by-id.js';
import { auditDetailsText, emailsInEntries, partyLabel, type Party } from '../members/people.js';
import { type MemberEmails, useMemberEmails } from '../members/use-member-emails.js';
import { Link, navigate } from '../router/navigation.js';
import { hrefFor } from '../router/routes.js';
import { useSession } from '../session/session-context.js';
import { useTenant } from '../session/tenant-context.js';

/** The details of an entry that hold a key's id. */
const KEY_DETAILS = ['rotated_to', 'rotated_from'];

const ACTIONS = [
  'tenant.created', 'tenant.updated', 'member.added', 'member.updated', 'member.removed', 'key.created', 'key.updated', 'key.deactivated',
  'key.activated', 'key.revoked', 'key.regenerated', 'key.rotated', 'key.expired', 'auth.signed_in', 'auth.otp_failed', 'auth.step_up', 'auth.signed_out',
];

/** An e-mail may break before its "@" ("dana.developer" over "@example.com") rather than letter by letter in a narrow column. */
function breakableAtSign(text: string): ReactNode {
  const at = text.lastIndexOf('@');
  if (at <= 0) return text;
  return (
    <>
      {text.slice(0, at)}
      <wbr />
      {text.slice(at)}
    </>
  );
}

/** A person by e-mail where the members list or an entry knows them; the raw type and id stay in the tooltip. */
function Who({ party, emails }: { party: Party; emails: MemberEmails }) {
  const label = partyLabel(party, emails.emails, emails.complete);
  return <span title={label.title}>{breakableAtSign(label.text)}</span>;
}

/**
 * A target key by name, linked to its page, and its hint, as the key list shows it (a rotated key and its successor
 * share the name), where the tenant's keys include it; else as `Who` says it.
 */
function Target({ party, emails, keys }: { party: Party; emails: MemberEmails; keys: ReadonlyMap<string, ApiKey> }) {
  const key = party.type === 'key' && party.id !== null ? keys.get(party.id) : undefined;
  if (!key) return <Who party={party} emails={emails} />;
  return (
    <>
      <Link className="key-name" href={hrefFor({ page: 'key', keyId: key.id }, key.tenant_id)} title={`key ${key.id}`}>
        {key.name}
      </Link>
      <code className="nowrap key-hint">{keyHint(key)}</code>
    </>
  );
}

function Details({ details, keyNames }: { details: Record<string, unknown>; keyNames: ReadonlyMap<string, string> }) {
  const lines = auditDetailsText(details, keyNames);
  if (lines.length === 0) return <span className="muted">-</span>;
  return (
    <ul className="plain-list audit-details">
      {lines.map((line) => (
        <li key={line}>{line}</li>
      ))}
    </ul>
  );
}

interface AuditTableProps {
  entries: AuditEntry[];
  members: MemberEmails;
  keys: ReadonlyMap<string, ApiKey>;
}

function AuditTable({ entries, members, keys }: AuditTableProps) {
  // By name and hint: "rotated to: staging-ci" alone would not say which of the two staging-ci keys.
  const keyNames = new Map(Array.from(keys.values(), (key) => [key.id, keyLabel(key)]));
  // A removed member is no longer in the members list, but the entries about their membership still carry the e-mail.
  const emails = { ...members, emails: new Map([...emailsInEntries(entries), ...members.emails]) };
  return (
    <TableScroll label="Audit log">
      <table className="table stack-table" aria-label="Audit log">
        <thead>
          <tr>
            <th scope="col">Time</th>
            <th scope="col">Actor</th>
            <th scope="col">Action</th>
            <th scope="col">Target</th>
            <th scope="col">IP</th>
            <th scope="col">Details</th>
          </tr>
        </thead>
        <tbody>
          {entries.map((entry) => (
            <tr key={entry.id}>
              <td data-label="Time">
                <ExactTime iso={entry.at} />
              </td>
              <td data-label="Actor" className="audit-party">
                <Who party={entry.actor} emails={emails} />
              </td>
              <td data-label="Action">
                <code>{entry.action}</code>
              </td>
              <td data-label="Target" className="audit-party">
                <Target party={entry.target} emails={emails} keys={keys} />
              </td>
              <td data-label="IP">{entry.ip ?? '-'}</td>
              <td data-label="Details" className="wrap">
                <Details details={entry.details} keyNames={keyNames} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableScroll>
  );
}

/** The keys the entries name: targets that are keys, and the keys of a rotation (`rotated_to`, `rotated_from`). */
function keyIdsOfEntries(entries: AuditEntry[]): string[] {
  return entries.flatMap((entry) => [
    ...(entry.target.type === 'key' && entry.target.id !== null ? [entry.target.id] : []),
    ...KEY_DETAILS.map((name) => entry.details[name]).filter((value): value is string => typeof value === 'string'),
  ]);
}

/** `action` is the filter in the address (`?action=`), so that a reload or a shared link keeps it and Back restores the one before. */
export function AuditPage({ action }: { action: string }) {
  const { api } = useSession();
  const { tenantId } = useTenant();
  const pages = useCursorPages(action);
  // The tenant's newest 100 keys name the keys the entries are about (all of them, for most tenants) in one request;
  // the keys of the page's entries that it lacks are read by id (`useKeysById`). A large tenant's whole list took
  // seconds and hundreds of requests to read, for names only.
  const keys = useLoad(() => api.keys.list(tenantId, { limit: 100 }).then((page) => page.data), [api, tenantId]);
  const entries = useLoad(() => api.auditLog(tenantId, { action: action || undefined, cursor: pages.cursor, limit: 50 }), [api, tenantId, action, pages.cursor]);
  useRetryFailed(keys, entries.data);
  const keysById = useKeysById(entries.data, keyIdsOfEntries(entries.data?.data ?? []), new Map((keys.data ?? []).map((key) => [key.id, key])), !keys.loading);
  const members = useMemberEmails(entries.data);

  return (
    <section aria-labelledby="audit-title">
      <div className="page-head">
        <div>
          <h1 id="audit-title">Audit log</h1>
          <p className="muted">Changes to keys, members and the tenant, and sign-ins, newest first.</p>
        </div>
        <ExportLinks href={(format) => api.exports.auditLog(tenantId, { action: action || undefined }, format)} what="audit entries" />
      </div>
      <form className="filters" aria-label="Audit filters" onSubmit={(e) => e.preventDefault()}>
        <div className="field">
          <label htmlFor="audit-action">Action</label>
          <select
            id="audit-action"
            className="input"
            value={action}
            onChange={(e) => navigate(hrefFor({ page: 'audit', action: e.target.value }, tenantId))}
          >
            <option value="">All actions</option>
            {ACTIONS.map((a) => (
              <option key={a} value={a}>
                {a}
              </option>
            ))}
          </select>
        </div>
      </form>
      <ErrorAlert error={entries.error} />
      {entries.loading && !entries.data && <p role="status">Loading audit log…</p>}
      {entries.data && entries.data.data.length === 0 && <p className="empty-state">Nothing recorded yet.</p>}
      {entries.data && entries.data.data.length > 0 && <AuditTable entries={entries.data.data} members={members} keys={keysById} />}
      <Pager pages={pages} nextCursor={entries.data?.next_cursor} label="Audit log" />
    </section>
  );
}
