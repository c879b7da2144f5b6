// The settings of a key checked against its tenant's plan: pure, so create, update and rotate share it.
import { DEFAULT_KEY_LIFETIME_SECONDS, type RateLimit } from './api-key.js';
import { cidrError } from './cidr.js';
import type { FieldError } from './errors.js';
import { characterCount, controlCharacterProblem } from './names.js';
import { containsSecret, SECRET_IN_FIELD } from './redaction.js';
import type { Plan } from './plans.js';
import { SCOPE_PATTERN } from './scopes.js';
import { addSeconds, parseTimestamp, toStored } from './time.js';

/** What a client may set on a key; `undefined` leaves a setting as it is (or at its default). */
export interface KeySettingsInput {
  name?: string | undefined;
  scopes?: string[] | undefined;
  rateLimit?: { requestsPerMinute?: number | undefined; burst?: number | undefined } | undefined;
  allowedIps?: string[] | undefined;
  customerIds?: string[] | undefined;
  /** ISO time, or `null` for never. */
  expiresAt?: string | null | undefined;
  meta?: Record<string, unknown> | undefined;
}

export interface KeySettings {
  name: string;
  scopes: string[];
  rateLimit: RateLimit;
  allowedIps: string[];
  customerIds: string[];
  expiresAt: string | null;
  meta: Record<string, unknown>;
}

export const MAX_META_BYTES = 4096;
/** The longest a rotated-away key may keep working: a year. */
export const MAX_GRACE_PERIOD_SECONDS = 31_536_000;
const MAX_LIST = 100;

/**
 * Merges `input` over `current` (or the plan's defaults for a new key) and checks the result
 * against the plan. Returns the settings, or the fields that are wrong.
 */
export function resolveKeySettings(
  input: KeySettingsInput,
  plan: Plan,
  now: Date,
  current?: KeySettings,
): { settings: KeySettings } | { errors: FieldError[] } {
  const errors: FieldError[] = [];

  const name = input.name ?? current?.name ?? '';
  if (name.trim().length === 0 || characterCount(name) > 100) errors.push({ field: 'name', message: 'must be 1-100 characters' });
  // Only a name given now: a key named before the rule must stay changeable in its other settings.
  const nameProblem = input.name === undefined ? undefined : controlCharacterProblem(input.name);
  if (nameProblem) errors.push({ field: 'name', message: nameProblem });
  // Only what is given now, like the control characters. A secret pasted into a setting would be kept and shown.
  if (input.name !== undefined && containsSecret(input.name)) errors.push({ field: 'name', message: SECRET_IN_FIELD });

  const scopes = input.scopes ? [...new Set(input.scopes)] : current?.scopes ?? [];
  if (scopes.length > MAX_LIST) errors.push({ field: 'scopes', message: `must have at most ${MAX_LIST} entries` });
  for (const scope of scopes) {
    if (!SCOPE_PATTERN.test(scope)) errors.push({ field: 'scopes', message: `"${scope}" is not a scope like "sites:read"` });
  }

  const rpm = input.rateLimit?.requestsPerMinute ?? current?.rateLimit.requestsPerMinute ?? plan.defaultRpm;
  const burstGiven = input.rateLimit?.burst;
  // The burst defaults to the rpm and keeps following it while nobody set it apart; a burst the
  // client chose (one that differs from the rpm) is kept when a PATCH changes only the rpm.
  const customBurst = current && current.rateLimit.burst !== current.rateLimit.requestsPerMinute ? current.rateLimit.burst : undefined;
  const burst = burstGiven ?? customBurst ?? rpm;
  // A key keeps what it was given while its plan changes ("the cap then only blocks new keys"): only a limit sent
  // now, or a new key's, is checked against the plan, so a key above a lower plan's ceiling can still be renamed.
  const rpmGiven = current === undefined || input.rateLimit?.requestsPerMinute !== undefined;
  if (plan.m2mApi) {
    if (rpmGiven && (!Number.isInteger(rpm) || rpm < 1 || rpm > plan.maxRpm)) {
      errors.push({ field: 'rate_limit.requests_per_minute', message: `must be 1-${plan.maxRpm} on the ${plan.name} plan` });
    }
    // A burst that merely follows the rpm is not reported again under a field the client did not send, nor is
    // one kept from before.
    const burstChecked = burstGiven !== undefined || (current === undefined && !Object.is(burst, rpm));
    if (burstChecked && (!Number.isInteger(burst) || burst < 1 || burst > plan.maxRpm)) {
      errors.push({ field: 'rate_limit.burst', message: `must be 1-${plan.maxRpm} on the ${plan.name} plan` });
    }
  } else if (input.rateLimit !== undefined) {
    errors.push({ field: 'rate_limit', message: `the ${plan.name} plan has no M2M API access` });
  }

  const allowedIps = input.allowedIps ? [...new Set(input.allowedIps)] : current?.allowedIps ?? [];
  if (allowedIps.length > MAX_LIST) errors.push({ field: 'allowed_ips', message: `must have at most ${MAX_LIST} entries` });
  for (const cidr of allowedIps) {
    const error = cidrError(cidr);
    if (error) errors.push({ field: 'allowed_ips', message: error });
  }

  const customerIds = input.customerIds ? [...new Set(input.customerIds)] : current?.customerIds ?? [];
  if (customerIds.length > MAX_LIST) errors.push({ field: 'customer_ids', message: `must have at most ${MAX_LIST} entries` });
  if (customerIds.some((id) => id.length === 0 || characterCount(id) > 100)) errors.push({ field: 'customer_ids', message: 'each must be 1-100 characters' });
  const customerIdProblem = customerIds.map(controlCharacterProblem).find((problem) => problem !== undefined);
  if (customerIdProblem) errors.push({ field: 'customer_ids', message: `each ${customerIdProblem}` });
  if (input.customerIds?.some(containsSecret)) errors.push({ field: 'customer_ids', message: SECRET_IN_FIELD });

  let expiresAt: string | null;
  if (input.expiresAt === undefined) {
    expiresAt = current ? current.expiresAt : toStored(addSeconds(now, Math.min(DEFAULT_KEY_LIFETIME_SECONDS, maxLifetimeSeconds(plan))));
  } else if (input.expiresAt === null) {
    expiresAt = null;
    if (!plan.neverExpiringKeys) errors.push({ field: 'expires_at', message: `keys must expire on the ${plan.name} plan` });
  } else {
    const date = parseTimestamp(input.expiresAt);
    expiresAt = date ? toStored(date) : null;
    if (!date) errors.push({ field: 'expires_at', message: 'must be an ISO 8601 time such as 2027-01-01T00:00:00Z (no later than the year 9999), or null' });
    else if (date.getTime() <= now.getTime()) errors.push({ field: 'expires_at', message: 'must lie in the future' });
    // A far date is a never-expiring key by another name: where the plan bounds a key's life, it is held to it.
    else if (date.getTime() > now.getTime() + maxLifetimeSeconds(plan) * 1000) {
      errors.push({ field: 'expires_at', message: `must be at most ${plan.maxKeyLifetimeDays} days ahead on the ${plan.name} plan` });
    }
  }

  const meta = input.meta ?? current?.meta ?? {};
  const metaBytes = jsonBytes(meta);
  if (metaBytes === undefined) errors.push({ field: 'meta', message: 'is nested too deeply' });
  else if (metaBytes > MAX_META_BYTES) errors.push({ field: 'meta', message: `must be at most ${MAX_META_BYTES} bytes as JSON` });
  // Its names and values alike, as JSON writes them (a key's characters need no escape there).
  else if (input.meta !== undefined && containsSecret(JSON.stringify(input.meta))) errors.push({ field: 'meta', message: SECRET_IN_FIELD });

  if (errors.length > 0) return { errors };
  return { settings: { name, scopes, rateLimit: { requestsPerMinute: rpm, burst }, allowedIps, customerIds, expiresAt, meta } };
}

/** The longest a key of `plan` may live from now, in seconds: unbounded unless the plan sets `maxKeyLifetimeDays`. */
function maxLifetimeSeconds(plan: Plan): number {
  return plan.maxKeyLifetimeDays === undefined ? Number.POSITIVE_INFINITY : plan.maxKeyLifetimeDays * 24 * 3600;
}

/** The size of `value` as JSON, or `undefined` when it is nested too deeply to serialize (a stack overflow). */
function jsonBytes(value: unknown): number | undefined {
  try {
    return Buffer.byteLength(JSON.stringify(value));
  } catch (error) {
    if (error instanceof RangeError) return undefined;
    throw error;
  }
}
