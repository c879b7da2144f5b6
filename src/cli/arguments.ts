// Parsers for option values: a bad value is a usage error (exit 2) that names the option and what it takes.
import { InvalidArgumentError } from 'commander';
import { TENANT_STATUSES, type KeyStatus, type TenantStatus } from '../core/api-key.js';
import { ENVIRONMENTS, type Environment, isEnvironment } from '../core/environments.js';
import { MAX_GRACE_PERIOD_SECONDS } from '../core/key-settings.js';
import { characterCount, MAX_SEARCH_CHARACTERS } from '../core/names.js';
import { parseTimestamp } from '../core/time.js';
import { ROLES, type Role } from '../store/member-store.js';

const KEY_STATUSES: readonly KeyStatus[] = ['active', 'inactive', 'expired', 'revoked'];

function wholeNumber(value: string, min: number): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(n) || n < min) {
    throw new InvalidArgumentError(min === 0 ? 'Use a whole number (0 or more).' : `Use a whole number of at least ${min}.`);
  }
  return n;
}

/** Requests per minute, burst: 1 or more. */
export function positiveCount(value: string): number {
  return wholeNumber(value, 1);
}

/** A rotation's grace period in seconds: 0 up to a year, as the API takes it. */
export function gracePeriod(value: string): number {
  const n = wholeNumber(value, 0);
  if (n > MAX_GRACE_PERIOD_SECONDS) throw new InvalidArgumentError(`Use at most ${MAX_GRACE_PERIOD_SECONDS} (a year).`);
  return n;
}

/** A search of key or tenant names: at most 200 characters, as the API takes it. */
export function nameSearch(value: string): string {
  if (characterCount(value.trim()) > MAX_SEARCH_CHARACTERS) throw new InvalidArgumentError(`Use at most ${MAX_SEARCH_CHARACTERS} characters.`);
  return value;
}

/**
 * For repeatable options: `--scope a --scope b` gives `['a', 'b']`. After a negation (`--no-scope`, which sets
 * `false`), a later `--scope a` starts a new list.
 */
export function collect(value: string, previous: string[] | false = []): string[] {
  return [...(previous || []), value];
}

function oneOf<T extends string>(allowed: readonly T[]): (value: string) => T {
  return (value) => {
    if (!(allowed as readonly string[]).includes(value)) throw new InvalidArgumentError(`Use one of ${allowed.join(', ')}.`);
    return value as T;
  };
}

export const environment: (value: string) => Environment = (value) => {
  if (!isEnvironment(value)) throw new InvalidArgumentError(`Use one of ${ENVIRONMENTS.join(', ')}.`);
  return value;
};
export const tenantStatus: (value: string) => TenantStatus = oneOf(TENANT_STATUSES);
export const keyStatus: (value: string) => KeyStatus = oneOf(KEY_STATUSES);
export const role: (value: string) => Role = oneOf(ROLES);

/**
 * `never`, a date (made midnight UTC) or an ISO time with a zone; whether it lies in the future is
 * the service's check. `never` stays a string: commander turns a parser's `null` into ''.
 */
export function expiry(value: string): string {
  if (value === 'never') return value;
  const time = /^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T00:00:00Z` : value;
  if (!parseTimestamp(time)) throw new InvalidArgumentError('Use an ISO time such as 2027-01-31T00:00:00Z, a date such as 2027-01-31, or "never".');
  return time;
}
