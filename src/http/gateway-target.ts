// Which request targets the gateway refuses before it checks the key: those the upstream could read as another
// path, and those its proxy (@fastify/reply-from) would refuse after the check.
import type { FieldError } from '../core/errors.js';

const DOT_SEGMENT = /^\.\.?(?:;.*)?$/;

/**
 * Why the target `url` (path and query as sent) may not be proxied, or null when it may. The route matched the
 * path as sent and its key was checked for that path's tenant and scopes: the upstream must get that very path.
 * - the path, as sent or percent-decoded once, holds a backslash (WHATWG URLs, and so the proxy, take it for
 *   `/`), a NUL, or a `.` or `..` segment (with or without `;parameters`), also between escaped slashes;
 * - an absolute-form target (`GET http://host/...`) would be appended to the upstream's address;
 * - the proxy refuses any target whose percent-decoded form holds `/..` or `../`, the query included, or does
 *   not decode: refused here instead, so that no token is spent on a request that cannot be passed on.
 *
 * @example
 * refusedTarget('/t/ten_1/sites/s1/../../ten_2'); // { field: 'path', ... }
 * refusedTarget('/t/ten_1/sites/s1/pages..v2');   // null
 */
export function refusedTarget(url: string): FieldError | null {
  if (!url.startsWith('/')) return { field: 'path', message: 'must be a path starting with /, not an absolute URL' };
  const queryAt = url.indexOf('?');
  const path = queryAt === -1 ? url : url.slice(0, queryAt);
  const decodedPath = decodeOnce(path);
  if (decodedPath === null || decodedPath.includes('\\') || decodedPath.includes('\0') || decodedPath.split('/').some((s) => DOT_SEGMENT.test(s)) || climbs(decodedPath)) {
    return { field: 'path', message: 'must not hold a backslash, a . or .. segment, or /.. or ../ anywhere (raw or percent-encoded)' };
  }
  if (queryAt === -1) return null;
  const decodedQuery = decodeOnce(url.slice(queryAt + 1));
  if (decodedQuery === null || climbs(decodedQuery)) {
    return { field: 'query', message: 'must be valid percent-encoding and hold no /.. or ../ (raw or percent-encoded): the gateway cannot pass those on' };
  }
  return null;
}

/** The proxy's own test, on the decoded target (see @fastify/reply-from's buildURL). */
function climbs(decoded: string): boolean {
  return decoded.includes('/..') || decoded.includes('../');
}

function decodeOnce(text: string): string | null {
  try {
    return decodeURIComponent(text);
  } catch {
    return null;
  }
}
