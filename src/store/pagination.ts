// Cursor pagination, newest first, on (time column, id): the cursor is opaque to clients.
import { invalidRequest } from '../core/errors.js';

export interface Page<T> {
  data: T[];
  nextCursor: string | null;
}

export interface PageRequest {
  limit: number;
  cursor?: string | undefined;
}

export interface CursorPosition {
  at: string;
  id: string;
}

export function encodeCursor(position: CursorPosition): string {
  return Buffer.from(JSON.stringify([position.at, position.id])).toString('base64url');
}

/** The position a cursor names; a cursor that was not made here is an `invalid_request`. */
export function decodeCursor(cursor: string): CursorPosition {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    // Only strings this API made: NUL, which PostgreSQL refuses in text, is never in one.
    if (Array.isArray(parsed) && parsed.length === 2 && parsed.every((v) => typeof v === 'string' && !v.includes('\0'))) {
      return { at: parsed[0] as string, id: parsed[1] as string };
    }
  } catch {
    // fall through to the error below
  }
  throw invalidRequest([{ field: 'cursor', message: 'is not a cursor returned by this API' }]);
}

/** Cuts a result fetched with `limit + 1` rows into a page and the next cursor. */
export function toPage<Row, T>(rows: Row[], limit: number, position: (row: Row) => CursorPosition, map: (row: Row) => T): Page<T> {
  const more = rows.length > limit;
  const kept = more ? rows.slice(0, limit) : rows;
  const last = kept[kept.length - 1];
  return { data: kept.map(map), nextCursor: more && last !== undefined ? encodeCursor(position(last)) : null };
}
