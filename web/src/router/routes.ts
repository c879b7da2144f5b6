// The dashboard's pages as paths: `/keys`, `/keys/:id`, `/logs`, `/audit`, `/members`, `/tenants`; the tenant rides in `?tenant=`.

export type Route =
  | { page: 'keys' }
  | { page: 'key'; keyId: string }
  | { page: 'logs'; keyId?: string }
  | { page: 'audit' }
  | { page: 'members' }
  | { page: 'tenants' }
  | { page: 'not-found' };

export interface Location {
  route: Route;
  tenantId: string | null;
}

export function parseLocation(pathname: string, search: string): Location {
  const tenantId = new URLSearchParams(search).get('tenant');
  const parts = pathname.split('/').filter((part) => part !== '').map(decodeURIComponent);
  return { route: parseParts(parts, new URLSearchParams(search)), tenantId: tenantId === '' ? null : tenantId };
}

function parseParts(parts: string[], params: URLSearchParams): Route {
  const [first, second, ...rest] = parts;
  if (rest.length > 0) return { page: 'not-found' };
  if (first === undefined) return { page: 'keys' };
  if (first === 'keys') return second === undefined ? { page: 'keys' } : { page: 'key', keyId: second };
  if (second !== undefined) return { page: 'not-found' };
  if (first === 'logs') {
    const keyId = params.get('key');
    return keyId ? { page: 'logs', keyId } : { page: 'logs' };
  }
  if (first === 'audit' || first === 'members' || first === 'tenants') return { page: first };
  return { page: 'not-found' };
}

/** The URL of a page, keeping the chosen tenant. */
export function hrefFor(route: Route, tenantId: string | null): string {
  const params = new URLSearchParams();
  if (tenantId !== null) params.set('tenant', tenantId);
  let path: string;
  switch (route.page) {
    case 'key':
      path = `/keys/${encodeURIComponent(route.keyId)}`;
      break;
    case 'logs':
      path = '/logs';
      if (route.keyId) params.set('key', route.keyId);
      break;
    case 'not-found':
      path = '/';
      break;
    default:
      path = `/${route.page}`;
  }
  const query = params.toString();
  return query === '' ? path : `${path}?${query}`;
}
