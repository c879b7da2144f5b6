// The rotation grace period as typed (hours and minutes) and the seconds the API takes.

/** The server's limit (a year, `grace_period_seconds` <= 31536000), said here in the hours the form asks for. */
export const MAX_GRACE_HOURS = 365 * 24;

/** The seconds of a typed grace period, or null when it is not whole hours and 0-59 minutes. */
export function gracePeriodSeconds(hours: string, minutes: string): number | null {
  const h = hours.trim() === '' ? 0 : Number(hours);
  const m = minutes.trim() === '' ? 0 : Number(minutes);
  if (!Number.isInteger(h) || !Number.isInteger(m) || h < 0 || m < 0 || m > 59) return null;
  return h * 3600 + m * 60;
}

/**
 * What is wrong with a typed grace period, in the form's units, or null when the server will take it.
 *
 * @example
 * graceProblem('9000', '0'); // "A grace period can last at most one year (8760 hours)."
 */
export function graceProblem(hours: string, minutes: string): string | null {
  const seconds = gracePeriodSeconds(hours, minutes);
  if (seconds === null) return 'Enter whole hours and 0-59 minutes.';
  if (seconds > MAX_GRACE_HOURS * 3600) return `A grace period can last at most one year (${MAX_GRACE_HOURS} hours).`;
  return null;
}

export function describeGrace(seconds: number): string {
  if (seconds === 0) return 'The old key stops at once.';
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const parts = [h > 0 ? `${h} hour${h === 1 ? '' : 's'}` : '', m > 0 ? `${m} minute${m === 1 ? '' : 's'}` : ''].filter(Boolean);
  return `The old key keeps working for ${parts.join(' and ')}, then expires.`;
}
