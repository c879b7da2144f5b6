// Operators only: every tenant with its plan and status; opening one switches the dashboard to it.
import { PlanBadge, TenantStatusBadge } from '../components/badges.js';
import { useCursorPages } from '../components/cursor-pages.js';
import { ErrorAlert } from '../components/error-alert.js';
import { Pager } from '../components/pager.js';
import { RelativeTime } from '../components/relative-time.js';
import { TableScroll } from '../components/table-scroll.js';
import { useLoad } from '../components/use-load.js';
import { Link } from '../router/navigation.js';
import { hrefFor } from '../router/routes.js';
import { useSession } from '../session/session-context.js';

export function TenantsPage() {
  const { api } = useSession();
  const pages = useCursorPages();
  const tenants = useLoad(() => api.tenants.list({ cursor: pages.cursor, limit: 50 }), [api, pages.cursor]);

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
      <ErrorAlert error={tenants.error} />
      {tenants.loading && !tenants.data && <p role="status">Loading tenants…</p>}
      {tenants.data && tenants.data.data.length === 0 && <p className="empty-state">No tenants yet.</p>}
      {tenants.data && tenants.data.data.length > 0 && (
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
              {tenants.data.data.map((t) => (
                <tr key={t.id}>
                  <th scope="row" data-label="Name">
                    <Link href={hrefFor({ page: 'keys' }, t.id)}>{t.name}</Link>
                  </th>
                  <td data-label="Plan">
                    <PlanBadge plan={t.plan} />
                  </td>
                  <td data-label="Status">
                    <TenantStatusBadge status={t.status} />
                  </td>
                  <td data-label="ID">
                    <code>{t.id}</code>
                  </td>
                  <td data-label="Created">
                    <RelativeTime iso={t.created_at} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      )}
      <Pager pages={pages} nextCursor={tenants.data?.next_cursor} label="Tenants" />
    </section>
  );
}
