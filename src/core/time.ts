// Timestamps: stored as canonical ISO strings with milliseconds, shown without `.000`.

const ISO_INPUT = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;

/**
 * The last instant with a four-digit year. Later ones are stored as `+010000-…`, which sorts before every
 * four-digit year: a key expiring then would count as long expired.
 */
export const LATEST_STORABLE_MS = Date.parse('9999-12-31T23:59:59.999Z');

/** The storage form: `2026-01-01T12:00:00.000Z`, fixed width, so strings sort as times. */
export function toStored(date: Date): string {
  return date.toISOString();
}

/** The wire form: UTC with a trailing `Z`, fractional seconds only when not zero. */
export function toWire(stored: string): string;
export function toWire(stored: string | null): string | null;
export function toWire(stored: string | null): string | null {
  if (stored === null) return null;
  return stored.endsWith('.000Z') ? `${stored.slice(0, -5)}Z` : stored;
}

/** Parses an ISO 8601 timestamp with a zone (`Z` or `+01:00`), with or without fractions, up to the year 9999 in UTC. */
export function parseTimestamp(value: string): Date | undefined {
  const match = ISO_INPUT.exec(value);
  if (!match) return undefined;
  const [year, month, day, hour] = match.slice(1, 5).map(Number) as [number, number, number, number];
  // `Date` rolls 2027-02-30 over to March 2 and T24:00 to the next day; a typo must be an error instead.
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month) || hour > 23) return undefined;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) || date.getTime() > LATEST_STORABLE_MS ? undefined : date;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

export function addSeconds(date: Date, seconds: number): Date {
  return new Date(date.getTime() + seconds * 1000);
}
