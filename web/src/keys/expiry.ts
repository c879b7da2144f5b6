// Expiry presets of the key forms and the `expires_at` each one stands for.

export type ExpiryChoice = 'keep' | '30d' | '90d' | '1y' | 'custom' | 'never';

const DAY_MS = 24 * 3600 * 1000;
export const PRESET_DAYS: Partial<Record<ExpiryChoice, number>> = { '30d': 30, '90d': 90, '1y': 365 };

export const EXPIRY_LABELS: Record<ExpiryChoice, string> = {
  keep: 'Keep the current expiry',
  '30d': '30 days',
  '90d': '90 days',
  '1y': '1 year',
  custom: 'Custom date',
  never: 'Never',
};

/** Wire time without fractional seconds. */
export function wireTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/**
 * The `expires_at` of a choice: a time, null for never, undefined for "keep" (leave it out of the body).
 * A custom date means the end of that day in UTC, so that "today" is still in the future.
 */
export function expiresAtFor(choice: ExpiryChoice, customDate: string, now: number): string | null | undefined {
  if (choice === 'keep') return undefined;
  if (choice === 'never') return null;
  if (choice === 'custom') return `${customDate}T23:59:59Z`;
  return wireTime(now + (PRESET_DAYS[choice] ?? 365) * DAY_MS);
}

/** A problem with a custom date (`YYYY-MM-DD` from a date input), or null. */
export function customDateProblem(customDate: string, now: number): string | null {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(customDate)) return 'Pick a date.';
  const end = Date.parse(`${customDate}T23:59:59Z`);
  if (Number.isNaN(end)) return 'Pick a valid date.';
  if (end <= now) return 'Pick a date in the future.';
  return null;
}
