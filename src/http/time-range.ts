// `from` and `to` of a list's query string: checked as real times (the schema checks only their shape) and in order.
import { invalidRequest } from '../core/errors.js';
import { parseTimestamp, toStored } from '../core/time.js';

/** The schema checked the shape; this also refuses dates that do not exist (2027-02-30). */
export function timeOf(value: string, field: string): Date {
  const date = parseTimestamp(value);
  if (!date) throw invalidRequest([{ field, message: 'must be an ISO 8601 time with a zone, e.g. 2026-01-01T12:00:00Z' }]);
  return date;
}

/** A list filter's time range as stored times; either end may be open. `from` after `to` is a 400. */
export function storedTimeRange(from: string | undefined, to: string | undefined): { from: string | undefined; to: string | undefined } {
  const fromTime = from === undefined ? undefined : timeOf(from, 'from');
  const toTime = to === undefined ? undefined : timeOf(to, 'to');
  if (fromTime && toTime && fromTime > toTime) throw invalidRequest([{ field: 'from', message: 'must not be after to' }]);
  return { from: fromTime && toStored(fromTime), to: toTime && toStored(toTime) };
}
