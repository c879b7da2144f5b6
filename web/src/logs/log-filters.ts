// The request-log filters as typed and the query they become (date-times typed in UTC, like every time the dashboard shows).
import type { RequestLogQuery } from '../api/latchkey-api.js';

export interface LogFilters {
  keyId: string;
  status: string;
  from: string;
  to: string;
}

export const NO_FILTERS: LogFilters = { keyId: '', status: '', from: '', to: '' };

/**
 * A `datetime-local` value read as UTC (the form labels it so) as a wire time, or undefined when empty or unreadable.
 * Not the browser's zone: the tables and charts show UTC, and a range must mean the same hours as they do.
 */
export function utcToWire(value: string): string | undefined {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(value)) return undefined;
  const ms = Date.parse(`${value}Z`);
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export function statusProblem(status: string): string | null {
  return status === '' || /^[1-5]\d\d$/.test(status.trim()) ? null : 'Enter an HTTP status such as 401 or 429.';
}

/** The server refuses a range that ends before it starts (400); said here, beside the fields, before anything is sent. */
export function rangeProblem(from: string, to: string): string | null {
  const start = utcToWire(from);
  const end = utcToWire(to);
  // Both are ISO times in UTC of one format, so their text sorts as their time does.
  return start !== undefined && end !== undefined && start > end ? 'From must not be after To.' : null;
}

export function queryOfFilters(filters: LogFilters): RequestLogQuery {
  const query: RequestLogQuery = {};
  if (filters.keyId) query.key_id = filters.keyId;
  if (filters.status.trim() !== '' && statusProblem(filters.status) === null) query.status = Number(filters.status);
  const from = utcToWire(filters.from);
  const to = utcToWire(filters.to);
  if (from) query.from = from;
  if (to) query.to = to;
  return query;
}
