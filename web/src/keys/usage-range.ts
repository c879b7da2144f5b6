// The time ranges of the usage charts: whole hours or UTC days ending with the current one.
import { wireTime } from './expiry.js';

const HOUR_MS = 3600 * 1000;
const DAY_MS = 24 * HOUR_MS;

/** The last 24 hours (per hour) or 7 days (per day), the current partial interval included. */
export function usageRange(interval: 'hour' | 'day', now: number): { from: string; to: string } {
  const size = interval === 'hour' ? HOUR_MS : DAY_MS;
  const count = interval === 'hour' ? 24 : 7;
  const currentStart = Math.floor(now / size) * size;
  return { from: wireTime(currentStart - (count - 1) * size), to: wireTime(now) };
}
