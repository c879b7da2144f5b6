// The request-log filters as typed and the query they become (date-times typed in UTC, like every time the dashboard shows).
import { ApiError } from '../api/api-error.js';
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

/**
 * Whether the key of the key filter is a key of the tenant, from the read of that one key (`GET …/keys/{keyId}`):
 * true once read, false when the server answered that there is no such key (404, or 400 for an id no key can have),
 * null while it is read, when there is no key filter, or when the read failed otherwise (nothing is known then).
 * A read of the key filtered by before may still be held while the next one runs: only the answer about `keyId` counts.
 *
 * @example
 * keyFilterFound('key_1', { loading: false, data: { key: { id: 'key_1' } }, error: null }); // true
 */
export function keyFilterFound(keyId: string, read: { loading: boolean; data: { key: { id: string } } | null | undefined; error: unknown }): boolean | null {
  if (keyId === '' || read.loading) return null;
  if (read.data) return read.data.key.id === keyId ? true : null;
  if (read.error instanceof ApiError && (read.error.status === 404 || read.error.status === 400)) return false;
  return null;
}

/**
 * The filters of the address (a link, a bookmark, a reload) that cannot be applied, each said with the value as it
 * stands there: the rows of the log would otherwise be shown as if filtered by them. `keyFound` is what
 * `keyFilterFound` says of the key filter: only false (the key was read and is not the tenant's) is a problem.
 *
 * @example
 * addressProblems({ ...NO_FILTERS, status: '4O1', from: 'yesterday' }, null);
 * // ['HTTP status “4O1” is not a status such as 401 or 429.', 'From “yesterday” is not a date and time such as 2026-06-01T10:00.']
 */
export function addressProblems(filters: LogFilters, keyFound: boolean | null): string[] {
  const problems: string[] = [];
  if (filters.keyId !== '' && keyFound === false) problems.push(`Key “${filters.keyId}” is not a key of this tenant.`);
  if (statusProblem(filters.status) !== null) problems.push(`HTTP status “${filters.status}” is not a status such as 401 or 429.`);
  for (const [label, value] of [['From', filters.from], ['To', filters.to]] as const) {
    if (value !== '' && utcToWire(value) === undefined) problems.push(`${label} “${value}” is not a date and time such as 2026-06-01T10:00.`);
  }
  const range = rangeProblem(filters.from, filters.to);
  if (range !== null) problems.push(range);
  return problems;
}

/**
 * The filters of the address as the form can hold them: a time the date-time field cannot show is left out, so that
 * applying the form does not send it again unseen (the page names it among the address's problems).
 */
export function formFilters(filters: LogFilters): LogFilters {
  const readable = (value: string) => (utcToWire(value) === undefined ? '' : value);
  return { ...filters, from: readable(filters.from), to: readable(filters.to) };
}
