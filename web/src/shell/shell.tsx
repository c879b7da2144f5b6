// The signed-in frame: picks the tenant, loads it, and shows header, navigation and the page of the address.
import { useEffect, useMemo, useRef, useState } from 'react';
import { isNotFound } from '../api/api-error.js';
import type { Tenant } from '../api/types.js';
import { useLoad } from '../components/use-load.js';
import { hrefFor, parseLocation, type Route } from '../router/routes.js';
import { navigate, useUrl } from '../router/navigation.js';
import { canManage, chooseTenant, roleIn } from '../session/roles.js';
import { useSession } from '../session/session-context.js';
import { TenantContext, type TenantView } from '../session/tenant-context.js';
import { AccessNotice, type RefusedTenant, RefusedTenantNotice, useAccessChanges } from './access-notice.js';
import { Header } from './header.js';
import type { TenantOption } from './tenant-switcher.js';
import { MainNav } from './main-nav.js';
import { PageView } from './page-view.js';

const REMEMBERED = 'latchkey.tenant';
/** Tenants an operator's switcher lists: the newest. */
export const TENANTS_OFFERED = 100;

const PAGE_TITLES: Record<Route['page'], string> = {
  keys: 'API Access',
  key: 'Key',
  logs: 'Request logs',
  audit: 'Audit log',
  members: 'Members',
  tenants: 'Tenants',
  'not-found': 'Not found',
};

function rememberedTenant(): string | null {
  try {
    return window.localStorage.getItem(REMEMBERED);
  } catch {
    return null;
  }
}

export function Shell() {
  const { api, me, deployment } = useSession();
  const { pathname, search } = useUrl();
  const location = parseLocation(pathname, search);
  // The newest tenants; an operator of a deployment with more finds the others on the Tenants page (the switcher
  // offers "Find another tenant…"), rather than waiting here for thousands to load into a select.
  const operatorTenants = useLoad(
    () => (me.operator ? api.tenants.list({ limit: TENANTS_OFFERED }) : Promise.resolve(null)),
    [api, me.operator],
  );
  const moreTenants = me.operator && (operatorTenants.data?.next_cursor ?? null) !== null;

  const options: TenantOption[] = useMemo(
    () =>
      me.operator
        ? (operatorTenants.data?.data ?? []).map((t) => ({ id: t.id, name: t.name }))
        : me.memberships.map((m) => ({ id: m.tenant_id, name: m.tenant_name ?? m.tenant_id })),
    [me, operatorTenants.data],
  );
  const ready = !me.operator || operatorTenants.data !== undefined || operatorTenants.error !== null;
  const tenantId = ready ? chooseTenant(options.map((o) => o.id), location.tenantId, rememberedTenant(), me.operator, me.memberships.filter((m) => m.joined).map((m) => m.tenant_id)) : location.tenantId;
  const access = useAccessChanges(me);
  // Every tenant offered in this session: one missing now was taken away (the access notice says so); another id in
  // the address was never this person's, and the page says that it shows another tenant instead.
  const offered = useRef(new Set<string>());
  const [refused, setRefused] = useState<RefusedTenant | null>(null);

  useEffect(() => {
    for (const option of options) offered.current.add(option.id);
  }, [options]);

  useEffect(() => {
    // An unknown address stays as typed and shows "Page not found", rather than turning into API Access.
    if (!ready || tenantId === location.tenantId || location.route.page === 'not-found') return;
    if (location.tenantId !== null && tenantId !== null && !offered.current.has(location.tenantId)) {
      setRefused({ requested: location.tenantId, shownInstead: tenantId });
    }
    navigate(hrefFor(location.route, tenantId), { replace: true });
  }, [ready, tenantId, location.tenantId, location.route]);

  useEffect(() => {
    document.title = `${PAGE_TITLES[location.route.page]} · Latchkey`;
  }, [location.route.page]);

  useEffect(() => {
    if (tenantId === null) return;
    try {
      window.localStorage.setItem(REMEMBERED, tenantId);
    } catch {
      // Private windows may refuse storage; the address still carries the tenant.
    }
  }, [tenantId]);

  const tenant = useLoad<Tenant | null>(() => (tenantId === null ? Promise.resolve(null) : api.tenants.get(tenantId)), [api, tenantId]);
  const view: TenantView | null = useMemo(() => {
    if (tenantId === null) return null;
    const current = tenant.data?.id === tenantId ? tenant.data : null;
    const role = roleIn(me, tenantId);
    return { tenantId, tenant: current, plan: deployment.plans.find((p) => p.name === current?.plan) ?? null, role, canManage: canManage(role) };
  }, [tenantId, tenant.data, me, deployment]);

  return (
    <TenantContext.Provider value={view}>
      <div className="shell">
        <Header options={options} more={moreTenants} tenantId={tenantId} tenantName={view?.tenant?.name ?? null} route={location.route} />
        <MainNav route={location.route} tenantId={tenantId} operator={me.operator} />
        <main className="page" id="main">
          <AccessNotice changes={access.changes} onDismiss={access.dismiss} />
          {refused && refused.shownInstead === tenantId && (
            <RefusedTenantNotice
              refused={refused}
              shownName={options.find((o) => o.id === tenantId)?.name ?? tenantId}
              onDismiss={() => setRefused(null)}
            />
          )}
          <PageView
            route={location.route}
            ready={ready}
            tenantError={tenant.error}
            tenantMissing={!tenant.loading && isNotFound(tenant.error)}
            onReloadTenants={operatorTenants.reload}
          />
        </main>
      </div>
    </TenantContext.Provider>
  );
}
