// Cursor pagination, newest first, on (time column, id): the cursor is opaque to clients.
import { invalidRequest } from '../core/errors.js';
import type { IdPrefix } from '../core/ids.js';

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

/** A stored time (`toStored`), the only kind a cursor holds: fixed width, so it compares as text with the column. */
const STORED_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

function isStoredTime(value: string): boolean {
  // The round trip also refuses what the pattern lets through but no clock made (2026-02-30, 25:00).
  if (!STORED_TIME.test(value)) return false;
  const ms = Date.parse(value);
  return !Number.isNaN(ms) && new Date(ms).toISOString() === value;
}

/**
 * The position a cursor of the list of `idPrefix` ids names; a cursor that was not made here is an `invalid_request`.
 * Its time is checked: any other text would still compare with the stored times and quietly page from the start or
 * the end of the list. So is the kind of its id: a cursor of another list (the audit log's, given to the key list)
 * would otherwise be read as a position in this one and skip or repeat rows without a word.
 */
export function decodeCursor(cursor: string, idPrefix: IdPrefix): CursorPosition {
  let position: CursorPosition | undefined;
  try {
    const parsed: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    // Only strings this API made: NUL, which PostgreSQL refuses in text, is never in one.
    if (Array.isArray(parsed) && parsed.length === 2 && parsed.every((v) => typeof v === 'string' && !v.includes('\0')) && isStoredTime(parsed[0] as string)) {
      position = { at: parsed[0] as string, id: parsed[1] as string };
    }
  } catch {
    // refused below
  }
  if (position === undefined) throw invalidRequest([{ field: 'cursor', message: 'is not a cursor returned by this API' }]);
  if (!position.id.startsWith(`${idPrefix}_`)) throw invalidRequest([{ field: 'cursor', message: 'is a cursor of another list; use the next_cursor this list returned' }]);
  return position;
}

/** Cuts a result fetched with `limit + 1` rows into a page and the next cursor. */
export function toPage<Row, T>(rows: Row[], limit: number, position: (row: Row) => CursorPosition, map: (row: Row) => T): Page<T> {
  const more = rows.length > limit;
  const kept = more ? rows.slice(0, limit) : rows;
  const last = kept[kept.length - 1];
  return { data: kept.map(map), nextCursor: more && last !== undefined ? encodeCursor(position(last)) : null };
}
