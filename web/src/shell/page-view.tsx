// Chooses the page for the address; pages of a tenant wait until a tenant is chosen.
import { useContext } from 'react';
import { AuditPage } from '../audit/audit-page.js';
import { ErrorAlert } from '../components/error-alert.js';
import { KeyDetailPage } from '../keys/key-detail-page.js';
import { KeysPage } from '../keys/keys-page.js';
import { RequestLogsPage } from '../logs/request-logs-page.js';
import { MembersPage } from '../members/members-page.js';
import { Link } from '../router/navigation.js';
import { hrefFor, type Route } from '../router/routes.js';
import { useSession } from '../session/session-context.js';
import { TenantContext } from '../session/tenant-context.js';
import { TenantsPage } from '../tenants/tenants-page.js';

/** First run: an operator with no tenant gets the steps to a first key; anyone else, whom to ask. */
function NoTenant({ operator, onCheckAgain }: { operator: boolean; onCheckAgain: () => void }) {
  if (!operator) {
    return (
      <section className="empty-state" aria-labelledby="no-tenant-title">
        <h1 id="no-tenant-title">No tenant yet</h1>
        <p>You are not a member of any tenant. Ask an owner or admin of your organisation to add your e-mail address.</p>
      </section>
    );
  }
  return (
    <section className="empty-state" aria-labelledby="no-tenant-title">
      <h1 id="no-tenant-title">No tenant yet</h1>
      <p>
        A tenant is one organisation that uses your API: it owns API keys, members and request logs. As an operator you act as owner in every
        tenant. To get to a first key:
      </p>
      <ol className="steps">
        <li>
          In a terminal next to the server, create a tenant: <code>npx latchkey tenant create --name "Acme"</code>
        </li>
        <li>Press “Check again” below: its API Access page opens, where you create its first key.</li>
        <li>
          Add the people of that organisation on its Members page, or with <code>npx latchkey member add --tenant &lt;tenant id&gt; --email ... --role owner</code>.
        </li>
      </ol>
      <p>
        Just looking around? <code>npx latchkey demo</code> fills every page with a demo tenant, members, keys and a week of traffic.
      </p>
      <button type="button" className="button button-primary" onClick={onCheckAgain}>
        Check again
      </button>
    </section>
  );
}

/** A tenant id in the address that the server does not know (an operator may ask for any). */
function TenantMissing({ error, operator }: { error: unknown; operator: boolean }) {
  return (
    <section aria-labelledby="tenant-missing-title">
      <h1 id="tenant-missing-title">Tenant not found</h1>
      <ErrorAlert error={error} />
      <p>
        {operator ? (
          <>
            Pick a tenant on the <Link href={hrefFor({ page: 'tenants' }, null)}>Tenants</Link> page or in the switcher above.
          </>
        ) : (
          'Pick a tenant in the switcher above.'
        )}
      </p>
    </section>
  );
}

interface PageViewProps {
  route: Route;
  ready: boolean;
  tenantError: unknown;
  /** The tenant of the address does not exist: its pages would only say so again, each with controls that cannot work. */
  tenantMissing: boolean;
  /** Reads the tenants again (after one was created from the CLI). */
  onReloadTenants: () => void;
}

export function PageView({ route, ready, tenantError, tenantMissing, onReloadTenants }: PageViewProps) {
  const { me } = useSession();
  const view = useContext(TenantContext);
  if (route.page === 'tenants') {
    return me.operator ? <TenantsPage search={route.search ?? ''} tenantId={view?.tenantId ?? null} /> : <NotFound />;
  }
  if (route.page === 'not-found') return <NotFound />;
  if (!ready) return <p role="status">Loading…</p>;
  if (view === null) return <NoTenant operator={me.operator} onCheckAgain={onReloadTenants} />;
  if (tenantMissing) return <TenantMissing error={tenantError} operator={me.operator} />;
  // A tenant that cannot be read only costs its name and plan; the page still shows what it can.
  return (
    <>
      <ErrorAlert error={tenantError} />
      <TenantPage route={route} tenantId={view.tenantId} />
    </>
  );
}

function TenantPage({ route, tenantId }: { route: Exclude<Route, { page: 'tenants' | 'not-found' }>; tenantId: string }) {
  switch (route.page) {
    case 'keys':
      return <KeysPage key={tenantId} filters={route} />;
    case 'key':
      return <KeyDetailPage key={`${tenantId}/${route.keyId}`} keyId={route.keyId} />;
    case 'logs':
      return <RequestLogsPage key={tenantId} filters={route} />;
    case 'audit':
      return <AuditPage key={tenantId} action={route.action ?? ''} />;
    case 'members':
      return <MembersPage key={tenantId} />;
  }
}

function NotFound() {
  return (
    <section className="empty-state">
      <h1>Page not found</h1>
      <p>This address is not a page of the dashboard. Use the navigation to find the page you want.</p>
    </section>
  );
}
