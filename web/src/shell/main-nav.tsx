// The page navigation; the current page is marked with aria-current.
import type { Route } from '../router/routes.js';
import { hrefFor } from '../router/routes.js';
import { Link } from '../router/navigation.js';

type Section = 'keys' | 'logs' | 'audit' | 'members' | 'tenants';

const SECTIONS: Array<{ page: Section; label: string; operatorOnly?: boolean }> = [
  { page: 'keys', label: 'API Access' },
  { page: 'logs', label: 'Request logs' },
  { page: 'audit', label: 'Audit log' },
  { page: 'members', label: 'Members' },
  { page: 'tenants', label: 'Tenants', operatorOnly: true },
];

function sectionOf(route: Route): Section | null {
  if (route.page === 'key') return 'keys';
  return route.page === 'not-found' ? null : route.page;
}

export function MainNav({ route, tenantId, operator }: { route: Route; tenantId: string | null; operator: boolean }) {
  const current = sectionOf(route);
  return (
    <nav className="main-nav" aria-label="Main">
      <ul>
        {SECTIONS.filter((s) => operator || !s.operatorOnly).map((s) => (
          <li key={s.page}>
            <Link href={hrefFor({ page: s.page }, tenantId)} aria-current={current === s.page ? 'page' : undefined}>
              {s.label}
            </Link>
          </li>
        ))}
      </ul>
    </nav>
  );
}
