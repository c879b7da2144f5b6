// Sends JSON to the same-origin API with the session cookie, adds the CSRF token to mutations, and throws ApiError on failure.
// Answers that carry a version (`ETag`) can be read with it, and a change can be made conditional on one (`If-Match`).
import { apiErrorFromBody, networkError } from './api-error.js';

type Method = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
type Query = Record<string, string | number | undefined | null>;

/** Paths that take no CSRF token: signing in happens before there is a session. */
const CSRF_FREE = new Set(['/v1/auth/otp', '/v1/auth/otp/verify']);

/** An answer's body with its `ETag`: the version of what it holds, or null when it came without one. */
export interface WithETag<T> {
  body: T;
  etag: string | null;
}

export interface HttpClient {
  get<T>(path: string, query?: Query): Promise<T>;
  send<T>(method: Exclude<Method, 'GET'>, path: string, body?: unknown): Promise<T>;
  /** As `get`, with the answer's ETag. */
  getWithETag<T>(path: string): Promise<WithETag<T>>;
  /** As `send`, with the answer's ETag; with `ifMatch` (an ETag read earlier) the change is made only if the object is still at that version. */
  sendWithETag<T>(method: Exclude<Method, 'GET'>, path: string, body?: unknown, ifMatch?: string | null): Promise<WithETag<T>>;
  /** Remembers the token of the current session (from `GET /v1/auth/me`). */
  setCsrfToken(token: string | null): void;
  /** Called when a call answers `401 unauthorized`: the session has ended. */
  onSessionLost(listener: () => void): () => void;
  /** Called when a call answers `403 forbidden` or `404 not_found`: a role or membership may have changed elsewhere. */
  onAccessDenied(listener: () => void): () => void;
  /**
   * Called when a call succeeds, with when it started (`performance.now()`): the server answers again, so a message
   * about a failure before that start is out of date. One that started earlier and ends later says nothing new.
   */
  onSucceeded(listener: (startedAt: number) => void): () => void;
}

/** Answers after which what the dashboard knows of the person's roles and tenants may be out of date. */
const ACCESS_DENIED = new Set(['forbidden', 'not_found']);

export function withQuery(path: string, query: Query = {}): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) {
    if (value !== undefined && value !== null && value !== '') params.set(name, String(value));
  }
  const text = params.toString();
  return text === '' ? path : `${path}?${text}`;
}

// One entity tag as RFC 9110 writes it: optionally weak (`W/`), then a quoted run without quotes or spaces.
const ENTITY_TAG = /^(W\/)?("[\x21\x23-\x7e\x80-\xff]*")$/;

/**
 * The version an `ETag` header names, as a strong tag to send back in `If-Match`; null when there is none to use.
 * The server sends strong tags only, and compares If-Match strongly: a proxy that compresses the answer may mark its
 * tag weak (`W/"…"`) although the object's version is the same, so the `W/` is dropped rather than sent back (a weak
 * tag would never match, and every save would be refused).
 *
 * @example
 * strongETag('W/"5Jz0vQkq3i1tM2yYc8b7hA"'); // '"5Jz0vQkq3i1tM2yYc8b7hA"'
 */
export function strongETag(header: string | null): string | null {
  return ENTITY_TAG.exec(header?.trim() ?? '')?.[2] ?? null;
}

async function readBody(response: Response): Promise<unknown> {
  const text = await response.text();
  if (text === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

export function createHttpClient(fetchFn: typeof fetch = (input, init) => fetch(input, init)): HttpClient {
  let csrfToken: string | null = null;
  const lostListeners = new Set<() => void>();
  const deniedListeners = new Set<() => void>();
  const succeededListeners = new Set<(startedAt: number) => void>();

  async function call<T>(method: Method, path: string, body?: unknown, ifMatch?: string | null): Promise<WithETag<T>> {
    const startedAt = performance.now();
    const headers: Record<string, string> = { Accept: 'application/json' };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    if (ifMatch !== undefined && ifMatch !== null) headers['If-Match'] = ifMatch;
    if (method !== 'GET' && !CSRF_FREE.has(path)) {
      if (csrfToken === null) csrfToken = (await call<{ csrf_token: string }>('GET', '/v1/auth/me')).body.csrf_token;
      headers['X-CSRF-Token'] = csrfToken;
    }
    let response: Response;
    try {
      response = await fetchFn(path, { method, headers, credentials: 'same-origin', body: body === undefined ? undefined : JSON.stringify(body) });
    } catch (cause) {
      throw networkError(cause);
    }
    const parsed = await readBody(response);
    if (!response.ok) {
      const error = apiErrorFromBody(response.status, parsed, response.headers.get('Retry-After'));
      if (error.code === 'unauthorized') {
        csrfToken = null;
        for (const listener of lostListeners) listener();
      }
      if (ACCESS_DENIED.has(error.code)) {
        for (const listener of deniedListeners) listener();
      }
      throw error;
    }
    for (const listener of succeededListeners) listener(startedAt);
    return { body: parsed as T, etag: strongETag(response.headers.get('ETag')) };
  }

  return {
    async get<T>(path: string, query?: Query) {
      return (await call<T>('GET', withQuery(path, query))).body;
    },
    async send<T>(method: Exclude<Method, 'GET'>, path: string, body?: unknown) {
      return (await call<T>(method, path, body)).body;
    },
    getWithETag: (path) => call('GET', path),
    sendWithETag: (method, path, body, ifMatch) => call(method, path, body, ifMatch),
    setCsrfToken(token) {
      csrfToken = token;
    },
    onSessionLost(listener) {
      lostListeners.add(listener);
      return () => lostListeners.delete(listener);
    },
    onAccessDenied(listener) {
      deniedListeners.add(listener);
      return () => deniedListeners.delete(listener);
    },
    onSucceeded(listener) {
      succeededListeners.add(listener);
      return () => succeededListeners.delete(listener);
    },
  };
}
