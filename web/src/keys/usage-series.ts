// Groups a usage answer's per-code counts into the outcomes the chart stacks.
import type { UsageBucket } from '../api/types.js';

export type Outcome = 'valid' | 'unauthorized' | 'forbidden' | 'rate_limited' | 'other';

export const OUTCOMES: ReadonlyArray<{ id: Outcome; label: string }> = [
  { id: 'valid', label: 'Valid' },
  { id: 'unauthorized', label: '401 (key refused)' },
  { id: 'forbidden', label: '403 (not allowed)' },
  { id: 'rate_limited', label: 'Rate limited (429)' },
  { id: 'other', label: 'Other errors' },
];

const GROUPS: Record<string, Outcome> = {
  valid: 'valid',
  missing_api_key: 'unauthorized',
  malformed_api_key: 'unauthorized',
  invalid_api_key: 'unauthorized',
  expired_api_key: 'unauthorized',
  revoked_api_key: 'unauthorized',
  inactive_api_key: 'unauthorized',
  wrong_environment: 'unauthorized',
  unauthorized: 'unauthorized',
  tenant_not_active: 'forbidden',
  plan_not_permitted: 'forbidden',
  insufficient_scope: 'forbidden',
  ip_not_allowed: 'forbidden',
  forbidden: 'forbidden',
  rate_limited: 'rate_limited',
};

export function outcomeOf(code: string): Outcome {
  return GROUPS[code] ?? 'other';
}

export interface UsagePoint {
  start: string;
  byOutcome: Record<Outcome, number>;
  total: number;
}

export function groupUsage(buckets: readonly UsageBucket[]): UsagePoint[] {
  return buckets.map((bucket) => {
    const byOutcome: Record<Outcome, number> = { valid: 0, unauthorized: 0, forbidden: 0, rate_limited: 0, other: 0 };
    let total = 0;
    for (const [code, count] of Object.entries(bucket.counts)) {
      byOutcome[outcomeOf(code)] += count;
      total += count;
    }
    return { start: bucket.start, byOutcome, total };
  });
}

/** A round ceiling for the y axis so that ticks read well (1, 2, 5 × 10^n). */
export function niceCeiling(max: number): number {
  if (max <= 0) return 1;
  const power = 10 ** Math.floor(Math.log10(max));
  const step = [1, 2, 5, 10].find((m) => m * power >= max) ?? 10;
  return step * power;
}

/**
 * The y-axis ticks of a ceiling: 0, the middle and the top, leaving out a middle that is not a whole number:
 * requests are counted, so an axis of 0 / 0.5 / 1 or 0 / 2.5 / 5 would show counts that cannot happen.
 *
 * @example
 * axisTicks(niceCeiling(0)); // [0, 1]
 */
export function axisTicks(ceiling: number): number[] {
  const middle = ceiling / 2;
  return Number.isInteger(middle) && middle > 0 ? [0, middle, ceiling] : [0, ceiling];
}
