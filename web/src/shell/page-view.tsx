// Chooses the page for the address; pages of a tenant wait until a tenant is chosen.
import { useContext } from 'react';
import { AuditPage } from '../audit/audit-page.js';
import { ErrorAlert } from '../components/error-alert.js';
import { KeyDetailPage } from '../keys/key-detail-page.js';
import { KeysPage } from '../keys/keys-page.js';
import { RequestLogsPage } from '../logs/request-logs-page.js';
import { MembersPage } from '../members/members-page.js';
import type { Route } from '../router/routes.js';
import { useSession } from '../session/session-context.js';
import { TenantContext } from '../session/tenant-context.js';
import { TenantsPage } from '../tenants/tenants-page.js';

function NoTenant({ operator }: { operator: boolean }) {
  return (
    <section className="empty-state">
      <h1>No tenant yet</h1>
      {operator ? (
        <p>
          Create a first tenant with <code>npx latchkey tenant create --name "Acme"</code> (or <code>npx latchkey demo</code> for demo data), then reload
          this page.
        </p>
      ) : (
        <p>You are not a member of any tenant. Ask an owner or admin of your organisation to add your e-mail address.</p>
      )}
    </section>
  );
}

export function PageView({ route, ready, tenantError }: { route: Route; ready: boolean; tenantError: unknown }) {
  const { me } = useSession();
  const view = useContext(TenantContext);
  if (route.page === 'tenants') {
    return me.operator ? <TenantsPage /> : <NotFound />;
  }
  if (route.page === 'not-found') return <NotFound />;
  if (!ready) return <p role="status">Loading…</p>;
  if (view === null) return <NoTenant operator={me.operator} />;
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
      return <KeysPage key={tenantId} />;
    case 'key':
      return <KeyDetailPage key={`${tenantId}/${route.keyId}`} keyId={route.keyId} />;
    case 'logs':
      return <RequestLogsPage key={`${tenantId}/${route.keyId ?? ''}`} initialKeyId={route.keyId ?? ''} />;
    case 'audit':
      return <AuditPage key={tenantId} />;
    case 'members':
      return <MembersPage key={tenantId} />;
  }
}

function NotFound() {
  return (
    <section className="empty-state">
      <h1>Page not found</h1>
      <p>This address is not a page of the dashboard. Use the navigation above.</p>
    </section>
  );
}
