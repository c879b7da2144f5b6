// Times as people read them: relative ("3 days ago", "in 5 hours") and exact (UTC, for `title`).

const UNITS: Array<[Intl.RelativeTimeFormatUnit, number]> = [
  ['year', 365 * 24 * 3600],
  ['month', 30 * 24 * 3600],
  ['week', 7 * 24 * 3600],
  ['day', 24 * 3600],
  ['hour', 3600],
  ['minute', 60],
];

const relative = new Intl.RelativeTimeFormat('en', { numeric: 'auto' });

export function relativeTime(iso: string, now: number): string {
  const seconds = Math.round((Date.parse(iso) - now) / 1000);
  const size = Math.abs(seconds);
  if (size < 45) return 'just now';
  for (const [unit, length] of UNITS) {
    if (size >= length) return relative.format(Math.trunc(seconds / length), unit);
  }
  return relative.format(Math.trunc(seconds / 60) || Math.sign(seconds), 'minute');
}

/** `2026-01-01 12:00:00 UTC`: unambiguous, for tooltips and tables. */
export function exactTime(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return `${date.toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

/** `2026-01-01`: the day of a time in UTC. */
export function dayOf(iso: string): string {
  return iso.slice(0, 10);
}

export const DAY_MS = 24 * 3600 * 1000;
