// The dashboard's pages as paths: `/keys`, `/keys/:id`, `/logs`, `/audit`, `/members`, `/tenants`; the tenant rides in `?tenant=`,
// and each list's filters in their own parameters, so that a reload or a shared link shows the same rows and Back the filters before.

/** Filters of the key list (`?environment=&status=&search=`), as written in the address; the page checks the values. */
export interface KeyListFilters {
  environment?: string;
  status?: string;
  search?: string;
}

/** Filters of the request log (`?key=&status=&from=&to=`); times as typed, in UTC. */
export interface LogListFilters {
  keyId?: string;
  status?: string;
  from?: string;
  to?: string;
}

export type Route =
  | ({ page: 'keys' } & KeyListFilters)
  | { page: 'key'; keyId: string }
  | ({ page: 'logs' } & LogListFilters)
  | { page: 'audit'; action?: string }
  | { page: 'members' }
  | { page: 'tenants'; search?: string }
  | { page: 'not-found' };

export interface Location {
  route: Route;
  tenantId: string | null;
}

/** Address parameter of each filter; an empty filter is left out of the address. */
const KEY_PARAMS = { environment: 'environment', status: 'status', search: 'search' } as const satisfies Record<keyof KeyListFilters, string>;
const LOG_PARAMS = { keyId: 'key', status: 'status', from: 'from', to: 'to' } as const satisfies Record<keyof LogListFilters, string>;

function readParams<K extends string>(params: URLSearchParams, names: Record<K, string>): Partial<Record<K, string>> {
  const read: Partial<Record<K, string>> = {};
  for (const [field, name] of Object.entries(names) as Array<[K, string]>) {
    const value = params.get(name);
    if (value) read[field] = value;
  }
  return read;
}

function writeParams<K extends string>(params: URLSearchParams, names: Record<K, string>, values: Partial<Record<K, string | undefined>>): void {
  for (const [field, name] of Object.entries(names) as Array<[K, string]>) {
    const value = values[field];
    if (value) params.set(name, value);
  }
}

export function parseLocation(pathname: string, search: string): Location {
  const tenantId = new URLSearchParams(search).get('tenant');
  const parts = pathname.split('/').filter((part) => part !== '').map(decodeURIComponent);
  return { route: parseParts(parts, new URLSearchParams(search)), tenantId: tenantId === '' ? null : tenantId };
}

function parseParts(parts: string[], params: URLSearchParams): Route {
  const [first, second, ...rest] = parts;
  if (rest.length > 0) return { page: 'not-found' };
  if (first === undefined || (first === 'keys' && second === undefined)) return { page: 'keys', ...readParams(params, KEY_PARAMS) };
  if (first === 'keys' && second !== undefined) return { page: 'key', keyId: second };
  if (second !== undefined) return { page: 'not-found' };
  if (first === 'logs') return { page: 'logs', ...readParams(params, LOG_PARAMS) };
  if (first === 'audit') {
    const action = params.get('action');
    return action ? { page: 'audit', action } : { page: 'audit' };
  }
  if (first === 'tenants') {
    const search = params.get('search');
    return search ? { page: 'tenants', search } : { page: 'tenants' };
  }
  if (first === 'members') return { page: first };
  return { page: 'not-found' };
}

/** The URL of a page with its filters, keeping the chosen tenant. */
export function hrefFor(route: Route, tenantId: string | null): string {
  const params = new URLSearchParams();
  if (tenantId !== null) params.set('tenant', tenantId);
  let path: string;
  switch (route.page) {
    case 'key':
      path = `/keys/${encodeURIComponent(route.keyId)}`;
      break;
    case 'keys':
      path = '/keys';
      writeParams<keyof KeyListFilters>(params, KEY_PARAMS, route);
      break;
    case 'logs':
      path = '/logs';
      writeParams<keyof LogListFilters>(params, LOG_PARAMS, route);
      break;
    case 'audit':
      path = '/audit';
      if (route.action) params.set('action', route.action);
      break;
    case 'tenants':
      path = '/tenants';
      if (route.search) params.set('search', route.search);
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
