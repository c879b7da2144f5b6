// Reads every page of a cursor-paginated list, for pickers that must offer all of it (a tenant's members).
import type { Page } from '../api/types.js';

/**
 * Follows `next_cursor` until the list ends. `maxPages` bounds a list that never ends (a server bug): what was read
 * by then is returned.
 *
 * @example
 * const members = await loadAllPages((cursor) => api.members.list(tenantId, { cursor, limit: 100 }));
 */
export async function loadAllPages<T>(loadPage: (cursor: string | null) => Promise<Page<T>>, maxPages = 200): Promise<T[]> {
  const items: T[] = [];
  const seen = new Set<string>();
  let cursor: string | null = null;
  for (let page = 0; page < maxPages; page++) {
    const answer: Page<T> = await loadPage(cursor);
    items.push(...answer.data);
    cursor = answer.next_cursor;
    if (cursor === null || seen.has(cursor)) break;
    seen.add(cursor);
  }
  return items;
}
