// The request-log filters as typed and the query they become (local date-times to UTC ISO).
import type { RequestLogQuery } from '../api/latchkey-api.js';

export interface LogFilters {
  keyId: string;
  status: string;
  from: string;
  to: string;
}

export const NO_FILTERS: LogFilters = { keyId: '', status: '', from: '', to: '' };

/** A `datetime-local` value (the browser's local time) as a UTC wire time, or undefined when empty or unreadable. */
export function localToWire(value: string): string | undefined {
  if (value === '') return undefined;
  const ms = new Date(value).getTime();
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export function statusProblem(status: string): string | null {
  return status === '' || /^[1-5]\d\d$/.test(status.trim()) ? null : 'Enter an HTTP status such as 401 or 429.';
}

export function queryOfFilters(filters: LogFilters): RequestLogQuery {
  const query: RequestLogQuery = {};
  if (filters.keyId) query.key_id = filters.keyId;
  if (filters.status.trim() !== '' && statusProblem(filters.status) === null) query.status = Number(filters.status);
  const from = localToWire(filters.from);
  const to = localToWire(filters.to);
  if (from) query.from = from;
  if (to) query.to = to;
  return query;
}
