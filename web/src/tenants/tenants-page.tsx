// Operators only: every tenant with its plan and status, found by name or id; opening one switches the dashboard to it.
import { useEffect, useState } from 'react';
import type { Tenant } from '../api/types.js';
import { PlanBadge, TenantStatusBadge } from '../components/badges.js';
import { useCursorPages } from '../components/cursor-pages.js';
import { ErrorAlert } from '../components/error-alert.js';
import { Pager } from '../components/pager.js';
import { RelativeTime } from '../components/relative-time.js';
import { SearchField, useTypedSearch } from '../components/search-field.js';
import { TableScroll } from '../components/table-scroll.js';
import { useLoad } from '../components/use-load.js';
import { Link, navigate } from '../router/navigation.js';
import { hrefFor } from '../router/routes.js';
import { useSession } from '../session/session-context.js';

const SEARCH_FIELD_ID = 'tenant-search';
/** Set by `findTenant`: the page focuses its search field once, when it next appears. */
let findOnArrival = false;

/** Opens the Tenants page ready to type a search (the header's "Find another tenant…"). */
export function findTenant(tenantId: string | null): void {
  const field = document.getElementById(SEARCH_FIELD_ID);
  if (field !== null) {
    field.focus();
    return;
  }
  findOnArrival = true;
  navigate(hrefFor({ page: 'tenants' }, tenantId));
}

/** `search` is the address's (`?search=`), and the search typed here goes there, so that Back from a tenant finds it. */
export function TenantsPage({ search, tenantId }: { search: string; tenantId: string | null }) {
  const { api } = useSession();
  const [focusSearch] = useState(() => {
    const asked = findOnArrival;
    findOnArrival = false;
    return asked;
  });
  const { text, setText, query, searchNow, reset, problem } = useTypedSearch(search);

  useEffect(() => {
    // Another address (the Tenants link, a shared one): its search fills the field.
    if (search !== query) reset(search);
  }, [search]);

  useEffect(() => {
    // Replaces the address rather than adding to Back: typing is not a step to go back through.
    navigate(hrefFor(query === '' ? { page: 'tenants' } : { page: 'tenants', search: query }, tenantId), { replace: true });
  }, [query, tenantId]);

  const pages = useCursorPages(query);
  const cursor = pages.cursor;
  const tenants = useLoad(
    async () => ({ query, cursor, page: await api.tenants.list({ cursor, limit: 50, ...(query === '' ? {} : { search: query }) }) }),
    [api, cursor, query],
  );
  // While another search or page loads, the rows of the one before stay; the status, the empty state and the
  // pager go by the answer to this search and page only (another's cursor would skip rows of this one).
  const rows = tenants.data?.page.data ?? [];
  const answer = tenants.data?.query === query && tenants.data.cursor === cursor && !tenants.loading ? tenants.data.page : undefined;

  return (
    <section aria-labelledby="tenants-title">
      <div className="page-head">
        <div>
          <h1 id="tenants-title">Tenants</h1>
          <p className="muted">
            All tenants of this deployment. Create one with <code>npx latchkey tenant create --name "Acme"</code>.
          </p>
        </div>
      </div>
      <form
        className="filters"
        aria-label="Tenant search"
        onSubmit={(e) => {
          e.preventDefault();
          searchNow();
        }}
      >
        <SearchField
          id={SEARCH_FIELD_ID}
          label="Find a tenant"
          placeholder="Name or tenant id"
          value={text}
          problem={problem}
          onChange={setText}
          status={tenants.error === null ? searchStatus(query, answer?.data ?? null, pages.pageNumber, answer?.next_cursor ?? null) : undefined}
          autoFocus={focusSearch}
        />
      </form>
      <ErrorAlert error={tenants.error} />
      {tenants.loading && !tenants.data && <p role="status">Loading tenants…</p>}
      {answer && answer.data.length === 0 && query === '' && <p className="empty-state">No tenants yet.</p>}
      {rows.length > 0 && (
        <TableScroll label="Tenants">
          <table className="table stack-table" aria-label="Tenants">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Plan</th>
                <th scope="col">Status</th>
                <th scope="col">ID</th>
                <th scope="col">Created</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((t) => (
                <TenantRow key={t.id} tenant={t} />
              ))}
            </tbody>
          </table>
        </TableScroll>
      )}
      <Pager pages={pages} nextCursor={answer?.next_cursor} label="Tenants" />
    </section>
  );
}

function TenantRow({ tenant }: { tenant: Tenant }) {
  return (
    <tr>
      <th scope="row" data-label="Name">
        <Link href={hrefFor({ page: 'keys' }, tenant.id)}>{tenant.name}</Link>
      </th>
      <td data-label="Plan">
        <PlanBadge plan={tenant.plan} />
      </td>
      <td data-label="Status">
        <TenantStatusBadge status={tenant.status} />
      </td>
      <td data-label="ID">
        <code>{tenant.id}</code>
      </td>
      <td data-label="Created">
        <RelativeTime iso={tenant.created_at} />
      </td>
    </tr>
  );
}

/** What the list shows, said under the search field; undefined (nothing said) for the whole list. */
function searchStatus(query: string, found: readonly Tenant[] | null, pageNumber: number, nextCursor: string | null): string | undefined {
  if (query === '') return undefined;
  if (found === null) return 'Searching…';
  if (found.length === 0) return pageNumber === 1 ? `No tenant matches “${query}”.` : `No more tenants match “${query}”.`;
  if (pageNumber > 1 || nextCursor !== null) return `Tenants matching “${query}”, page ${pageNumber}.`;
  return `${found.length} ${found.length === 1 ? 'tenant matches' : 'tenants match'} “${query}”.`;
}
